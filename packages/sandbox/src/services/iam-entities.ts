/**
 * IAM users and groups in the world, and the output shapes IAM gives roles, users,
 * groups and policies. Other modules (the org generator, tests) create users here so
 * ids and ARNs are formed in one place.
 */
import { randomIamId } from '../ids.js';
import { iamAccount, worldRandom } from '../world-factory.js';
import type { IamGroup, IamRole, IamUser, World } from '../world.js';
import { alreadyExists, encodePolicyDocument } from './iam-common.js';

/** Creates an IAM user; EntityAlreadyExists if the name is taken. */
export function createIamUser(world: World, accountId: string, spec: { name: string; path?: string }): IamUser {
  const iam = iamAccount(world, accountId);
  if (iam.users.has(spec.name)) throw alreadyExists(`User with name ${spec.name} already exists.`);
  const path = spec.path ?? '/';
  const user: IamUser = {
    name: spec.name,
    path,
    userId: randomIamId(worldRandom(world), 'AIDA'),
    arn: `arn:${world.partition}:iam::${accountId}:user${path}${spec.name}`,
    inlinePolicies: new Map(),
    attachedPolicyArns: [],
    createDate: world.now(),
  };
  iam.users.set(spec.name, user);
  return user;
}

/** Creates an IAM group; EntityAlreadyExists if the name is taken. */
export function createIamGroup(world: World, accountId: string, spec: { name: string; path?: string }): IamGroup {
  const iam = iamAccount(world, accountId);
  if (iam.groups.has(spec.name)) throw alreadyExists(`Group with name ${spec.name} already exists.`);
  const path = spec.path ?? '/';
  const group: IamGroup = {
    name: spec.name,
    path,
    groupId: randomIamId(worldRandom(world), 'AGPA'),
    arn: `arn:${world.partition}:iam::${accountId}:group${path}${spec.name}`,
    members: new Set(),
    inlinePolicies: new Map(),
    attachedPolicyArns: [],
    createDate: world.now(),
  };
  iam.groups.set(spec.name, group);
  return group;
}

/** A user's long-term access key ids. */
export function accessKeysOf(world: World, user: IamUser): string[] {
  const keys: string[] = [];
  for (const credential of world.credentials.values()) {
    if (credential.principal.kind === 'user' && credential.principal.arn === user.arn && !credential.sessionToken) keys.push(credential.accessKeyId);
  }
  return keys;
}

/** A role as GetRole/ListRoles return it (trust policy URL-encoded). */
export function roleOutput(role: IamRole): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodePolicyDocument(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
  };
}

/** A user as GetUser/ListUsers return it. */
export function userOutput(user: IamUser): Record<string, unknown> {
  return { Path: user.path, UserName: user.name, UserId: user.userId, Arn: user.arn, CreateDate: user.createDate };
}

/** A group as GetGroup/ListGroups return it. */
export function groupOutput(group: IamGroup): Record<string, unknown> {
  return { Path: group.path, GroupName: group.name, GroupId: group.groupId, Arn: group.arn, CreateDate: group.createDate };
}
