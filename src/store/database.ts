/**
 * The orglink schema as Kysely sees it. One interface per table; column types mirror
 * migrations/0001-initial.ts. Every tenant-owned row carries `tenant_id`, and every
 * query that reads tenant data filters on it: that is how one tenant never sees another.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** timestamptz: read as Date, written as Date or ISO string, defaulted by the DB. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read as the parsed value; written as a JSON string (pg and PGlite agree on that). */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type TenantPlan = 'standard' | 'enterprise';
export type OrgPlan = 'free' | 'team' | 'enterprise';
export type MemberRole = 'owner' | 'admin' | 'member';
export type ScopeKind = 'tenant' | 'org';
/** aws_organization: discovers an Organization. aws_accounts: a standalone set of accounts. */
export type IntegrationKind = 'aws_organization';
export type PermissionMode = 'all' | 'specific' | 'none';
/** Regions a connection queries: every enabled region, or an explicit list. */
export type RegionsSetting = 'all' | string[];
export type FolderKind = 'root' | 'ou';
export type ConnectionState = 'active' | 'disabled';
export type Health = 'unknown' | 'ok' | 'blocked' | 'error';

export interface AdvancedOptions {
  maxErrorRetryAttempts?: number;
  minErrorRetryDelayMs?: number;
  ignoreErrorCodes?: string[];
  defaultRegion?: string;
}

export interface TenantTable {
  id: string; // t_xxxxxxxxxxxx
  name: string;
  plan: TenantPlan;
  created_at: CreatedAt;
}

export interface OrgTable {
  id: string; // o_xxxxxxxxxxxx
  tenant_id: string;
  name: string;
  plan: OrgPlan;
  created_at: CreatedAt;
}

export interface WorkspaceTable {
  id: string; // w_xxxxxxxxxxxx
  tenant_id: string;
  org_id: string;
  handle: string; // unique within its org
  name: string;
  created_at: CreatedAt;
}

