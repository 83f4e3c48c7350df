import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeGroupCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  paginateListGroupMemberships,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccountToOrganization, createOrganization } from '../src/organization-state.js';
import { identityStoreService } from '../src/services/identitystore.js';
import { ssoAdminService } from '../src/services/sso-admin.js';
import { createWorld, issueLongTermKey, rootPrincipal } from '../src/world-factory.js';
import type { World } from '../src/world.js';
import { startSandbox, type StartedSandbox } from './support/sandbox-server.js';

const MANAGEMENT = '999999999999';

describe('Identity Store over HTTP with the real SDK', () => {
  let world: World;
  let sandbox: StartedSandbox;
  let store: IdentitystoreClient;
  let memberStore: IdentitystoreClient;
  let storeId: string;
  const users: Record<string, string> = {};
  const user = (name: string): string => users[name] as string;

  beforeAll(async () => {
    world = createWorld({ seed: 3 });
    world.accounts.set(MANAGEMENT, { id: MANAGEMENT, name: 'management', email: 'm@example.test', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: world.now(), parentId: null });
    createOrganization(world, MANAGEMENT);
    const member = addAccountToOrganization(world, { name: 'member', email: 'x@example.test', joinedMethod: 'CREATED' });
    sandbox = await startSandbox({ world, services: [identityStoreService, ssoAdminService] });
    const managementKey = issueLongTermKey(world, rootPrincipal(world, MANAGEMENT));
    store = new IdentitystoreClient(sandbox.clientConfig(managementKey));
    memberStore = new IdentitystoreClient(sandbox.clientConfig(issueLongTermKey(world, rootPrincipal(world, member.id))));
    const sso = new SSOAdminClient(sandbox.clientConfig(managementKey));
    const { Instances } = await sso.send(new ListInstancesCommand({}));
    storeId = Instances?.[0]?.IdentityStoreId as string;
    sso.destroy();
  });
  afterAll(async () => {
    store.destroy();
    memberStore.destroy();
    await sandbox.close();
  });

  const newUser = (userName: string, extra: Record<string, unknown> = {}) =>
    store.send(
      new CreateUserCommand({
        IdentityStoreId: storeId,
        UserName: userName,
        DisplayName: `${userName} display`,
        Name: { GivenName: userName, FamilyName: 'Tester' },
        Emails: [{ Value: `${userName}@example.test`, Type: 'work', Primary: true }],
        ...extra,
      }),
    );

  it('creates users with unique user names and describes them', async () => {
    expect(storeId).toMatch(/^d-[0-9a-f]{10}$/);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) users[name] = (await newUser(name)).UserId as string;
    await expect(newUser('alice')).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(store.send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'nameless' }))).rejects.toMatchObject({ name: 'ValidationException' });
    const alice = await store.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: users.alice }));
    expect(alice).toMatchObject({
      UserName: 'alice',
      DisplayName: 'alice display',
      Name: { GivenName: 'alice', FamilyName: 'Tester' },
      Emails: [{ Value: 'alice@example.test', Type: 'work', Primary: true }],
      IdentityStoreId: storeId,
    });
    await expect(store.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const byEmail = await store.send(
      new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'bob@example.test' } } }),
    );
    expect(byEmail.UserId).toBe(users.bob);
  });

  it('pages users with MaxResults 1..100 and an opaque NextToken', async () => {
    const seen: string[] = [];
    for await (const page of paginateListUsers({ client: store, pageSize: 2 }, { IdentityStoreId: storeId })) {
      expect(page.Users?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.Users ?? []).map((u) => u.UserName as string));
    }
    expect(seen).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    await expect(store.send(new ListUsersCommand({ IdentityStoreId: storeId, MaxResults: 101 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(store.send(new ListUsersCommand({ IdentityStoreId: storeId, NextToken: 'forged' }))).rejects.toMatchObject({ name: 'ValidationException' });
    const filtered = await store.send(new ListUsersCommand({ IdentityStoreId: storeId, Filters: [{ AttributePath: 'UserName', AttributeValue: 'carol' }] }));
    expect(filtered.Users?.map((u) => u.UserId)).toEqual([users.carol]);
  });

  it('manages groups and memberships, with lookups both ways', async () => {
    const created = await store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Admins', Description: 'Cloud admins' }));
    const GroupId = created.GroupId as string;
    await expect(store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Admins' }))).rejects.toMatchObject({ name: 'ConflictException' });
    expect(await store.send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId }))).toMatchObject({ DisplayName: 'Admins', Description: 'Cloud admins' });
    const lookedUp = await store.send(
      new GetGroupIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Admins' } } }),
    );
    expect(lookedUp.GroupId).toBe(GroupId);
    const memberships: Record<string, string> = {};
    for (const name of ['alice', 'bob', 'carol']) {
      const { MembershipId } = await store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId, MemberId: { UserId: user(name) } }));
      memberships[name] = MembershipId as string;
    }
    await expect(
      store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId, MemberId: { UserId: user('alice') } })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(
      store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId, MemberId: { UserId: 'missing' } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const found = await store.send(new GetGroupMembershipIdCommand({ IdentityStoreId: storeId, GroupId, MemberId: { UserId: user('bob') } }));
    expect(found.MembershipId).toBe(memberships.bob);

    const listed: string[] = [];
    for await (const page of paginateListGroupMemberships({ client: store, pageSize: 1 }, { IdentityStoreId: storeId, GroupId })) {
      listed.push(...(page.GroupMemberships ?? []).map((m) => m.MemberId?.UserId as string));
    }
    expect(listed).toEqual([users.alice, users.bob, users.carol]);
    const forMember = await store.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: storeId, MemberId: { UserId: user('alice') } }));
    expect(forMember.GroupMemberships).toEqual([{ IdentityStoreId: storeId, MembershipId: memberships.alice, GroupId, MemberId: { UserId: user('alice') } }]);

    await store.send(new DeleteGroupMembershipCommand({ IdentityStoreId: storeId, MembershipId: memberships.bob }));
    await store.send(new DeleteUserCommand({ IdentityStoreId: storeId, UserId: users.carol }));
    const after = await store.send(new ListGroupMembershipsCommand({ IdentityStoreId: storeId, GroupId }));
    expect(after.GroupMemberships?.map((m) => m.MemberId?.UserId)).toEqual([users.alice]);
    await store.send(new DeleteGroupCommand({ IdentityStoreId: storeId, GroupId }));
    const groups = await store.send(new ListGroupsCommand({ IdentityStoreId: storeId }));
    expect(groups.Groups).toEqual([]);
    const alicesGroups = await store.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: storeId, MemberId: { UserId: user('alice') } }));
    expect(alicesGroups.GroupMemberships).toEqual([]);
  });

  it('keeps member accounts out of the organization identity store', async () => {
    await expect(memberStore.send(new ListUsersCommand({ IdentityStoreId: storeId }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
