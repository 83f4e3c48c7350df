/**
 * Permission sets, their provisioning, and account assignments. Assignment creation and
 * deletion and provisioning are asynchronous as in AWS: each call returns a request that
 * is IN_PROGRESS until its delay has passed or someone describes it, and only then takes
 * effect. At most 10 creations may be outstanding per instance (ThrottlingException).
 */
import { AwsError } from './aws-error.js';
import { randomString } from './ids.js';
import {
  identityCenterState,
  identityCenterUuid,
  own,
  type AccountAssignment,
  type AsyncRequest,
  type IdentityCenterInstance,
  type PermissionSetRecord,
} from './identity-center-state.js';
import { worldRandom } from './world-factory.js';
import type { World } from './world.js';

const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
const SESSION_DURATION = /^PT(?:(\d{1,2})H)?(?:(\d{1,3})M)?$/;
const MAX_MANAGED_POLICIES = 20;

function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 409);
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** ResourceNotFoundException in SSO Admin's words. */
export function ssoNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404);
}

export interface PermissionSetSpec {
  name: string;
  description?: string;
  sessionDuration?: string;
  relayState?: string;
}

/** CreatePermissionSet: names are unique per instance; sessions last 1 to 12 hours. */
export function createPermissionSet(world: World, instance: IdentityCenterInstance, spec: PermissionSetSpec): PermissionSetRecord {
  if (!PERMISSION_SET_NAME.test(spec.name)) throw validation(`Invalid permission set name: ${spec.name}`);
  if (Object.values(instance.permissionSets).some((p) => p.name === spec.name)) throw conflict(`PermissionSet with name ${spec.name} already exists.`);
  const sessionDuration = spec.sessionDuration ?? 'PT1H';
  const match = SESSION_DURATION.exec(sessionDuration);
  const minutes = match ? Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) : -1;
  if (minutes < 60 || minutes > 720) throw validation('SessionDuration must be an ISO-8601 duration between PT1H and PT12H');
  const instanceId = instance.instanceArn.split('/').pop() as string;
  const permissionSet: PermissionSetRecord = {
    arn: `arn:${world.partition}:sso:::permissionSet/${instanceId}/ps-${randomString(worldRandom(world), 16, '0123456789abcdef')}`,
    name: spec.name,
    sessionDuration,
    createdDate: world.now().toISOString(),
    managedPolicyArns: [],
    version: 1,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.relayState === undefined ? {} : { relayState: spec.relayState }),
  };
  instance.permissionSets[permissionSet.arn] = permissionSet;
  return permissionSet;
}

/** The permission set, or ResourceNotFoundException. */
export function requirePermissionSet(instance: IdentityCenterInstance, arn: string): PermissionSetRecord {
  const permissionSet = own(instance.permissionSets, arn);
  if (!permissionSet) throw ssoNotFound(`Could not find PermissionSet with PermissionSetArn ${arn}`);
  return permissionSet;
}

/** DeletePermissionSet: refused while it is provisioned to an account. */
export function deletePermissionSet(instance: IdentityCenterInstance, arn: string): void {
  requirePermissionSet(instance, arn);
  if (provisionedKeys(instance, arn).length > 0) {
    throw conflict('The permission set is provisioned to one or more accounts; delete its account assignments first.');
  }
  delete instance.permissionSets[arn];
}

/** AttachManagedPolicyToPermissionSet: each policy once, at most 20. */
export function attachManagedPolicy(permissionSet: PermissionSetRecord, policyArn: string): void {
  if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/.+$/.test(policyArn)) throw validation(`Invalid managed policy ARN: ${policyArn}`);
  if (permissionSet.managedPolicyArns.includes(policyArn)) throw conflict(`Managed policy ${policyArn} is already attached to the permission set.`);
  if (permissionSet.managedPolicyArns.length >= MAX_MANAGED_POLICIES) {
    throw new AwsError('ServiceQuotaExceededException', 'The permission set already has the maximum number of managed policies.', 402);
  }
  permissionSet.managedPolicyArns.push(policyArn);
  permissionSet.version++;
}

