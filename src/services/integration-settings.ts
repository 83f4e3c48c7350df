/**
 * Turns an integration's requested settings into validated, normalized settings using the
 * core rules. Create and PATCH both go through here (PATCH with the merged result), so an
 * integration can never be stored in a state that creation would have refused.
 */
import { InputError } from '../core/errors.js';
import { generateExternalId, validateExternalId } from '../core/external-id.js';
import { validateHandle, validateHandlePrefix } from '../core/handle.js';
import { parseRoleArn, validateDiscoveryRoleArn } from '../core/arn.js';
import { validateRegions } from '../core/regions.js';
import { validateAdvancedOptions } from '../core/advanced-options.js';
import { validateRoleName } from '../core/role-name.js';
import { validateSyncInterval } from '../core/sync-interval.js';
import { validateCapabilities, DEFAULT_CAPABILITIES, type Capability } from '../core/capabilities.js';
import { composePermissions, validateExtraActions, validateManagedPolicyArns } from '../core/policy-composition.js';
import type { AdvancedOptions, PermissionMode, RegionsSetting } from '../store/database.js';

/** The settings of an integration as a client sends them (shape already checked at the edge). */
export interface IntegrationSettingsInput {
  handle: string;
  discovery: { roleName: string; externalId?: string | null; roleArn?: string | null };
  connections?: { handlePrefix?: string | null; regions?: RegionsSetting; advanced?: unknown };
  capabilities?: string[];
  customPolicyArns?: string[];
  extraActions?: string[];
  permissions?: { mode: PermissionMode; workspaceIds?: string[] };
  /** `intervalSeconds` null (or no `sync`): the server default; 0: never scheduled. */
  sync?: { intervalSeconds: number | null };
}

/** Validated settings, ready to store. */
export interface IntegrationSettings {
  handle: string;
  roleName: string;
  externalId: string;
  roleArn: string | null;
  handlePrefix: string | null;
  regions: RegionsSetting;
  advanced: AdvancedOptions;
  capabilities: string[];
  customPolicyArns: string[];
  extraActions: string[];
  permissionMode: PermissionMode;
  permissionWorkspaceIds: string[];
  syncIntervalSeconds: number | null;
}

/** Checks the permissions choice; workspace membership of the scope is checked against the database later. */
export function validatePermissions(
  value: { mode: PermissionMode; workspaceIds?: string[] } | undefined,
): { mode: PermissionMode; workspaceIds: string[] } {
  if (value === undefined) return { mode: 'none', workspaceIds: [] };
  const ids = [...new Set(value.workspaceIds ?? [])];
  if (value.mode === 'specific' && ids.length === 0) {
    throw new InputError('permissions_workspaces_required', "Choose at least one workspace for mode 'specific'", {
      field: 'permissions.workspaceIds',
    });
  }
  if (value.mode !== 'specific' && ids.length > 0) {
    throw new InputError('permissions_workspaces_unexpected', `Workspace ids are only allowed with mode 'specific', not '${value.mode}'`, {
      field: 'permissions.workspaceIds',
    });
  }
  return { mode: value.mode, workspaceIds: ids };
}

/** Validates every setting; `ownerId` is the tenant or org id the External ID must start with. */
export function validateIntegrationSettings(input: IntegrationSettingsInput, ownerId: string): IntegrationSettings {
  const handle = validateHandle(input.handle, 'handle');
  const roleName = validateRoleName(input.discovery.roleName, 'discovery.roleName');
  const externalId =
    input.discovery.externalId === undefined || input.discovery.externalId === null
      ? generateExternalId(ownerId)
      : validateExternalId(input.discovery.externalId, ownerId, 'discovery.externalId');
  const roleArn =
    input.discovery.roleArn === undefined || input.discovery.roleArn === null || input.discovery.roleArn === ''
      ? null
      : validateDiscoveryRoleArn(input.discovery.roleArn, roleName, 'discovery.roleArn').arn;
  const connections = input.connections ?? {};
  const permissions = validatePermissions(input.permissions);
  const capabilities = validateCapabilities(input.capabilities ?? [...DEFAULT_CAPABILITIES], 'capabilities');
  const customPolicyArns = validateManagedPolicyArns(input.customPolicyArns ?? [], 'customPolicyArns');
  const extraActions = validateExtraActions(input.extraActions ?? [], 'extraActions');
  assertRolesComposable({ capabilities, customPolicyArns, extraActions }, roleArn);
  return {
    handle,
    roleName,
    externalId,
    roleArn,
    handlePrefix: validateHandlePrefix(connections.handlePrefix, 'connections.handlePrefix'),
    regions: validateRegions(connections.regions ?? 'all', 'connections.regions'),
    advanced: validateAdvancedOptions(connections.advanced, 'connections.advanced'),
    capabilities,
    customPolicyArns,
    extraActions,
    permissionMode: permissions.mode,
    permissionWorkspaceIds: permissions.workspaceIds,
    syncIntervalSeconds: validateSyncInterval(input.sync === undefined ? null : input.sync.intervalSeconds, 'sync.intervalSeconds'),
  };
}

/**
 * Composes both roles' permissions so IAM's limits (10 managed policies, inline policy size) fail
 * at create or PATCH, not later when a template is rendered. The partition is the discovery role
 * ARN's when known, else aws: only the discovery role's identity_provision resources name it, and
 * the templates use the platform principal's partition, which may differ by a few characters.
 */
function assertRolesComposable(
  permissions: { capabilities: Capability[]; customPolicyArns: string[]; extraActions: string[] },
  roleArn: string | null,
): void {
  const partition = roleArn === null ? 'aws' : parseRoleArn(roleArn, 'discovery.roleArn').partition;
  composePermissions({ ...permissions, partition, role: 'discovery' });
  composePermissions({ ...permissions, partition, role: 'member' });
}
