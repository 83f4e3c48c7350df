/**
 * Pure state operations on a world's organization: the tree (root, OUs, accounts), its
 * invariants (OU depth ≤ 5, unique sibling OU names, empty OUs only deleted) and the
 * WorldEvents that StackSets and event delivery react to. Errors are Organizations' own.
 * The API layer (services/organizations.ts) adds caller checks and CloudTrail events.
 */
import { AwsError } from './aws-error.js';
import { randomAccountId, randomString } from './ids.js';
import { organizationExtras } from './organization-state-extras.js';
import { emitWorldEvent, iamAccount, worldRandom } from './world-factory.js';
import type { Account, AccountState, Organization, OrganizationalUnit, World } from './world.js';

/** AWS's nesting limit: five levels of OUs under the root. */
export const MAX_OU_DEPTH = 5;
/** AWS's newer OU quota per organization. */
export const MAX_OUS = 2000;

/**
 * An Organizations error. Some carry a `Reason` member (ConstraintViolationException,
 * InvalidInputException); it is kept on the error as `reason` for the JSON renderer.
 */
export class OrganizationsError extends AwsError {
  readonly reason: string | undefined;

  constructor(code: string, message: string, reason?: string) {
    super(code, message, 400);
    this.reason = reason;
  }
}

/** Organizations' error, with an optional Reason (e.g. OU_DEPTH_LIMIT_EXCEEDED). */
export function orgError(code: string, message: string, reason?: string): OrganizationsError {
  return new OrganizationsError(code, message, reason);
}

/** The organization, or AWSOrganizationsNotInUseException. */
export function requireOrganization(world: World): Organization {
  if (!world.organization) throw orgError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  return world.organization;
}

export function organizationArn(world: World, org: Organization): string {
  return `arn:${world.partition}:organizations::${org.managementAccountId}:organization/${org.id}`;
}

export function rootArn(world: World, org: Organization): string {
  return `arn:${world.partition}:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`;
}

export function ouArn(world: World, org: Organization, ouId: string): string {
  return `arn:${world.partition}:organizations::${org.managementAccountId}:ou/${org.id}/${ouId}`;
}

export function accountArn(world: World, org: Organization, accountId: string): string {
  return `arn:${world.partition}:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`;
}

/** Creates the organization around an existing account, which becomes its management account. */
export function createOrganization(world: World, managementAccountId: string, ids: { id?: string; rootId?: string } = {}): Organization {
  if (world.organization) throw orgError('AlreadyInOrganizationException', 'The account is already a member of an organization.');
  const management = world.accounts.get(managementAccountId);
  if (!management) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
  const random = worldRandom(world);
  const org: Organization = {
    id: ids.id ?? `o-${randomString(random, 10)}`,
    managementAccountId,
    featureSet: 'ALL',
    rootId: ids.rootId ?? `r-${randomString(random, 4)}`,
    ous: new Map(),
    childOus: new Map(),
    childAccounts: new Map(),
    delegatedAdministrators: new Map(),
  };
  world.organization = org;
  management.parentId = org.rootId;
  org.childAccounts.set(org.rootId, [managementAccountId]);
  organizationExtras(world).accountList = null;
  return org;
}

/** True when `id` names the root or an existing OU. */
export function isParent(org: Organization, id: string): boolean {
  return id === org.rootId || org.ous.has(id);
}

/** The root or OU `id`, or ParentNotFoundException. */
export function requireParent(org: Organization, id: string, code = 'ParentNotFoundException'): string {
  if (!isParent(org, id)) throw orgError(code, "We can't find a root or OU with the ParentId that you specified.");
  return id;
}

/** The OU, or OrganizationalUnitNotFoundException. */
export function requireOu(org: Organization, ouId: string): OrganizationalUnit {
  const ou = org.ous.get(ouId);
  if (!ou) throw orgError('OrganizationalUnitNotFoundException', "We can't find an OU with the OrganizationalUnitId that you specified.");
  return ou;
}

/** An account of the organization, or AccountNotFoundException. */
export function requireMemberAccount(world: World, accountId: string): Account {
  const account = world.accounts.get(accountId);
  if (!account || account.parentId === null) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
  return account;
}

/** How deep `parentId` sits: the root is 0, its OUs 1, and so on. */
export function parentDepth(org: Organization, parentId: string): number {
  let depth = 0;
  let current = parentId;
  while (current !== org.rootId) {
    const ou = org.ous.get(current);
    if (!ou) break;
    depth++;
    current = ou.parentId;
  }
  return depth;
}

/** Generates an account id that is not yet used in the world. */
export function freshAccountId(world: World, random: () => number = worldRandom(world)): string {
  let id = randomAccountId(random);
  while (world.accounts.has(id)) id = randomAccountId(random);
  return id;
}

export interface NewAccount {
  id?: string;
  name: string;
  email: string;
  joinedMethod: 'INVITED' | 'CREATED';
  /** Defaults to the root. */
  parentId?: string;
  state?: AccountState;
  joinedTimestamp?: Date;
}

