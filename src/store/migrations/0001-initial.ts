/**
 * The initial schema. Migrations are plain SQL (PostgreSQL dialect, which PGlite also
 * speaks) so that the same file runs on the embedded database and on a server.
 */
import { type Kysely, sql } from 'kysely';

/** Creates every table of the foundation. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tenants (
      id text PRIMARY KEY,
      name text NOT NULL,
      plan text NOT NULL CHECK (plan IN ('standard', 'enterprise')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE orgs (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name text NOT NULL,
      plan text NOT NULL CHECK (plan IN ('free', 'team', 'enterprise')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX orgs_tenant ON orgs(tenant_id);
    CREATE TABLE workspaces (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      org_id text NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      handle text NOT NULL,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (org_id, handle)
    );
    CREATE INDEX workspaces_tenant ON workspaces(tenant_id);
    CREATE TABLE users (
      id text PRIMARY KEY,
      email text NOT NULL UNIQUE,
      name text NOT NULL,
      is_admin boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE memberships (
      id serial PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      scope_kind text NOT NULL CHECK (scope_kind IN ('tenant', 'org')),
      scope_id text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, scope_kind, scope_id)
    );
    CREATE TABLE api_tokens (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE TABLE integrations (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      org_id text REFERENCES orgs(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('aws_organization')),
      handle text NOT NULL,
      role_name text NOT NULL,
      external_id text NOT NULL UNIQUE,
      role_arn text,
      handle_prefix text,
      regions jsonb NOT NULL,
      advanced jsonb NOT NULL,
      capabilities jsonb NOT NULL,
      custom_policy_arns jsonb NOT NULL,
      extra_actions jsonb NOT NULL,
      permission_mode text NOT NULL CHECK (permission_mode IN ('all', 'specific', 'none')),
      permission_workspace_ids jsonb NOT NULL,
      webhook_secret_enc text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, handle)
    );
    CREATE TABLE folders (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      integration_id text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      parent_id text REFERENCES folders(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('root', 'ou')),
      aws_id text NOT NULL,
      handle text NOT NULL,
      handle_is_custom boolean NOT NULL DEFAULT false,
      title text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, handle),
      UNIQUE (integration_id, aws_id)
    );
    CREATE TABLE connections (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      org_id text REFERENCES orgs(id) ON DELETE CASCADE,
      integration_id text REFERENCES integrations(id) ON DELETE CASCADE,
      folder_id text REFERENCES folders(id) ON DELETE SET NULL,
      handle text NOT NULL,
      handle_is_custom boolean NOT NULL DEFAULT false,
      title text NOT NULL,
      aws_account_id text,
      account_scope jsonb,
      role_name text,
      external_id text UNIQUE,
      regions jsonb,
      advanced jsonb,
      state text NOT NULL CHECK (state IN ('active', 'disabled')),
      aws_state text,
      health text NOT NULL DEFAULT 'unknown' CHECK (health IN ('unknown', 'ok', 'blocked', 'error')),
      health_reason text,
      health_checked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, handle)
    );
    CREATE UNIQUE INDEX connections_integration_account ON connections(integration_id, aws_account_id)
      WHERE integration_id IS NOT NULL;
    CREATE INDEX connections_folder ON connections(folder_id);
    CREATE TABLE permissions (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      target_kind text NOT NULL CHECK (target_kind IN ('folder', 'connection')),
      target_id text NOT NULL,
      grantee_kind text NOT NULL CHECK (grantee_kind IN ('workspace', 'all_workspaces')),
      grantee_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX permissions_unique ON permissions(target_kind, target_id, grantee_kind, coalesce(grantee_id, ''));
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      tenant_id text,
      actor_user_id text,
      actor_token_id text,
      action text NOT NULL,
      target_kind text NOT NULL,
      target_id text NOT NULL,
      before jsonb,
      after jsonb,
      request_id text,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_tenant_at ON audit_log(tenant_id, at DESC);
  `.execute(db);
}

/** Drops the foundation's tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_log, permissions, connections, folders, integrations, api_tokens,
      memberships, users, workspaces, orgs, tenants;
  `.execute(db);
}
