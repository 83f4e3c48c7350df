/**
 * AWS Identity Store over JSON 1.1 (X-Amz-Target AWSIdentityStore.<Operation>): users,
 * groups and group memberships of the organization's Identity Center instance. Only the
 * management account (or an sso.amazonaws.com delegated administrator) reaches the store.
 * Metered with SSO Admin in the 'identitycenter' throttle family, as AWS does.
 */
import { AwsError } from '../aws-error.js';
import { identityCenterPage, inputObject, inputString, validationException } from '../identity-center-input.js';
import type { GroupMembership, IdentityCenterInstance, IdentityStoreGroup, IdentityStoreUser } from '../identity-center-state.js';
import { requireIdentityStore } from '../identity-center-state.js';
import {
  createGroup,
  createMembership,
  createUser,
  deleteGroup,
  deleteUser,
  findMembership,
  notFound,
  requireGroup,
  requireMembership,
  requireUser,
} from '../identity-center-store.js';
import type { Operation, OperationContext, ServiceDefinition } from '../service.js';

const USER_ATTRIBUTES = [
  'Name', 'DisplayName', 'NickName', 'ProfileUrl', 'Emails', 'Addresses', 'PhoneNumbers',
  'UserType', 'Title', 'PreferredLanguage', 'Locale', 'Timezone',
];

function store(ctx: OperationContext, input: Record<string, unknown>): IdentityCenterInstance {
  return requireIdentityStore(ctx.world, ctx.caller.accountId, inputString(input, 'IdentityStoreId', true));
}

function userShape(instance: IdentityCenterInstance, user: IdentityStoreUser): Record<string, unknown> {
  return { UserName: user.userName, UserId: user.userId, ...user.attributes, IdentityStoreId: instance.identityStoreId };
}

function groupShape(instance: IdentityCenterInstance, group: IdentityStoreGroup): Record<string, unknown> {
  return { GroupId: group.groupId, DisplayName: group.displayName, Description: group.description, IdentityStoreId: instance.identityStoreId };
}

function membershipShape(instance: IdentityCenterInstance, m: GroupMembership): Record<string, unknown> {
  return { IdentityStoreId: instance.identityStoreId, MembershipId: m.membershipId, GroupId: m.groupId, MemberId: { UserId: m.userId } };
}

function memberUserId(input: Record<string, unknown>): string {
  const member = inputObject(input, 'MemberId');
  if (!member) throw validationException("1 validation error detected: Value null at 'memberId' failed to satisfy constraint: Member must not be null");
  return inputString(member, 'UserId', true);
}

/** The deprecated-but-used `Filters: [{AttributePath, AttributeValue}]` of ListUsers/ListGroups. */
function filterValue(input: Record<string, unknown>, path: string): string | undefined {
  const filters = input.Filters;
  if (filters === undefined) return undefined;
  if (!Array.isArray(filters) || filters.length > 1) throw validationException('Filters must be a list with at most one filter');
  const filter = filters[0] as Record<string, unknown> | undefined;
  if (!filter) return undefined;
  if (inputString(filter, 'AttributePath', true) !== path) throw validationException(`Filtering on ${String(filter.AttributePath)} is not supported`);
  return inputString(filter, 'AttributeValue', true);
}

function uniqueAttribute(input: Record<string, unknown>): { path: string; value: string } {
  const alternate = inputObject(input, 'AlternateIdentifier');
  const unique = alternate && inputObject(alternate, 'UniqueAttribute');
  if (!unique) throw validationException('AlternateIdentifier.UniqueAttribute is required (ExternalId is not modeled)');
  const value = unique.AttributeValue;
  if (typeof value !== 'string') throw validationException('UniqueAttribute.AttributeValue must be a string');
  return { path: inputString(unique, 'AttributePath', true), value };
}

const userOperations: Record<string, Operation> = {
  CreateUser: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const userName = inputString(input, 'UserName', true);
      inputString(input, 'DisplayName', true);
      const name = inputObject(input, 'Name');
      if (!name || typeof name.GivenName !== 'string' || typeof name.FamilyName !== 'string') {
        throw validationException('Name.GivenName and Name.FamilyName are required');
      }
      const attributes = Object.fromEntries(USER_ATTRIBUTES.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
      const user = createUser(ctx.world, instance, userName, attributes);
      return { UserId: user.userId, IdentityStoreId: instance.identityStoreId };
    },
  },
  DescribeUser: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      return userShape(instance, requireUser(instance, inputString(input, 'UserId', true)));
    },
  },
  ListUsers: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const userName = filterValue(input, 'UserName');
      const users = Object.values(instance.users).filter((u) => userName === undefined || u.userName === userName);
      const page = identityCenterPage(ctx.world, input, `ListUsers:${instance.identityStoreId}`, users);
      return { Users: page.items.map((u) => userShape(instance, u)), NextToken: page.nextToken };
    },
  },
  DeleteUser: {
    handler(ctx, input) {
      deleteUser(store(ctx, input), inputString(input, 'UserId', true));
      return {};
    },
  },
  GetUserId: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const { path, value } = uniqueAttribute(input);
      const user = Object.values(instance.users).find((u) => {
        if (path === 'userName') return u.userName === value;
        if (path === 'emails.value') return Array.isArray(u.attributes.Emails) && u.attributes.Emails.some((e: { Value?: unknown }) => e?.Value === value);
        throw validationException(`AttributePath ${path} is not a unique user attribute`);
      });
      if (!user) throw notFound('USER', value);
      return { UserId: user.userId, IdentityStoreId: instance.identityStoreId };
    },
  },
};