/** Adds an account to the organization (a new one, or an outside account by id) and emits account-joined. */
export function addAccountToOrganization(world: World, spec: NewAccount): Account {
  const org = requireOrganization(world);
  const parentId = requireParent(org, spec.parentId ?? org.rootId);
  let account = spec.id ? world.accounts.get(spec.id) : undefined;
  if (account?.parentId) throw orgError('DuplicateAccountException', 'That account is already present in the specified destination.');
  if (!account) {
    account = {
      id: spec.id ?? freshAccountId(world),
      name: spec.name,
      email: spec.email,
      state: spec.state ?? 'ACTIVE',
      joinedMethod: spec.joinedMethod,
      joinedTimestamp: spec.joinedTimestamp ?? world.now(),
      parentId,
    };
    world.accounts.set(account.id, account);
  } else {
    Object.assign(account, { joinedMethod: spec.joinedMethod, joinedTimestamp: spec.joinedTimestamp ?? world.now(), parentId });
    if (spec.state) account.state = spec.state;
  }
  iamAccount(world, account.id);
  pushChild(org.childAccounts, parentId, account.id);
  organizationExtras(world).accountList = null;
  emitWorldEvent(world, { type: 'account-joined', accountId: account.id, parentId });
  return account;
}

/** Creates an OU; enforces sibling-name uniqueness, the depth limit and the OU quota. */
export function createOrganizationalUnit(world: World, parentId: string, name: string, id?: string): OrganizationalUnit {
  const org = requireOrganization(world);
  requireParent(org, parentId);
  if (siblingOuNamed(org, parentId, name)) throw orgError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
  if (parentDepth(org, parentId) >= MAX_OU_DEPTH) {
    throw orgError('ConstraintViolationException', 'You have exceeded the number of levels of OUs that you can create (5).', 'OU_DEPTH_LIMIT_EXCEEDED');
  }
  if (org.ous.size >= MAX_OUS) throw orgError('ConstraintViolationException', `You have reached the maximum number of OUs (${MAX_OUS}).`, 'OU_NUMBER_LIMIT_EXCEEDED');
  const rootSuffix = org.rootId.slice(2);
  let ouId = id ?? `ou-${rootSuffix}-${randomString(worldRandom(world), 8)}`;
  while (org.ous.has(ouId)) ouId = `ou-${rootSuffix}-${randomString(worldRandom(world), 8)}`;
  const ou: OrganizationalUnit = { id: ouId, name, parentId };
  org.ous.set(ouId, ou);
  pushChild(org.childOus, parentId, ouId);
  return ou;
}

