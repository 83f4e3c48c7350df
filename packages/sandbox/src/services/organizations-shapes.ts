/**
 * Organizations' wire shapes and input rules: how accounts, OUs and roots look in
 * responses, the id patterns AWS validates, and who may call (the management account
 * for everything, delegated administrators for reads, any member for DescribeOrganization).
 */
import { accessDenied } from '../aws-error.js';
import {
  accountArn,
  orgError,
  ouArn,
  requireOrganization,
  rootArn,
  settleClosures,
} from '../organization-state.js';
import type { OperationContext } from '../service.js';
import type { Account, Organization, OrganizationalUnit, World } from '../world.js';

export const ACCOUNT_ID = /^\d{12}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SERVICE_PRINCIPAL = /^[\w+=,.@-]{1,128}$/;

/** Who may call an operation: `management` only, `read` (plus delegated admins), or `member` (any account in the org). */
export type CallerRule = 'management' | 'read' | 'member';

/** Settles pending closures and enforces the caller rule; returns the organization. */
export function checkCaller(ctx: OperationContext, rule: CallerRule): Organization {
  const world = ctx.world;
  const org = requireOrganization(world);
  settleClosures(world);
  const callerAccountId = ctx.caller.accountId;
  const account = world.accounts.get(callerAccountId);
  if (callerAccountId !== org.managementAccountId && (!account || account.parentId === null)) {
    throw orgError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  }
  if (callerAccountId === org.managementAccountId || rule === 'member') return org;
  if (rule === 'read' && org.delegatedAdministrators.has(callerAccountId)) return org;
  throw accessDenied("You don't have permissions to access this resource.", 'AccessDeniedException');
}

/** InvalidInputException for a value that breaks AWS's pattern. */
export function invalidPattern(field: string): never {
  throw orgError('InvalidInputException', `You provided a value that does not match the required pattern for ${field}.`, 'INVALID_PATTERN');
}

/** A required string field. */
export function requiredString(input: Record<string, unknown>, field: string, maxLength = 1024): string {
  const value = input[field];
  if (value === undefined || value === null) {
    throw orgError('InvalidInputException', `You must specify a value for ${field}.`, 'INPUT_REQUIRED');
  }
  if (typeof value !== 'string' || value.length === 0) invalidPattern(field);
  if (value.length > maxLength) {
    throw orgError('InvalidInputException', `You provided a value for ${field} that is too long.`, 'MAX_LENGTH_EXCEEDED');
  }
  return value;
}

/** A required string that must match `pattern`. */
export function requiredMatching(input: Record<string, unknown>, field: string, pattern: RegExp): string {
  const value = requiredString(input, field);
  if (!pattern.test(value)) invalidPattern(field);
  return value;
}

/** A root or OU id (pattern only). */
export function requiredParentId(input: Record<string, unknown>, field: string): string {
  const value = requiredString(input, field);
  if (!ROOT_ID.test(value) && !OU_ID.test(value)) invalidPattern(field);
  return value;
}

/** An OU name: 1–128 characters. */
export function requiredOuName(input: Record<string, unknown>, field = 'Name'): string {
  return requiredString(input, field, 128);
}

/** An email address as AWS accepts it for CreateAccount (6–64 characters). */
export function requiredEmail(input: Record<string, unknown>, field = 'Email'): string {
  const value = requiredString(input, field, 64);
  if (value.length < 6 || !EMAIL.test(value)) invalidPattern(field);
  return value;
}

/** A service principal such as `sso.amazonaws.com`. */
export function requiredServicePrincipal(input: Record<string, unknown>): string {
  return requiredMatching(input, 'ServicePrincipal', SERVICE_PRINCIPAL);
}

/** An optional service principal filter. */
export function optionalServicePrincipal(input: Record<string, unknown>): string | undefined {
  if (input.ServicePrincipal === undefined || input.ServicePrincipal === null) return undefined;
  return requiredServicePrincipal(input);
}

/** Legacy Status: CLOSED accounts read as SUSPENDED, as AWS reports them. */
export function legacyStatus(account: Account): 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' {
  if (account.state === 'CLOSED') return 'SUSPENDED';
  return account.state;
}

/** An Account as Organizations returns it. */
export function accountShape(world: World, org: Organization, account: Account): Record<string, unknown> {
  return {
    Id: account.id,
    Arn: accountArn(world, org, account.id),
    Email: account.email,
    Name: account.name,
    Status: legacyStatus(account),
    State: account.state,
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: account.joinedTimestamp,
  };
}

/** An OrganizationalUnit as Organizations returns it. */
export function ouShape(world: World, org: Organization, ou: OrganizationalUnit): Record<string, unknown> {
  return { Id: ou.id, Arn: ouArn(world, org, ou.id), Name: ou.name };
}

/** The Root as Organizations returns it. */
export function rootShape(world: World, org: Organization): Record<string, unknown> {
  return { Id: org.rootId, Arn: rootArn(world, org), Name: 'Root', PolicyTypes: [] };
}
