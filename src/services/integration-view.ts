/** The public shape of an integration: camelCase, grouped like the wizard, no stored secrets. */
import type { AdvancedOptions, Integration, LastSyncStatus, PermissionMode, RegionsSetting } from '../store/database.js';
import type { IntegrationSettings, IntegrationSettingsInput } from './integration-settings.js';

export interface IntegrationView {
  id: string;
  tenantId: string;
  orgId: string | null;
  scope: 'tenant' | 'org';
  kind: 'aws_organization';
  handle: string;
  discovery: { roleName: string; externalId: string; roleArn: string | null };
  connections: { handlePrefix: string | null; regions: RegionsSetting; advanced: AdvancedOptions };
  capabilities: string[];
  customPolicyArns: string[];
  extraActions: string[];
  permissions: { mode: PermissionMode; workspaceIds: string[] };
  /** Sync state; `intervalSeconds` null: the server default (sync.intervalSeconds), 0: never scheduled. */
  sync: { lastSyncedAt: string | null; lastSyncStatus: LastSyncStatus | null; intervalSeconds: number | null };
  createdAt: string;
  updatedAt: string;
}

/** Maps an integration row to its public shape (webhook_secret_enc is deliberately absent). */
export function integrationView(row: Integration): IntegrationView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    orgId: row.org_id,
    scope: row.org_id === null ? 'tenant' : 'org',
    kind: row.kind,
    handle: row.handle,
    discovery: { roleName: row.role_name, externalId: row.external_id, roleArn: row.role_arn },
    connections: { handlePrefix: row.handle_prefix, regions: row.regions, advanced: row.advanced },
    capabilities: row.capabilities,
    customPolicyArns: row.custom_policy_arns,
    extraActions: row.extra_actions,
    permissions: { mode: row.permission_mode, workspaceIds: row.permission_workspace_ids },
    sync: {
      lastSyncedAt: row.last_synced_at === null ? null : new Date(row.last_synced_at).toISOString(),
      lastSyncStatus: row.last_sync_status,
      intervalSeconds: row.sync_interval_seconds,
    },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The stored settings as settings input, the base a PATCH is merged onto. */
export function settingsInputOf(view: IntegrationView): IntegrationSettingsInput {
  return {
    handle: view.handle,
    discovery: { ...view.discovery },
    connections: { ...view.connections },
    capabilities: view.capabilities,
    customPolicyArns: view.customPolicyArns,
    extraActions: view.extraActions,
    permissions: { ...view.permissions },
    sync: { intervalSeconds: view.sync.intervalSeconds },
  };
}

/** Column values for validated settings. */
export function settingsColumns(settings: IntegrationSettings) {
  return {
    handle: settings.handle,
    role_name: settings.roleName,
    external_id: settings.externalId,
    role_arn: settings.roleArn,
    handle_prefix: settings.handlePrefix,
    regions: JSON.stringify(settings.regions),
    advanced: JSON.stringify(settings.advanced),
    capabilities: JSON.stringify(settings.capabilities),
    custom_policy_arns: JSON.stringify(settings.customPolicyArns),
    extra_actions: JSON.stringify(settings.extraActions),
    permission_mode: settings.permissionMode,
    permission_workspace_ids: JSON.stringify(settings.permissionWorkspaceIds),
    sync_interval_seconds: settings.syncIntervalSeconds,
  };
}