export interface UserTable {
  id: string; // u_xxxxxxxxxxxx
  email: string; // unique
  name: string;
  /** Operators of the whole installation (the bootstrap admin). Not a tenant role. */
  is_admin: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface MembershipTable {
  id: Generated<number>;
  user_id: string;
  tenant_id: string;
  scope_kind: ScopeKind;
  scope_id: string; // tenant id or org id
  role: MemberRole;
  created_at: CreatedAt;
}

export interface ApiTokenTable {
  id: string; // tok_xxxxxxxxxxxx
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the whole token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface IntegrationTable {
  id: string; // i_xxxxxxxxxxxx
  tenant_id: string;
  /** Null for a tenant-level integration. */
  org_id: string | null;
  kind: IntegrationKind;
  handle: string; // unique within the tenant, across all orgs
  role_name: string;
  external_id: string; // unique across the installation
  role_arn: string | null; // discovery role (management or delegated admin account)
  handle_prefix: string | null;
  regions: Json<RegionsSetting>;
  advanced: Json<AdvancedOptions>;
  capabilities: Json<string[]>;
  custom_policy_arns: Json<string[]>;
  extra_actions: Json<string[]>;
  permission_mode: PermissionMode;
  permission_workspace_ids: Json<string[]>;
  /** AES-256-GCM ciphertext (see src/store/secret-box.ts) of the event webhook HMAC key. */
  webhook_secret_enc: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  // Sync state (migration 0002-sync).
  last_synced_at: NullableTimestamp;
  last_sync_status: ColumnType<LastSyncStatus | null, LastSyncStatus | null | undefined, LastSyncStatus | null>;
  /** Null: the configured default interval. */
  sync_interval_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  /** The handle prefix the mirror's handles were derived with (to notice a prefix change). */
  mirror_handle_prefix: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FolderTable {
  id: string; // f_xxxxxxxxxxxx
  tenant_id: string;
  integration_id: string;
  parent_id: string | null;
  kind: FolderKind;
  aws_id: string; // r-xxxx or ou-xxxx-xxxxxxxx
  handle: string; // unique within the tenant among folders
  /** A user override; survives renames, moves and prefix changes. */
  handle_is_custom: ColumnType<boolean, boolean | undefined, boolean>;
  title: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConnectionTable {
  id: string; // c_xxxxxxxxxxxx
  tenant_id: string;
  /** Owning org for org-level integrations and org-scoped standalone connections. */
  org_id: string | null;
  /** Null for a standalone connection. */
  integration_id: string | null;
  folder_id: string | null;
  handle: string; // unique within the tenant among connections
  handle_is_custom: ColumnType<boolean, boolean | undefined, boolean>;
  title: string;
  /** The single account this connection reaches; null when account_scope is set. */
  aws_account_id: string | null;
  /** Standalone multi-account scope (DoiT-style): 'all' or a list of account ids. */
  account_scope: NullableJson<'all' | string[]>;
  /** Standalone connections carry their own role settings; discovered ones inherit. */
  role_name: string | null;
  external_id: string | null;
  regions: NullableJson<RegionsSetting>;
  advanced: NullableJson<AdvancedOptions>;
  /** A standalone connection's role permissions (migration 0003); null for discovered ones, which inherit. */
  capabilities: NullableJson<string[]>;
  custom_policy_arns: NullableJson<string[]>;
  extra_actions: NullableJson<string[]>;
  state: ConnectionState;
  aws_state: string | null; // ACTIVE, SUSPENDED, PENDING_CLOSURE...
  health: ColumnType<Health, Health | undefined, Health>;
  health_reason: string | null;
  health_checked_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type PermissionTargetKind = 'folder' | 'connection';
export type GranteeKind = 'workspace' | 'all_workspaces';

export interface PermissionTable {
  id: string; // p_xxxxxxxxxxxx
  tenant_id: string;
  target_kind: PermissionTargetKind;
  target_id: string;
  grantee_kind: GranteeKind;
  /** Workspace id, or null for all_workspaces. */
  grantee_id: string | null;
  created_at: CreatedAt;
}

export interface AuditTable {
  id: Generated<string>; // bigserial, read as string
  tenant_id: string | null;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string; // e.g. integration.create
  target_kind: string;
  target_id: string;
  before: NullableJson<unknown>;
  after: NullableJson<unknown>;
  request_id: string | null;
  at: CreatedAt;
}

export type SyncTrigger = 'manual' | 'schedule' | 'event' | 'create' | 'approval';
export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'awaiting_approval' | 'superseded';
export type LastSyncStatus = 'succeeded' | 'failed' | 'awaiting_approval';

export const SYNC_TRIGGERS: readonly SyncTrigger[] = ['manual', 'schedule', 'event', 'create', 'approval'];

/** One sync of an integration (migration 0002-sync). */
export interface SyncRunTable {
  id: string; // sr_xxxxxxxxxxxx
  tenant_id: string;
  integration_id: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  auto_approve: ColumnType<boolean, boolean | undefined, boolean>;
  /** For trigger 'approval': the awaiting run whose plan a person approved. */
  approves_run_id: string | null;
  /** The stored plan: only for runs awaiting approval (the ops a person approves). */
  plan: NullableJson<unknown>;
  summary: NullableJson<unknown>;
  progress: NullableJson<unknown>;
  error: NullableJson<unknown>;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** A forwarded Organizations event, kept for idempotency (migration 0002-sync). */
export interface IntegrationEventTable {
  id: ColumnType<string, never, never>; // bigserial, read as string
  tenant_id: string;
  integration_id: string;
  event_id: string;
  event_name: string | null;
  received_at: CreatedAt;
  processed_at: NullableTimestamp;
  outcome: NullableJson<unknown>;
}

export interface Database {
  tenants: TenantTable;
  orgs: OrgTable;
  workspaces: WorkspaceTable;
  users: UserTable;
  memberships: MembershipTable;
  api_tokens: ApiTokenTable;
  integrations: IntegrationTable;
  folders: FolderTable;
  connections: ConnectionTable;
  permissions: PermissionTable;
  audit_log: AuditTable;
  sync_runs: SyncRunTable;
  integration_events: IntegrationEventTable;
}

export type Tenant = Selectable<TenantTable>;
export type Org = Selectable<OrgTable>;
export type Workspace = Selectable<WorkspaceTable>;
export type User = Selectable<UserTable>;
export type Membership = Selectable<MembershipTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type Integration = Selectable<IntegrationTable>;
export type NewIntegration = Insertable<IntegrationTable>;
export type IntegrationUpdate = Updateable<IntegrationTable>;
export type Folder = Selectable<FolderTable>;
export type Connection = Selectable<ConnectionTable>;
export type NewConnection = Insertable<ConnectionTable>;
export type Permission = Selectable<PermissionTable>;
export type AuditEntry = Selectable<AuditTable>;
export type SyncRunRow = Selectable<SyncRunTable>;
