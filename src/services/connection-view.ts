/** The public shape of a connection (standalone or created by an integration). */
import type { AdvancedOptions, Connection, ConnectionState, Health, RegionsSetting } from '../store/database.js';

export interface ConnectionView {
  id: string;
  tenantId: string;
  orgId: string | null;
  scope: 'tenant' | 'org';
  /** True when created by hand; false when an integration's discovery created it. */
  standalone: boolean;
  integrationId: string | null;
  folderId: string | null;
  handle: string;
  title: string;
  accountId: string | null;
  accountScope: 'all' | string[] | null;
  roleName: string | null;
  externalId: string | null;
  regions: RegionsSetting | null;
  advanced: AdvancedOptions | null;
  /** The role's permissions (standalone connections); null when inherited from the integration. */
  capabilities: string[] | null;
  customPolicyArns: string[] | null;
  extraActions: string[] | null;
  state: ConnectionState;
  awsState: string | null;
  health: Health;
  healthReason: string | null;
  healthCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Maps a connection row to its public shape. */
export function connectionView(row: Connection): ConnectionView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    orgId: row.org_id,
    scope: row.org_id === null ? 'tenant' : 'org',
    standalone: row.integration_id === null,
    integrationId: row.integration_id,
    folderId: row.folder_id,
    handle: row.handle,
    title: row.title,
    accountId: row.aws_account_id,
    accountScope: row.account_scope,
    roleName: row.role_name,
    externalId: row.external_id,
    regions: row.regions,
    advanced: row.advanced,
    capabilities: row.capabilities,
    customPolicyArns: row.custom_policy_arns,
    extraActions: row.extra_actions,
    state: row.state,
    awsState: row.aws_state,
    health: row.health,
    healthReason: row.health_reason,
    healthCheckedAt: row.health_checked_at === null ? null : new Date(row.health_checked_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