/** Renames an OU; DuplicateOrganizationalUnitException if a sibling has that name. */
export function renameOrganizationalUnit(world: World, ouId: string, name: string): OrganizationalUnit {
  const org = requireOrganization(world);
  const ou = requireOu(org, ouId);
  const sibling = siblingOuNamed(org, ou.parentId, name);
  if (sibling && sibling.id !== ouId) throw orgError('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
  ou.name = name;
  return ou;
}

/** Deletes an empty OU; OrganizationalUnitNotEmptyException otherwise. */
export function deleteOrganizationalUnit(world: World, ouId: string): OrganizationalUnit {
  const org = requireOrganization(world);
  const ou = requireOu(org, ouId);
  if ((org.childOus.get(ouId)?.length ?? 0) > 0 || (org.childAccounts.get(ouId)?.length ?? 0) > 0) {
    throw orgError(
      'OrganizationalUnitNotEmptyException',
      'The specified OU is not empty. Move all accounts to another root or OU, remove all child OUs, and try the operation again.',
    );
  }
  org.ous.delete(ouId);
  org.childOus.delete(ouId);
  org.childAccounts.delete(ouId);
  removeChild(org.childOus, ou.parentId, ouId);
  return ou;
}

/** Moves an account between parents and emits account-moved. */
export function moveAccount(world: World, accountId: string, sourceParentId: string, destinationParentId: string): Account {
  const org = requireOrganization(world);
  const account = requireMemberAccount(world, accountId);
  requireParent(org, sourceParentId, 'SourceParentNotFoundException');
  requireParent(org, destinationParentId, 'DestinationParentNotFoundException');
  if (account.parentId !== sourceParentId) {
    throw orgError('SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified.");
  }
  if (sourceParentId === destinationParentId) {
    throw orgError('DuplicateAccountException', 'That account is already present in the specified destination.');
  }
  removeChild(org.childAccounts, sourceParentId, accountId);
  pushChild(org.childAccounts, destinationParentId, accountId);
  account.parentId = destinationParentId;
  organizationExtras(world).accountList = null;
  emitWorldEvent(world, { type: 'account-moved', accountId, fromParentId: sourceParentId, toParentId: destinationParentId });
  return account;
}

/** Takes a member account out of the organization (it stays in the world, standalone) and emits account-removed. */
export function removeAccountFromOrganization(world: World, accountId: string): Account {
  const org = requireOrganization(world);
  const account = requireMemberAccount(world, accountId);
  if (accountId === org.managementAccountId) {
    throw orgError(
      'MasterCannotLeaveOrganizationException',
      "You can't remove the management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.",
    );
  }
  removeChild(org.childAccounts, account.parentId as string, accountId);
  account.parentId = null;
  const extras = organizationExtras(world);
  for (const servicePrincipal of org.delegatedAdministrators.get(accountId) ?? []) extras.delegationDates.delete(`${accountId} ${servicePrincipal}`);
  org.delegatedAdministrators.delete(accountId);
  extras.accountList = null;
  extras.pendingClosures.delete(accountId);
  emitWorldEvent(world, { type: 'account-removed', accountId });
  return account;
}

/** Sets an account's State (SUSPENDED, ACTIVE...) and emits account-state-changed when it changes. */
export function setAccountState(world: World, accountId: string, state: AccountState): Account {
  const account = world.accounts.get(accountId);
  if (!account) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
  if (account.state !== state) {
    account.state = state;
    if (state !== 'PENDING_CLOSURE') organizationExtras(world).pendingClosures.delete(accountId);
    emitWorldEvent(world, { type: 'account-state-changed', accountId, state });
  }
  return account;
}

/** Starts closing an account: PENDING_CLOSURE now, CLOSED once the closure delay has passed. */
export function closeAccount(world: World, accountId: string): Account {
  const org = requireOrganization(world);
  const account = requireMemberAccount(world, accountId);
  if (accountId === org.managementAccountId) {
    throw orgError('ConstraintViolationException', 'You cannot close the management account of an organization with this operation.');
  }
  if (account.state === 'PENDING_CLOSURE' || account.state === 'CLOSED') {
    throw orgError('AccountAlreadyClosedException', 'You are trying to close an account that is already closed.');
  }
  setAccountState(world, accountId, 'PENDING_CLOSURE');
  organizationExtras(world).pendingClosures.set(accountId, world.now());
  return account;
}

/** Moves accounts whose closure delay has passed from PENDING_CLOSURE to CLOSED. O(pending closures). */
export function settleClosures(world: World): void {
  const extras = organizationExtras(world);
  if (extras.pendingClosures.size === 0) return;
  const now = world.now().getTime();
  for (const [accountId, requestedAt] of [...extras.pendingClosures]) {
    if (now - requestedAt.getTime() >= extras.settings.closureDelayMs) {
      extras.pendingClosures.delete(accountId);
      setAccountState(world, accountId, 'CLOSED');
    }
  }
}

/** Registers a member account as delegated administrator for a service principal. */
export function registerDelegatedAdministrator(world: World, accountId: string, servicePrincipal: string): void {
  const org = requireOrganization(world);
  requireMemberAccount(world, accountId);
  if (accountId === org.managementAccountId) {
    throw orgError('ConstraintViolationException', 'You cannot register the management account of the organization as a delegated administrator.', 'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR');
  }
  const services = org.delegatedAdministrators.get(accountId) ?? new Set<string>();
  if (services.has(servicePrincipal)) {
    throw orgError('AccountAlreadyRegisteredException', 'The provided account is already a delegated administrator for your organization.');
  }
  services.add(servicePrincipal);
  org.delegatedAdministrators.set(accountId, services);
  organizationExtras(world).delegationDates.set(`${accountId} ${servicePrincipal}`, world.now());
}

/** Removes a delegated administrator registration. */
export function deregisterDelegatedAdministrator(world: World, accountId: string, servicePrincipal: string): void {
  const org = requireOrganization(world);
  requireMemberAccount(world, accountId);
  const services = org.delegatedAdministrators.get(accountId);
  if (!services?.has(servicePrincipal)) {
    throw orgError('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.');
  }
  services.delete(servicePrincipal);
  if (services.size === 0) org.delegatedAdministrators.delete(accountId);
  organizationExtras(world).delegationDates.delete(`${accountId} ${servicePrincipal}`);
}

/** Every account of the organization in a stable order (root first, depth-first); cached until the tree changes. */
export function organizationAccountIds(world: World): string[] {
  const org = requireOrganization(world);
  const extras = organizationExtras(world);
  if (extras.accountList) return extras.accountList;
  const ids: string[] = [];
  const stack = [org.rootId];
  while (stack.length > 0) {
    const parent = stack.pop() as string;
    for (const id of org.childAccounts.get(parent) ?? []) ids.push(id);
    const ous = org.childOus.get(parent) ?? [];
    for (let i = ous.length - 1; i >= 0; i--) stack.push(ous[i] as string);
  }
  extras.accountList = ids;
  return ids;
}

function siblingOuNamed(org: Organization, parentId: string, name: string): OrganizationalUnit | undefined {
  for (const id of org.childOus.get(parentId) ?? []) {
    const ou = org.ous.get(id);
    if (ou && ou.name === name) return ou;
  }
  return undefined;
}

function pushChild(children: Map<string, string[]>, parentId: string, childId: string): void {
  const list = children.get(parentId);
  if (list) list.push(childId);
  else children.set(parentId, [childId]);
}

function removeChild(children: Map<string, string[]>, parentId: string, childId: string): void {
  const list = children.get(parentId);
  if (!list) return;
  const index = list.lastIndexOf(childId);
  if (index >= 0) list.splice(index, 1);
}
