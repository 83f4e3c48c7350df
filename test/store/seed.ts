/**
 * Minimal rows for storage tests: one of everything, linked the way the services link
 * them. Ids carry a caller-chosen suffix so several seeds can share one database.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, IntegrationTable } from '../../src/store/database.js';

export interface SeedIds {
  tenant: string;
  org: string;
  workspace: string;
  user: string;
  token: string;
  integration: string;
  folder: string;
  connection: string;
  standalone: string;
  permission: string;
}

/** Ids for a seed with the given suffix (12 lowercase alphanumerics after the prefix). */
export function seedIds(suffix: string): SeedIds {
  const tail = suffix.padStart(12, '0').slice(-12);
  return {
    tenant: `t_${tail}`,
    org: `o_${tail}`,
    workspace: `w_${tail}`,
    user: `u_${tail}`,
    token: `tok_${tail}`,
    integration: `i_${tail}`,
    folder: `f_${tail}`,
    connection: `c_${tail}`,
    standalone: `c_s${tail.slice(1)}`,
    permission: `p_${tail}`,
  };
}

/** An integration row with every jsonb column filled; override what a test cares about. */
export function integrationRow(
  ids: SeedIds,
  overrides: Partial<Insertable<IntegrationTable>> = {},
): Insertable<IntegrationTable> {
  return {
    id: ids.integration,
    tenant_id: ids.tenant,
    org_id: ids.org,
    kind: 'aws_organization',
    handle: `acme-${ids.tenant.slice(-4)}`,
    role_name: 'orglink-discovery',
    external_id: `${ids.org}:Ab3dE6gH`,
    role_arn: 'arn:aws:iam::123456789012:role/orglink-discovery',
    handle_prefix: 'acme',
    regions: JSON.stringify(['us-east-1', 'eu-west-1']),
    advanced: JSON.stringify({ maxErrorRetryAttempts: 3, ignoreErrorCodes: ['AccessDenied'] }),
    capabilities: JSON.stringify(['discovery', 'read_only']),
    custom_policy_arns: JSON.stringify([]),
    extra_actions: JSON.stringify(['s3:Get*']),
    permission_mode: 'all',
    permission_workspace_ids: JSON.stringify([]),
    webhook_secret_enc: null,
    updated_at: new Date('2026-01-02T03:04:05.678Z'),
    ...overrides,
  };
}

/** Inserts a tenant with one row in every table; returns the ids. */
export async function seedTenant(db: Kysely<Database>, suffix: string): Promise<SeedIds> {
  const ids = seedIds(suffix);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('tenants').values({ id: ids.tenant, name: 'Acme', plan: 'enterprise' }).execute();
    await trx.insertInto('orgs').values({ id: ids.org, tenant_id: ids.tenant, name: 'Acme Org', plan: 'team' }).execute();
    await trx
      .insertInto('workspaces')
      .values({ id: ids.workspace, tenant_id: ids.tenant, org_id: ids.org, handle: 'prod', name: 'Production' })
      .execute();
    await trx
      .insertInto('users')
      .values({ id: ids.user, email: `owner-${suffix}@example.com`, name: 'Owner', is_admin: false })
      .execute();
    await trx
      .insertInto('memberships')
      .values({ user_id: ids.user, tenant_id: ids.tenant, scope_kind: 'tenant', scope_id: ids.tenant, role: 'owner' })
      .execute();
    await trx
      .insertInto('api_tokens')
      .values({ id: ids.token, user_id: ids.user, name: 'ci', token_hash: `hash-${suffix}` })
      .execute();
    await trx.insertInto('integrations').values(integrationRow(ids)).execute();
    await trx
      .insertInto('folders')
      .values({
        id: ids.folder,
        tenant_id: ids.tenant,
        integration_id: ids.integration,
        parent_id: null,
        kind: 'root',
        aws_id: 'r-ab12',
        handle: `root-${suffix}`,
        handle_is_custom: false,
        title: 'Root',
        updated_at: new Date(),
      })
      .execute();
    await trx
      .insertInto('connections')
      .values({
        id: ids.connection,
        tenant_id: ids.tenant,
        org_id: ids.org,
        integration_id: ids.integration,
        folder_id: ids.folder,
        handle: `acct-${suffix}`,
        handle_is_custom: false,
        title: 'Account',
        aws_account_id: '111122223333',
        state: 'active',
        health: 'unknown',
        updated_at: new Date(),
      })
      .execute();
    await trx
      .insertInto('connections')
      .values({
        id: ids.standalone,
        tenant_id: ids.tenant,
        org_id: null,
        integration_id: null,
        folder_id: null,
        handle: `standalone-${suffix}`,
        handle_is_custom: true,
        title: 'Standalone',
        aws_account_id: null,
        account_scope: JSON.stringify(['111122223333', '444455556666']),
        role_name: 'orglink-reader',
        external_id: `${ids.tenant}:Zz9yX8wV`,
        regions: JSON.stringify('all'),
        advanced: JSON.stringify({ defaultRegion: 'eu-west-1' }),
        state: 'active',
        health: 'unknown',
        updated_at: new Date(),
      })
      .execute();
    await trx
      .insertInto('permissions')
      .values({
        id: ids.permission,
        tenant_id: ids.tenant,
        target_kind: 'folder',
        target_id: ids.folder,
        grantee_kind: 'all_workspaces',
        grantee_id: null,
      })
      .execute();
    await trx
      .insertInto('audit_log')
      .values({
        tenant_id: ids.tenant,
        actor_user_id: ids.user,
        action: 'tenant.create',
        target_kind: 'tenant',
        target_id: ids.tenant,
        after: JSON.stringify({ name: 'Acme' }),
      })
      .execute();
  });
  return ids;
}
