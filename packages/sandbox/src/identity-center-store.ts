/**
 * Identity Store users, groups and group memberships, with AWS's uniqueness rules
 * (UserName, group DisplayName, one membership per user and group) and cascading
 * deletes (removing a user or group removes its memberships).
 */
import { AwsError } from './aws-error.js';
import {
  identityStoreEntityId,
  own,
  type GroupMembership,
  type IdentityCenterInstance,
  type IdentityStoreGroup,
  type IdentityStoreUser,
} from './identity-center-state.js';
import type { World } from './world.js';

function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 409);
}

/** ResourceNotFoundException in Identity Store's words. */
export function notFound(type: 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP' | 'IDENTITY_STORE', id: string): AwsError {
  const label = { USER: 'User', GROUP: 'Group', GROUP_MEMBERSHIP: 'GroupMembership', IDENTITY_STORE: 'IdentityStore' }[type];
  return new AwsError('ResourceNotFoundException', `${label} with id ${id} not found`, 404);
}

/** CreateUser: UserName is unique (case-insensitively, as in Identity Center). */
export function createUser(world: World, instance: IdentityCenterInstance, userName: string, attributes: Record<string, unknown>): IdentityStoreUser {
  const lower = userName.toLowerCase();
  if (Object.values(instance.users).some((u) => u.userName.toLowerCase() === lower)) {
    throw conflict('Duplicate UserName');
  }
  const user: IdentityStoreUser = { userId: identityStoreEntityId(world), userName, attributes };
  instance.users[user.userId] = user;
  return user;
}

/** The user, or ResourceNotFoundException. */
export function requireUser(instance: IdentityCenterInstance, userId: string): IdentityStoreUser {
  const user = own(instance.users, userId);
  if (!user) throw notFound('USER', userId);
  return user;
}

/** DeleteUser, with its memberships. */
export function deleteUser(instance: IdentityCenterInstance, userId: string): void {
  requireUser(instance, userId);
  delete instance.users[userId];
  for (const membership of Object.values(instance.memberships)) {
    if (membership.userId === userId) delete instance.memberships[membership.membershipId];
  }
}

/** CreateGroup: DisplayName is unique. */
export function createGroup(world: World, instance: IdentityCenterInstance, displayName: string, description?: string): IdentityStoreGroup {
  const lower = displayName.toLowerCase();
  if (Object.values(instance.groups).some((g) => g.displayName.toLowerCase() === lower)) {
    throw conflict('Duplicate GroupDisplayName');
  }
  const group: IdentityStoreGroup = { groupId: identityStoreEntityId(world), displayName, ...(description === undefined ? {} : { description }) };
  instance.groups[group.groupId] = group;
  return group;
}

/** The group, or ResourceNotFoundException. */
export function requireGroup(instance: IdentityCenterInstance, groupId: string): IdentityStoreGroup {
  const group = own(instance.groups, groupId);
  if (!group) throw notFound('GROUP', groupId);
  return group;
}

/** DeleteGroup, with its memberships. */
export function deleteGroup(instance: IdentityCenterInstance, groupId: string): void {
  requireGroup(instance, groupId);
  delete instance.groups[groupId];
  for (const membership of Object.values(instance.memberships)) {
    if (membership.groupId === groupId) delete instance.memberships[membership.membershipId];
  }
}

/** The membership of a user in a group, if any. */
export function findMembership(instance: IdentityCenterInstance, groupId: string, userId: string): GroupMembership | undefined {
  return Object.values(instance.memberships).find((m) => m.groupId === groupId && m.userId === userId);
}

/** CreateGroupMembership: both ends must exist; a second membership is a ConflictException. */
export function createMembership(world: World, instance: IdentityCenterInstance, groupId: string, userId: string): GroupMembership {
  requireGroup(instance, groupId);
  requireUser(instance, userId);
  if (findMembership(instance, groupId, userId)) throw conflict('Member and Group relationship already exists');
  const membership: GroupMembership = { membershipId: identityStoreEntityId(world), groupId, userId };
  instance.memberships[membership.membershipId] = membership;
  return membership;
}

/** The membership, or ResourceNotFoundException. */
export function requireMembership(instance: IdentityCenterInstance, membershipId: string): GroupMembership {
  const membership = own(instance.memberships, membershipId);
  if (!membership) throw notFound('GROUP_MEMBERSHIP', membershipId);
  return membership;
}
