/**
 * IAM users, groups, group membership, access keys and account aliases.
 */
import { queryString } from '../protocols/query-values.js';
import type { Operation, OperationContext } from '../service.js';
import { iamAccount, issueLongTermKey } from '../world-factory.js';
import type { IamGroup, IamUser } from '../world.js';
import { deleteConflict, iamName, iamPath, noSuchEntity, pageItems } from './iam-common.js';
import { accessKeysOf, createIamGroup, createIamUser, groupOutput, userOutput } from './iam-entities.js';
import { AwsError } from '../aws-error.js';

const MAX_KEYS_PER_USER = 2;

function findUser(ctx: OperationContext, name: string): IamUser {
  const user = ctx.world.iam.get(ctx.caller.accountId)?.users.get(name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

function findGroup(ctx: OperationContext, name: string): IamGroup {
  const group = ctx.world.iam.get(ctx.caller.accountId)?.groups.get(name);
  if (!group) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return group;
}

/** UserName when given, else the calling user (as IAM does for GetUser/CreateAccessKey). */
function targetUserName(ctx: OperationContext, input: Record<string, unknown>): string {
  if (input.UserName !== undefined) return iamName(input, 'UserName');
  if (ctx.caller.kind === 'user') return ctx.caller.userName;
  throw new AwsError('ValidationError', 'Must specify userName when calling with non-User credentials', 400);
}

const userResource = (ctx: OperationContext, input: Record<string, unknown>): string => {
  const name = typeof input.UserName === 'string' ? input.UserName : ctx.caller.kind === 'user' ? ctx.caller.userName : '*';
  const path = ctx.world.iam.get(ctx.caller.accountId)?.users.get(name)?.path ?? '/';
  return `arn:aws:iam::${ctx.caller.accountId}:user${path}${name}`;
};

const groupResource = (ctx: OperationContext, input: Record<string, unknown>): string => {
  const name = typeof input.GroupName === 'string' ? input.GroupName : '*';
  const path = ctx.world.iam.get(ctx.caller.accountId)?.groups.get(name)?.path ?? '/';
  return `arn:aws:iam::${ctx.caller.accountId}:group${path}${name}`;
};

export const userOperations: Record<string, Operation> = {
  CreateUser: {
    resource: userResource,
    handler: (ctx, input) => ({ User: userOutput(createIamUser(ctx.world, ctx.caller.accountId, { name: iamName(input, 'UserName'), path: iamPath(input) })) }),
  },
  GetUser: {
    resource: userResource,
    handler(ctx, input) {
      // Root calling GetUser without a name gets the root user, which has no name or path.
      if (input.UserName === undefined && ctx.caller.kind === 'root') {
        const since = ctx.world.accounts.get(ctx.caller.accountId)?.joinedTimestamp ?? ctx.world.now();
        return { User: { UserId: ctx.caller.accountId, Arn: ctx.caller.arn, CreateDate: since } };
      }
      return { User: userOutput(findUser(ctx, targetUserName(ctx, input))) };
    },
  },
  ListUsers: {
    handler(ctx, input) {
      const prefix = queryString(input, 'PathPrefix') ?? '/';
      const page = pageItems([...iamAccount(ctx.world, ctx.caller.accountId).users.values()].filter((u) => u.path.startsWith(prefix)), input);
      return { Users: page.items.map(userOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
  DeleteUser: {
    resource: userResource,
    handler(ctx, input) {
      const user = findUser(ctx, iamName(input, 'UserName'));
      const iam = iamAccount(ctx.world, ctx.caller.accountId);
      const inGroup = [...iam.groups.values()].some((g) => g.members.has(user.name));
      if (inGroup || user.attachedPolicyArns.length > 0 || user.inlinePolicies.size > 0 || accessKeysOf(ctx.world, user).length > 0) {
        throw deleteConflict('Cannot delete entity, must remove users from group, detach policies and delete access keys first.');
      }
      iam.users.delete(user.name);
      return undefined;
    },
  },
  CreateGroup: {
    resource: groupResource,
    handler: (ctx, input) => ({ Group: groupOutput(createIamGroup(ctx.world, ctx.caller.accountId, { name: iamName(input, 'GroupName', 128), path: iamPath(input) })) }),
  },
  GetGroup: {
    resource: groupResource,
    handler(ctx, input) {
      const group = findGroup(ctx, iamName(input, 'GroupName', 128));
      const iam = iamAccount(ctx.world, ctx.caller.accountId);
      const users = [...group.members].map((name) => iam.users.get(name)).filter((u): u is IamUser => u !== undefined);
      const page = pageItems(users, input);
      return { Group: groupOutput(group), Users: page.items.map(userOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
  ListGroups: {
    handler(ctx, input) {
      const prefix = queryString(input, 'PathPrefix') ?? '/';
      const page = pageItems([...iamAccount(ctx.world, ctx.caller.accountId).groups.values()].filter((g) => g.path.startsWith(prefix)), input);
      return { Groups: page.items.map(groupOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
  DeleteGroup: {
    resource: groupResource,
    handler(ctx, input) {
      const group = findGroup(ctx, iamName(input, 'GroupName', 128));
      if (group.members.size > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if (group.attachedPolicyArns.length > 0 || group.inlinePolicies.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      iamAccount(ctx.world, ctx.caller.accountId).groups.delete(group.name);
      return undefined;
    },
  },
  AddUserToGroup: {
    resource: groupResource,
    handler(ctx, input) {
      const group = findGroup(ctx, iamName(input, 'GroupName', 128));
      group.members.add(findUser(ctx, iamName(input, 'UserName')).name);
      return undefined;
    },
  },
  RemoveUserFromGroup: {
    resource: groupResource,
    handler(ctx, input) {
      const group = findGroup(ctx, iamName(input, 'GroupName', 128));
      const user = findUser(ctx, iamName(input, 'UserName'));
      if (!group.members.delete(user.name)) throw noSuchEntity(`User ${user.name} is not in group ${group.name}.`);
      return undefined;
    },
  },
  ListGroupsForUser: {
    resource: userResource,
    handler(ctx, input) {
      const user = findUser(ctx, iamName(input, 'UserName'));
      const groups = [...iamAccount(ctx.world, ctx.caller.accountId).groups.values()].filter((g) => g.members.has(user.name));
      const page = pageItems(groups, input);
      return { Groups: page.items.map(groupOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
  CreateAccessKey: {
    resource: userResource,
    handler(ctx, input) {
      const user = findUser(ctx, targetUserName(ctx, input));
      if (accessKeysOf(ctx.world, user).length >= MAX_KEYS_PER_USER) {
        throw new AwsError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`, 409);
      }
      const credential = issueLongTermKey(ctx.world, { kind: 'user', accountId: ctx.caller.accountId, arn: user.arn, userName: user.name });
      return {
        AccessKey: { UserName: user.name, AccessKeyId: credential.accessKeyId, Status: 'Active', SecretAccessKey: credential.secretAccessKey, CreateDate: ctx.world.now() },
      };
    },
  },
  ListAccountAliases: { handler: () => ({ AccountAliases: [], IsTruncated: false }) },
};
