/**
 * Turns `integration create|update` and `connection create` flags into REST bodies.
 * Pure: the API checks every rule; this only decides which fields the user set.
 */
import { InvalidArgumentError } from 'commander';
import { compact } from './command-helpers.js';

/** Flags shared by commands that carry connection settings and permissions policy inputs. */
export interface ConnectionSettingFlags {
  regions?: 'all' | string[];
  maxErrorRetryAttempts?: number;
  minErrorRetryDelayMs?: number;
  ignoreErrorCodes?: string[];
  defaultRegion?: string;
  capability?: string[];
  managedPolicyArn?: string[];
  extraAction?: string[];
}

/** Flags of `integration create` (and, all optional, `integration update`). */
export interface IntegrationFlags extends ConnectionSettingFlags {
  handle?: string;
  roleName?: string;
  externalId?: string;
  roleArn?: string;
  /** A string sets it; `false` (from --no-handle-prefix) clears it. */
  handlePrefix?: string | false;
  permissions?: string;
  workspace?: string[];
  /** From --sync-interval (see parseSyncInterval). */
  syncInterval?: number | 'default';
}

/**
 * Option parser for `--sync-interval <seconds|default|off>`: seconds, `off` as 0, or `'default'`,
 * which the body sends as null (the server's sync.intervalSeconds). Not null itself: commander
 * stores a parser's null as ''. The API checks the bounds, so the rule lives in one place.
 */
export function parseSyncInterval(value: string): number | 'default' {
  const text = value.trim();
  if (text === 'default') return 'default';
  if (text === 'off') return 0;
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError("Give whole seconds, 'default' or 'off'.");
  return Number(text);
}

/** The `advanced` object, or undefined when no advanced flag was given. */
export function advancedFromFlags(flags: ConnectionSettingFlags): Record<string, unknown> | undefined {
  const advanced = compact({
    maxErrorRetryAttempts: flags.maxErrorRetryAttempts,
    minErrorRetryDelayMs: flags.minErrorRetryDelayMs,
    ignoreErrorCodes: flags.ignoreErrorCodes,
    defaultRegion: flags.defaultRegion,
  });
  return Object.keys(advanced).length === 0 ? undefined : advanced;
}

/** Policy inputs (`capabilities`, `customPolicyArns`, `extraActions`) that were given. */
export function policyFromFlags(flags: ConnectionSettingFlags): Record<string, unknown> {
  return compact({
    capabilities: flags.capability,
    customPolicyArns: flags.managedPolicyArn,
    extraActions: flags.extraAction,
  });
}

/** The permissions object: `--workspace` alone implies mode `specific`. */
export function permissionsFromFlags(flags: IntegrationFlags): Record<string, unknown> | undefined {
  const mode = flags.permissions ?? (flags.workspace === undefined ? undefined : 'specific');
  if (mode === undefined) return undefined;
  return compact({ mode, workspaceIds: flags.workspace });
}

/** Body of POST /v1/{tenants|orgs}/:id/integrations, or of PATCH (only the fields given). */
export function integrationBody(flags: IntegrationFlags): Record<string, unknown> {
  const discovery = compact({ roleName: flags.roleName, externalId: flags.externalId, roleArn: flags.roleArn });
  const connections = compact({
    handlePrefix: flags.handlePrefix === false ? null : flags.handlePrefix,
    regions: flags.regions,
    advanced: advancedFromFlags(flags),
  });
  return compact({
    handle: flags.handle,
    discovery: Object.keys(discovery).length === 0 ? undefined : discovery,
    connections: Object.keys(connections).length === 0 ? undefined : connections,
    ...policyFromFlags(flags),
    permissions: permissionsFromFlags(flags),
    sync: flags.syncInterval === undefined ? undefined : { intervalSeconds: flags.syncInterval === 'default' ? null : flags.syncInterval },
  });
}

/** Flags of `connection create|update` (standalone connections). */
export interface ConnectionFlags extends ConnectionSettingFlags {
  handle?: string;
  org?: string;
  title?: string;
  accountId?: string;
  accounts?: string[];
  allAccounts?: boolean;
  roleName?: string;
  externalId?: string;
}

/**
 * Body of POST /v1/tenants/:id/connections, or of PATCH (only the fields given).
 * The account flags are mutually exclusive (commander checks); on PATCH, choosing one clears the other.
 */
export function connectionBody(flags: ConnectionFlags, mode: 'create' | 'update' = 'create'): Record<string, unknown> {
  const accountScope = flags.allAccounts === true ? 'all' : flags.accounts;
  const clearOther =
    mode === 'update' && flags.accountId !== undefined ? { accountScope: null } : mode === 'update' && accountScope !== undefined ? { accountId: null } : {};
  return compact({
    handle: flags.handle,
    orgId: flags.org,
    title: flags.title,
    accountId: flags.accountId,
    accountScope,
    ...clearOther,
    roleName: flags.roleName,
    externalId: flags.externalId,
    regions: flags.regions,
    advanced: advancedFromFlags(flags),
    ...policyFromFlags(flags),
  });
}
