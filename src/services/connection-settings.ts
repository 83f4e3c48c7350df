/**
 * Validation of a standalone connection's settings: a single account (Trelica) or one role
 * shared by several accounts or all of them (DoiT), with that role's permissions. Create and
 * PATCH share it, so PATCH validates the merged result.
 */
import { validateAccountId } from '../core/account-id.js';
import { validateAdvancedOptions } from '../core/advanced-options.js';
import {
  CAPABILITIES,
  CAPABILITY_DEFINITIONS,
  DEFAULT_CAPABILITIES,
  capabilitiesForRole,
  validateCapabilities,
  type Capability,
} from '../core/capabilities.js';
import { InputError } from '../core/errors.js';
import { generateExternalId, validateExternalId } from '../core/external-id.js';
import { validateHandle } from '../core/handle.js';
import { composePermissions, validateExtraActions, validateManagedPolicyArns } from '../core/policy-composition.js';
import { validateRegions } from '../core/regions.js';
import { validateRoleName } from '../core/role-name.js';
import type { AdvancedOptions, RegionsSetting } from '../store/database.js';

/** A standalone connection's settings as a client sends them. */
export interface ConnectionSettingsInput {
  handle: string;
  title?: string;
  accountId?: string | null;
  accountScope?: 'all' | string[] | null;
  roleName: string;
  externalId?: string | null;
  regions?: RegionsSetting;
  advanced?: unknown;
  capabilities?: string[] | null;
  customPolicyArns?: string[] | null;
  extraActions?: string[] | null;
}

/** Validated settings, ready to store. */
export interface ConnectionSettings {
  handle: string;
  title: string;
  accountId: string | null;
  accountScope: 'all' | string[] | null;
  roleName: string;
  externalId: string;
  regions: RegionsSetting;
  advanced: AdvancedOptions;
  capabilities: Capability[];
  customPolicyArns: string[];
  extraActions: string[];
}

/**
 * Capabilities of a new standalone connection when the client names none: the member-role part
 * of an integration's defaults (read_only), which is also what connections created before
 * migration 0003 were given.
 */
export const DEFAULT_CONNECTION_CAPABILITIES: readonly Capability[] = capabilitiesForRole(DEFAULT_CAPABILITIES, 'member');

/**
 * A standalone connection has one role, a member role: a capability that only the discovery role
 * receives (discovery, identity_read, identity_provision) would silently vanish from its
 * template, so it is refused instead.
 */
function validateConnectionCapabilities(value: unknown, field: string): Capability[] {
  const capabilities = validateCapabilities(value, field);
  const list = value as unknown[];
  capabilities.forEach((capability) => {
    if (CAPABILITY_DEFINITIONS[capability].roles.includes('member')) return;
    const index = list.indexOf(capability);
    throw new InputError(
      'capability_not_for_connection',
      `Capability '${capability}' applies only to an integration's discovery role; a standalone connection's role is a member role (grant single actions with extraActions)`,
      { field: `${field}.${index}`, details: { value: capability, allowed: capabilitiesForRole(CAPABILITIES, 'member') } },
    );
  });
  return capabilities;
}

function validateAccountScope(value: 'all' | string[]): 'all' | string[] {
  if (value === 'all') return 'all';
  if (value.length === 0) {
    throw new InputError('account_scope_empty', "accountScope must list at least one account id, or be 'all'", { field: 'accountScope' });
  }
  return [...new Set(value.map((id, index) => validateAccountId(id, `accountScope.${index}`)))];
}

/** Exactly one of accountId and accountScope. */
function validateAccounts(input: ConnectionSettingsInput): { accountId: string | null; accountScope: 'all' | string[] | null } {
  const hasId = input.accountId !== undefined && input.accountId !== null;
  const hasScope = input.accountScope !== undefined && input.accountScope !== null;
  if (hasId && hasScope) {
    throw new InputError('account_choice_conflict', 'Give either accountId (one account) or accountScope (several or all), not both', {
      field: 'accountScope',
    });
  }
  if (!hasId && !hasScope) {
    throw new InputError('account_required', 'Give accountId (one account) or accountScope (a list of account ids, or "all")', {
      field: 'accountId',
    });
  }
  if (hasId) return { accountId: validateAccountId(input.accountId, 'accountId'), accountScope: null };
  return { accountId: null, accountScope: validateAccountScope(input.accountScope as 'all' | string[]) };
}

/** Validates every setting; `ownerId` is the org id (org-scoped) or tenant id the External ID must start with. */
export function validateConnectionSettings(input: ConnectionSettingsInput, ownerId: string): ConnectionSettings {
  const handle = validateHandle(input.handle, 'handle');
  const accounts = validateAccounts(input);
  const roleName = validateRoleName(input.roleName, 'roleName');
  const externalId =
    input.externalId === undefined || input.externalId === null
      ? generateExternalId(ownerId)
      : validateExternalId(input.externalId, ownerId, 'externalId');
  const title = (input.title ?? '').trim();
  return {
    handle,
    title: title === '' ? handle : title,
    ...accounts,
    roleName,
    externalId,
    regions: validateRegions(input.regions ?? 'all', 'regions'),
    advanced: validateAdvancedOptions(input.advanced, 'advanced'),
    ...validateConnectionPermissions(input),
  };
}

/**
 * The role's permissions, composed once here so IAM's limits (10 managed policies, inline policy
 * size) fail at create or PATCH rather than when the template is rendered. The member role's
 * statements all use `Resource: "*"`, so the partition does not change the composed size.
 */
function validateConnectionPermissions(input: ConnectionSettingsInput): Pick<ConnectionSettings, 'capabilities' | 'customPolicyArns' | 'extraActions'> {
  const capabilities = validateConnectionCapabilities(input.capabilities ?? [...DEFAULT_CONNECTION_CAPABILITIES], 'capabilities');
  const customPolicyArns = validateManagedPolicyArns(input.customPolicyArns ?? [], 'customPolicyArns');
  const extraActions = validateExtraActions(input.extraActions ?? [], 'extraActions');
  composePermissions({ capabilities, customPolicyArns, extraActions, partition: 'aws', role: 'member' });
  return { capabilities, customPolicyArns, extraActions };
}

/** Column values for validated settings. */
export function connectionColumns(settings: ConnectionSettings) {
  return {
    handle: settings.handle,
    title: settings.title,
    aws_account_id: settings.accountId,
    account_scope: settings.accountScope === null ? null : JSON.stringify(settings.accountScope),
    role_name: settings.roleName,
    external_id: settings.externalId,
    regions: JSON.stringify(settings.regions),
    advanced: JSON.stringify(settings.advanced),
    capabilities: JSON.stringify(settings.capabilities),
    custom_policy_arns: JSON.stringify(settings.customPolicyArns),
    extra_actions: JSON.stringify(settings.extraActions),
  };
}