const groupOperations: Record<string, Operation> = {
  CreateGroup: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const group = createGroup(ctx.world, instance, inputString(input, 'DisplayName', true), inputString(input, 'Description'));
      return { GroupId: group.groupId, IdentityStoreId: instance.identityStoreId };
    },
  },
  DescribeGroup: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      return groupShape(instance, requireGroup(instance, inputString(input, 'GroupId', true)));
    },
  },
  ListGroups: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const displayName = filterValue(input, 'DisplayName');
      const groups = Object.values(instance.groups).filter((g) => displayName === undefined || g.displayName === displayName);
      const page = identityCenterPage(ctx.world, input, `ListGroups:${instance.identityStoreId}`, groups);
      return { Groups: page.items.map((g) => groupShape(instance, g)), NextToken: page.nextToken };
    },
  },
  DeleteGroup: {
    handler(ctx, input) {
      deleteGroup(store(ctx, input), inputString(input, 'GroupId', true));
      return {};
    },
  },
  GetGroupId: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const { path, value } = uniqueAttribute(input);
      if (path !== 'displayName') throw validationException(`AttributePath ${path} is not a unique group attribute`);
      const group = Object.values(instance.groups).find((g) => g.displayName === value);
      if (!group) throw notFound('GROUP', value);
      return { GroupId: group.groupId, IdentityStoreId: instance.identityStoreId };
    },
  },
};

const membershipOperations: Record<string, Operation> = {
  CreateGroupMembership: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const membership = createMembership(ctx.world, instance, inputString(input, 'GroupId', true), memberUserId(input));
      return { MembershipId: membership.membershipId, IdentityStoreId: instance.identityStoreId };
    },
  },
  DescribeGroupMembership: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const m = requireMembership(instance, inputString(input, 'MembershipId', true));
      return { IdentityStoreId: instance.identityStoreId, MembershipId: m.membershipId, GroupId: m.groupId, MemberId: { UserId: m.userId } };
    },
  },
  DeleteGroupMembership: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const membership = requireMembership(instance, inputString(input, 'MembershipId', true));
      delete instance.memberships[membership.membershipId];
      return {};
    },
  },
  GetGroupMembershipId: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const groupId = inputString(input, 'GroupId', true);
      const userId = memberUserId(input);
      const membership = findMembership(instance, groupId, userId);
      if (!membership) throw new AwsError('ResourceNotFoundException', `GroupMembership for member ${userId} in group ${groupId} not found`, 404);
      return { MembershipId: membership.membershipId, IdentityStoreId: instance.identityStoreId };
    },
  },
  ListGroupMemberships: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const groupId = inputString(input, 'GroupId', true);
      requireGroup(instance, groupId);
      const memberships = Object.values(instance.memberships).filter((m) => m.groupId === groupId);
      const page = identityCenterPage(ctx.world, input, `ListGroupMemberships:${groupId}`, memberships);
      return { GroupMemberships: page.items.map((m) => membershipShape(instance, m)), NextToken: page.nextToken };
    },
  },
  ListGroupMembershipsForMember: {
    handler(ctx, input) {
      const instance = store(ctx, input);
      const userId = memberUserId(input);
      requireUser(instance, userId);
      const memberships = Object.values(instance.memberships).filter((m) => m.userId === userId);
      const page = identityCenterPage(ctx.world, input, `ListGroupMembershipsForMember:${userId}`, memberships);
      return { GroupMemberships: page.items.map((m) => membershipShape(instance, m)), NextToken: page.nextToken };
    },
  },
};

/** The Identity Store service definition the sandbox server routes to. */
export const identityStoreService: ServiceDefinition = {
  signingName: 'identitystore',
  actionPrefix: 'identitystore',
  protocol: 'json',
  targetPrefix: 'AWSIdentityStore',
  accessDeniedCode: 'AccessDeniedException',
  family: 'identitycenter',
  operations: { ...userOperations, ...groupOperations, ...membershipOperations },
};
