/**
 * IAM Identity Center's module state inside `world.identityCenter`: the organization
 * instance with its Identity Store (users, groups, memberships), permission sets,
 * account assignments and the async request records. Plain JSON-able data.
 */
import { AwsError } from './aws-error.js';
import { randomString } from './ids.js';
import { worldRandom } from './world-factory.js';
import type { World } from './world.js';

export interface IdentityStoreUser {
  userId: string;
  userName: string;
  /** Every other attribute as sent (DisplayName, Name, Emails, Title...), returned verbatim. */
  attributes: Record<string, unknown>;
}

export interface IdentityStoreGroup {
  groupId: string;
  displayName: string;
  description?: string;
}

export interface GroupMembership {
  membershipId: string;
  groupId: string;
  userId: string;
}

export interface PermissionSetRecord {
  arn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  createdDate: string;
  managedPolicyArns: string[];
  inlinePolicy?: string;
  /** Bumped on every change, so provisioning status can tell LATEST from outdated. */
  version: number;
}

export interface AccountAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

export interface AsyncRequest {
  requestId: string;
  kind: 'create-assignment' | 'delete-assignment' | 'provision';
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
  createdDate: string;
  /** Epoch ms after which the request has finished even if nobody asked. */
  dueAt: number;
  permissionSetArn: string;
  targetId: string;
  principalType?: 'USER' | 'GROUP';
  principalId?: string;
}

export interface IdentityCenterInstance {
  instanceArn: string;
  identityStoreId: string;
  ownerAccountId: string;
  region: string;
  createdDate: string;
  users: Record<string, IdentityStoreUser>;
  groups: Record<string, IdentityStoreGroup>;
  memberships: Record<string, GroupMembership>;
  permissionSets: Record<string, PermissionSetRecord>;
  assignments: AccountAssignment[];
  /** `${accountId} ${permissionSetArn}` → provisioned permission-set version. */
  provisioned: Record<string, number>;
  requests: Record<string, AsyncRequest>;
}

export interface IdentityCenterSettings {
  /** How long an async assignment/provisioning request stays IN_PROGRESS unless described earlier. */
  asyncDelayMs: number;
  /** AWS's limit on outstanding CreateAccountAssignment calls per instance. */
  maxOutstandingCreations: number;
}

export interface IdentityCenterState {
  instances: Record<string, IdentityCenterInstance>;
  settings: IdentityCenterSettings;
}

const HEX = '0123456789abcdef';

/** `record[key]` for own keys only, so ids like `__proto__` find nothing. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The world's Identity Center state, created on first use. */
export function identityCenterState(world: World): IdentityCenterState {
  if (!world.identityCenter) {
    const state: IdentityCenterState = { instances: {}, settings: { asyncDelayMs: 1000, maxOutstandingCreations: 10 } };
    world.identityCenter = state;
  }
  return world.identityCenter as IdentityCenterState;
}

/** Changes the async delay or outstanding-call limit (tests and the control API). */
export function setIdentityCenterSettings(world: World, settings: Partial<IdentityCenterSettings>): IdentityCenterSettings {
  const state = identityCenterState(world);
  Object.assign(state.settings, settings);
  return { ...state.settings };
}

/** A 36-character request id, drawn from the world's seeded generator. */
export function identityCenterUuid(world: World): string {
  const hex = randomString(worldRandom(world), 32, HEX);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Identity Store ids look like `{10 hex}-{uuid}`. */
export function identityStoreEntityId(world: World): string {
  return `${randomString(worldRandom(world), 10, HEX)}-${identityCenterUuid(world)}`;
}

/**
 * Enables Identity Center for the world's organization (idempotent): one instance owned
 * by the management account. The generator may call it; the services also call it lazily.
 */
export function enableIdentityCenter(world: World, options: { region?: string } = {}): IdentityCenterInstance {
  const org = world.organization;
  if (!org) throw new AwsError('ValidationException', 'IAM Identity Center needs an organization.');
  const state = identityCenterState(world);
  const existing = Object.values(state.instances)[0];
  if (existing) return existing;
  const random = worldRandom(world);
  const instanceId = `ssoins-${randomString(random, 16, HEX)}`;
  const instance: IdentityCenterInstance = {
    instanceArn: `arn:${world.partition}:sso:::instance/${instanceId}`,
    identityStoreId: `d-${randomString(random, 10, HEX)}`,
    ownerAccountId: org.managementAccountId,
    region: options.region ?? world.defaultRegion,
    createdDate: world.now().toISOString(),
    users: {},
    groups: {},
    memberships: {},
    permissionSets: {},
    assignments: [],
    provisioned: {},
    requests: {},
  };
  state.instances[instance.instanceArn] = instance;
  return instance;
}

/** The instances the caller's account administers: the owner, or a delegated administrator for sso.amazonaws.com. */
export function instancesFor(world: World, accountId: string): IdentityCenterInstance[] {
  const org = world.organization;
  if (!org) return [];
  const delegated = org.delegatedAdministrators.get(accountId)?.has('sso.amazonaws.com') ?? false;
  if (accountId !== org.managementAccountId && !delegated) return [];
  return [enableIdentityCenter(world)];
}

/** The instance with this ARN, if the caller may administer it; AccessDeniedException otherwise. */
export function requireInstance(world: World, accountId: string, instanceArn: string): IdentityCenterInstance {
  const instance = instancesFor(world, accountId).find((i) => i.instanceArn === instanceArn);
  if (!instance) throw new AwsError('AccessDeniedException', `User is not authorized to access instance ${instanceArn}`, 403);
  return instance;
}

/** The instance owning this Identity Store, if the caller may administer it. */
export function requireIdentityStore(world: World, accountId: string, identityStoreId: string): IdentityCenterInstance {
  const instance = instancesFor(world, accountId).find((i) => i.identityStoreId === identityStoreId);
  if (!instance) throw new AwsError('AccessDeniedException', `User is not authorized to access identity store ${identityStoreId}`, 403);
  return instance;
}