/** PutInlinePolicyToPermissionSet: the document must be JSON with a Statement. */
export function putInlinePolicy(permissionSet: PermissionSetRecord, document: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw validation('The inline policy is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) throw validation('The inline policy has no Statement.');
  permissionSet.inlinePolicy = document;
  permissionSet.version++;
}

function provisionedKey(accountId: string, permissionSetArn: string): string {
  return `${accountId} ${permissionSetArn}`;
}

function sameAssignment(a: AccountAssignment, b: AccountAssignment): boolean {
  return a.accountId === b.accountId && a.permissionSetArn === b.permissionSetArn && a.principalType === b.principalType && a.principalId === b.principalId;
}

function accountProblem(world: World, accountId: string): string | undefined {
  const account = world.accounts.get(accountId);
  if (!account || account.parentId === null) return `Account ${accountId} is not a member of the organization.`;
  if (account.state !== 'ACTIVE') return `Account ${accountId} is ${account.state}.`;
  return undefined;
}

/** Applies a request whose time has come. */
function complete(world: World, instance: IdentityCenterInstance, request: AsyncRequest): void {
  if (request.kind === 'provision' && request.targetId === '') {
    // ALL_PROVISIONED_ACCOUNTS: refresh every account that already has the permission set.
    const version = instance.permissionSets[request.permissionSetArn]?.version;
    for (const key of provisionedKeys(instance, request.permissionSetArn)) if (version !== undefined) instance.provisioned[key] = version;
    request.status = version === undefined ? 'FAILED' : 'SUCCEEDED';
    if (version === undefined) request.failureReason = 'The permission set no longer exists.';
    return;
  }
  const problem = accountProblem(world, request.targetId);
  const permissionSet = instance.permissionSets[request.permissionSetArn];
  if (problem || !permissionSet) {
    request.status = 'FAILED';
    request.failureReason = problem ?? 'The permission set no longer exists.';
    return;
  }
  request.status = 'SUCCEEDED';
  const key = provisionedKey(request.targetId, request.permissionSetArn);
  if (request.kind === 'provision') {
    instance.provisioned[key] = permissionSet.version;
    return;
  }
  const assignment: AccountAssignment = {
    accountId: request.targetId,
    permissionSetArn: request.permissionSetArn,
    principalType: request.principalType as AccountAssignment['principalType'],
    principalId: request.principalId as string,
  };
  if (request.kind === 'create-assignment') {
    if (!instance.assignments.some((a) => sameAssignment(a, assignment))) instance.assignments.push(assignment);
    instance.provisioned[key] ??= permissionSet.version;
    return;
  }
  instance.assignments = instance.assignments.filter((a) => !sameAssignment(a, assignment));
  // The permission set's role leaves the account with its last assignment.
  if (!instance.assignments.some((a) => a.accountId === assignment.accountId && a.permissionSetArn === assignment.permissionSetArn)) {
    delete instance.provisioned[key];
  }
}

/** Finishes every request that is due, and `requestId` (being described) at once. */
export function settleRequests(world: World, instance: IdentityCenterInstance, requestId?: string): void {
  const now = world.now().getTime();
  for (const request of Object.values(instance.requests)) {
    if (request.status === 'IN_PROGRESS' && (request.dueAt <= now || request.requestId === requestId)) complete(world, instance, request);
  }
}

export interface AssignmentSpec {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

function checkAssignment(world: World, instance: IdentityCenterInstance, spec: AssignmentSpec): void {
  requirePermissionSet(instance, spec.permissionSetArn);
  const account = world.accounts.get(spec.accountId);
  if (!account || account.parentId === null) throw validation(`TargetId ${spec.accountId} is not an account of the organization.`);
  // What AWS answers for a suspended account (clients check DescribeAccount first because of it).
  if (account.state !== 'ACTIVE') throw conflict(`The account ${spec.accountId} is ${account.state.toLowerCase()}; assignments need an active account.`);
  const exists = spec.principalType === 'USER' ? own(instance.users, spec.principalId) : own(instance.groups, spec.principalId);
  if (!exists) throw ssoNotFound(`${spec.principalType === 'USER' ? 'User' : 'Group'} ${spec.principalId} does not exist in the identity store.`);
}

function newRequest(world: World, instance: IdentityCenterInstance, kind: AsyncRequest['kind'], permissionSetArn: string, targetId: string, principal?: AssignmentSpec): AsyncRequest {
  const request: AsyncRequest = {
    requestId: identityCenterUuid(world),
    kind,
    status: 'IN_PROGRESS',
    createdDate: world.now().toISOString(),
    dueAt: world.now().getTime() + identityCenterState(world).settings.asyncDelayMs,
    permissionSetArn,
    targetId,
    ...(principal ? { principalType: principal.principalType, principalId: principal.principalId } : {}),
  };
  instance.requests[request.requestId] = request;
  return request;
}

/** CreateAccountAssignment: validates now, takes effect when the request completes. */
export function createAccountAssignment(world: World, instance: IdentityCenterInstance, spec: AssignmentSpec): AsyncRequest {
  settleRequests(world, instance);
  checkAssignment(world, instance, spec);
  const outstanding = Object.values(instance.requests).filter((r) => r.kind === 'create-assignment' && r.status === 'IN_PROGRESS').length;
  if (outstanding >= identityCenterState(world).settings.maxOutstandingCreations) {
    // AWS's answer when too many assignment creations are in flight (seen in aws-iam-identity-center-extensions#87).
    throw new AwsError('ThrottlingException', 'There are too many requests processing. Please try again later.', 400);
  }
  return newRequest(world, instance, 'create-assignment', spec.permissionSetArn, spec.accountId, spec);
}

/** DeleteAccountAssignment: the assignment must exist (ResourceNotFoundException otherwise). */
export function deleteAccountAssignment(world: World, instance: IdentityCenterInstance, spec: AssignmentSpec): AsyncRequest {
  settleRequests(world, instance);
  requirePermissionSet(instance, spec.permissionSetArn);
  const assignment: AccountAssignment = { ...spec };
  if (!instance.assignments.some((a) => sameAssignment(a, assignment))) {
    throw ssoNotFound(`Account assignment for ${spec.principalType} ${spec.principalId} on account ${spec.accountId} does not exist.`);
  }
  return newRequest(world, instance, 'delete-assignment', spec.permissionSetArn, spec.accountId, spec);
}

/** ProvisionPermissionSet to one account, or (no target) to every account it is already provisioned to. */
export function provisionPermissionSet(world: World, instance: IdentityCenterInstance, permissionSetArn: string, targetId: string | undefined): AsyncRequest {
  settleRequests(world, instance);
  requirePermissionSet(instance, permissionSetArn);
  if (targetId !== undefined && accountProblem(world, targetId)) throw validation(`TargetId ${targetId} is not an active account of the organization.`);
  return newRequest(world, instance, 'provision', permissionSetArn, targetId ?? '');
}

function provisionedKeys(instance: IdentityCenterInstance, permissionSetArn: string): string[] {
  return Object.keys(instance.provisioned).filter((k) => k.endsWith(` ${permissionSetArn}`));
}

/** Accounts the permission set is provisioned to. */
export function accountsProvisionedWith(instance: IdentityCenterInstance, permissionSetArn: string): string[] {
  return provisionedKeys(instance, permissionSetArn).map((k) => k.split(' ')[0] as string);
}

/** A request of the given kind, settled if it is being described. */
export function describeRequest(world: World, instance: IdentityCenterInstance, requestId: string, kinds: Array<AsyncRequest['kind']>): AsyncRequest {
  const request = own(instance.requests, requestId);
  if (!request || !kinds.includes(request.kind)) throw ssoNotFound(`Request ${requestId} not found.`);
  settleRequests(world, instance, requestId);
  return request;
}

/** True when the account's provisioned copy of the permission set is its latest version. */
export function isLatestProvisioned(instance: IdentityCenterInstance, accountId: string, permissionSetArn: string): boolean {
  return instance.provisioned[provisionedKey(accountId, permissionSetArn)] === instance.permissionSets[permissionSetArn]?.version;
}
