/**
 * Sandbox-side ways to change an organization that AWS offers only through other
 * channels: creating an account the way CreateAccount does (with its access role),
 * inviting an outside account (the handshake events included), and suspending or
 * reinstating an account, which AWS does but no API exposes. Tests, the generator and
 * the control API use these.
 */
import { recordOrganizationsEvent } from './events.js';
import { randomString } from './ids.js';
import { organizationExtras } from './organization-state-extras.js';
import type { CreateAccountStatus } from './organization-state-extras.js';
import { addAccountToOrganization, freshAccountId, orgError, requireOrganization, setAccountState } from './organization-state.js';
import { putRole, worldRandom } from './world-factory.js';
import type { Account, World } from './world.js';

export interface CreateMemberAccountSpec {
  email: string;
  name: string;
  /** The admin role CreateAccount puts in the new account (default OrganizationAccountAccessRole). */
  roleName?: string;
  parentId?: string;
}

/**
 * Does what CreateAccount does: a new ACTIVE account in the root with an admin role that
 * trusts the management account. A taken email fails the request (EMAIL_ALREADY_EXISTS).
 */
export function createMemberAccount(world: World, spec: CreateMemberAccountSpec): { request: CreateAccountStatus; account?: Account } {
  const org = requireOrganization(world);
  const random = worldRandom(world);
  const requestedTimestamp = world.now();
  const request: CreateAccountStatus = { id: `car-${randomString(random, 32)}`, accountName: spec.name, state: 'SUCCEEDED', requestedTimestamp };
  organizationExtras(world).createAccountStatuses.set(request.id, request);
  const lowered = spec.email.toLowerCase();
  for (const existing of world.accounts.values()) {
    if (existing.email.toLowerCase() === lowered) {
      Object.assign(request, { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS', completedTimestamp: requestedTimestamp });
      return { request };
    }
  }
  const account = addAccountToOrganization(world, {
    id: freshAccountId(world),
    name: spec.name,
    email: spec.email,
    joinedMethod: 'CREATED',
    ...(spec.parentId ? { parentId: spec.parentId } : {}),
  });
  putRole(world, account.id, {
    name: spec.roleName ?? 'OrganizationAccountAccessRole',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${world.partition}:iam::${org.managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
    },
    attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
  });
  Object.assign(request, { accountId: account.id, completedTimestamp: world.now() });
  return { request, account };
}

export interface InviteAccountSpec {
  /** An existing standalone account, or omit to invent one. */
  id?: string;
  name: string;
  email: string;
  parentId?: string;
}

/**
 * Brings an outside account in by invitation, as if it accepted a handshake: JoinedMethod
 * INVITED, and the InviteAccountToOrganization, AcceptHandshake and AccountJoinedOrganization events.
 */
export function inviteAccount(world: World, spec: InviteAccountSpec): Account {
  const org = requireOrganization(world);
  const handshakeId = `h-${randomString(worldRandom(world), 10)}`;
  const accountId = spec.id ?? freshAccountId(world);
  if (world.accounts.get(accountId)?.parentId) {
    throw orgError('DuplicateAccountException', 'That account is already present in the specified destination.');
  }
  const handshakeArn = `arn:${world.partition}:organizations::${org.managementAccountId}:handshake/${org.id}/invite/${handshakeId}`;
  const handshake = { id: handshakeId, arn: handshakeArn, action: 'INVITE', state: 'ACCEPTED', parties: [{ id: org.id, type: 'ORGANIZATION' }, { id: accountId, type: 'ACCOUNT' }] };
  recordOrganizationsEvent(world, {
    eventName: 'InviteAccountToOrganization',
    caller: { kind: 'root', accountId: org.managementAccountId, arn: `arn:${world.partition}:iam::${org.managementAccountId}:root` },
    requestParameters: { target: { id: accountId, type: 'ACCOUNT' } },
    responseElements: { handshake: { ...handshake, state: 'OPEN' } },
  });
  const account = addAccountToOrganization(world, {
    id: accountId,
    name: spec.name,
    email: spec.email,
    joinedMethod: 'INVITED',
    ...(spec.parentId ? { parentId: spec.parentId } : {}),
  });
  // The member account accepts; the management account's trail sees it as a service event.
  recordOrganizationsEvent(world, { eventName: 'AcceptHandshake', serviceEventDetails: { acceptHandshakeDetails: { handshake } } });
  recordOrganizationsEvent(world, {
    eventName: 'AccountJoinedOrganization',
    serviceEventDetails: { accountJoinedOrganizationDetails: { accountId, organizationId: org.id, handshakeId } },
  });
  return account;
}

/** Suspends an account (AWS does this for billing or abuse; no API exists). */
export function suspendAccount(world: World, accountId: string): Account {
  return setAccountState(world, accountId, 'SUSPENDED');
}

/** Reinstates a suspended account to ACTIVE. */
export function reinstateAccount(world: World, accountId: string): Account {
  return setAccountState(world, accountId, 'ACTIVE');
}
