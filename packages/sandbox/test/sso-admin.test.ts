import { CreateGroupCommand, CreateUserCommand, IdentitystoreClient, ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAssignment, createPermissionSet } from '../src/identity-center-assignments.js';
import { deserializeIdentityCenterState, serializeIdentityCenterState } from '../src/identity-center-persistence.js';
import { enableIdentityCenter, identityCenterState, setIdentityCenterSettings } from '../src/identity-center-state.js';
import { createUser } from '../src/identity-center-store.js';
import { deserializeWorld, serializeWorld } from '../src/persistence.js';
import { addAccountToOrganization, createOrganization } from '../src/organization-state.js';
import { identityStoreService } from '../src/services/identitystore.js';
import { ssoAdminService } from '../src/services/sso-admin.js';
import { createWorld, issueLongTermKey, rootPrincipal } from '../src/world-factory.js';
import type { World } from '../src/world.js';
import { startSandbox, type StartedSandbox } from './support/sandbox-server.js';

const MANAGEMENT = '999999999999';
const INLINE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] });

describe('SSO Admin over HTTP with the real SDK', () => {
  let world: World;
  // The sandbox clock runs at real time plus an offset the test advances; no sleeping.
  let offsetMs = 0;
  let sandbox: StartedSandbox;
  let sso: SSOAdminClient;
  let store: IdentitystoreClient;
  let instanceArn: string;
  let storeId: string;
  let active: string;
  let suspended: string;
  let userId: string;
  let permissionSetArn: string;

  beforeAll(async () => {
    world = createWorld({ seed: 9, now: () => new Date(Date.now() + offsetMs) });
    world.accounts.set(MANAGEMENT, { id: MANAGEMENT, name: 'management', email: 'm@example.test', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: world.now(), parentId: null });
    createOrganization(world, MANAGEMENT);
    active = addAccountToOrganization(world, { name: 'active', email: 'a@example.test', joinedMethod: 'CREATED' }).id;
    suspended = addAccountToOrganization(world, { name: 'suspended', email: 's@example.test', joinedMethod: 'CREATED', state: 'SUSPENDED' }).id;
    setIdentityCenterSettings(world, { asyncDelayMs: 60_000 });
    sandbox = await startSandbox({ world, services: [identityStoreService, ssoAdminService] });
    const key = issueLongTermKey(world, rootPrincipal(world, MANAGEMENT));
    sso = new SSOAdminClient(sandbox.clientConfig(key));
    store = new IdentitystoreClient(sandbox.clientConfig(key));
  });
  afterAll(async () => {
    sso.destroy();
    store.destroy();
    await sandbox.close();
  });

  it('shows the organization instance to the management account only', async () => {
    const { Instances } = await sso.send(new ListInstancesCommand({}));
    expect(Instances).toHaveLength(1);
    expect(Instances?.[0]).toMatchObject({ OwnerAccountId: MANAGEMENT, Status: 'ACTIVE' });
    expect(Instances?.[0]?.InstanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    expect(Instances?.[0]?.CreatedDate).toBeInstanceOf(Date);
    instanceArn = Instances?.[0]?.InstanceArn as string;
    storeId = Instances?.[0]?.IdentityStoreId as string;
    const member = new SSOAdminClient(sandbox.clientConfig(issueLongTermKey(world, rootPrincipal(world, active))));
    expect((await member.send(new ListInstancesCommand({}))).Instances).toEqual([]);
    await expect(member.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    member.destroy();
    const user = await store.send(
      new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'alice', DisplayName: 'Alice', Name: { GivenName: 'Alice', FamilyName: 'A' } }),
    );
    userId = user.UserId as string;
  });

  it('creates permission sets with managed and inline policies', async () => {
    const { PermissionSet } = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ReadOnly', Description: 'Read only', SessionDuration: 'PT4H' }),
    );
    permissionSetArn = PermissionSet?.PermissionSetArn as string;
    expect(permissionSetArn).toMatch(/^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/);
    await expect(sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ReadOnly' }))).rejects.toMatchObject({ name: 'ConflictException' });
    const described = await sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }));
    expect(described.PermissionSet).toMatchObject({ Name: 'ReadOnly', Description: 'Read only', SessionDuration: 'PT4H' });
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
    );
    await expect(
      sso.send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    const managed = await sso.send(new ListManagedPoliciesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }));
    expect(managed.AttachedManagedPolicies).toEqual([{ Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', Name: 'ReadOnlyAccess' }]);
    await sso.send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, InlinePolicy: INLINE }));
    const inline = await sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }));
    expect(inline.InlinePolicy).toBe(INLINE);
    const listed = await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }));
    expect(listed.PermissionSets).toEqual([permissionSetArn]);
  });

  it('creates an account assignment asynchronously: IN_PROGRESS, then SUCCEEDED when described', async () => {
    const assignment = { InstanceArn: instanceArn, TargetId: active, TargetType: 'AWS_ACCOUNT', PermissionSetArn: permissionSetArn, PrincipalType: 'USER', PrincipalId: userId } as const;
    const { AccountAssignmentCreationStatus: created } = await sso.send(new CreateAccountAssignmentCommand(assignment));
    expect(created).toMatchObject({ Status: 'IN_PROGRESS', TargetId: active, PrincipalId: userId });
    expect(created?.RequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const before = await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: active, PermissionSetArn: permissionSetArn }));
    expect(before.AccountAssignments).toEqual([]);
    const status = await sso.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: created?.RequestId }));
    expect(status.AccountAssignmentCreationStatus?.Status).toBe('SUCCEEDED');
    const after = await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: active, PermissionSetArn: permissionSetArn }));
    expect(after.AccountAssignments).toEqual([{ AccountId: active, PermissionSetArn: permissionSetArn, PrincipalType: 'USER', PrincipalId: userId }]);
    const provisioned = await sso.send(new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn: instanceArn, AccountId: active }));
    expect(provisioned.PermissionSets).toEqual([permissionSetArn]);
    const accounts = await sso.send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }));
    expect(accounts.AccountIds).toEqual([active]);
  });

  it('refuses assignments on a suspended account with ConflictException', async () => {
    await expect(
      sso.send(
        new CreateAccountAssignmentCommand({ InstanceArn: instanceArn, TargetId: suspended, TargetType: 'AWS_ACCOUNT', PermissionSetArn: permissionSetArn, PrincipalType: 'USER', PrincipalId: userId }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });

  it('allows at most 10 outstanding CreateAccountAssignment calls; they finish once their time has passed', async () => {
    const groups: string[] = [];
    for (let i = 0; i < 11; i++) {
      const { GroupId } = await store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: `group-${i}` }));
      groups.push(GroupId as string);
    }
    const assign = (groupId: string) =>
      sso.send(
        new CreateAccountAssignmentCommand({ InstanceArn: instanceArn, TargetId: active, TargetType: 'AWS_ACCOUNT', PermissionSetArn: permissionSetArn, PrincipalType: 'GROUP', PrincipalId: groupId }),
      );
    for (const groupId of groups.slice(0, 10)) expect((await assign(groupId)).AccountAssignmentCreationStatus?.Status).toBe('IN_PROGRESS');
    await expect(assign(groups[10] as string)).rejects.toMatchObject({ name: 'ThrottlingException', message: 'There are too many requests processing. Please try again later.' });
    offsetMs += 61_000;
    const last = await assign(groups[10] as string);
    expect(last.AccountAssignmentCreationStatus?.Status).toBe('IN_PROGRESS');
    const listed = await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: active, PermissionSetArn: permissionSetArn, MaxResults: 100 }));
    expect(listed.AccountAssignments).toHaveLength(11);
  });

  it('tracks whether accounts have the latest permission set, and re-provisions', async () => {
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }),
    );
    const outdated = await sso.send(
      new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn: instanceArn, AccountId: active, ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }),
    );
    expect(outdated.PermissionSets).toEqual([permissionSetArn]);
    const { PermissionSetProvisioningStatus } = await sso.send(
      new ProvisionPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }),
    );
    expect(PermissionSetProvisioningStatus?.Status).toBe('IN_PROGRESS');
    const done = await sso.send(
      new DescribePermissionSetProvisioningStatusCommand({ InstanceArn: instanceArn, ProvisionPermissionSetRequestId: PermissionSetProvisioningStatus?.RequestId }),
    );
    expect(done.PermissionSetProvisioningStatus?.Status).toBe('SUCCEEDED');
    const latest = await sso.send(
      new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, ProvisioningStatus: 'LATEST_PERMISSION_SET_PROVISIONED' }),
    );
    expect(latest.AccountIds).toEqual([active]);
  });

  it('deletes assignments asynchronously; a permission set can go once it is provisioned nowhere', async () => {
    await expect(sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }))).rejects.toMatchObject({ name: 'ConflictException' });
    const { AccountAssignments } = await sso.send(
      new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: active, PermissionSetArn: permissionSetArn, MaxResults: 100 }),
    );
    for (const a of AccountAssignments ?? []) {
      const { AccountAssignmentDeletionStatus } = await sso.send(
        new DeleteAccountAssignmentCommand({ InstanceArn: instanceArn, TargetId: active, TargetType: 'AWS_ACCOUNT', PermissionSetArn: permissionSetArn, PrincipalType: a.PrincipalType, PrincipalId: a.PrincipalId }),
      );
      expect(AccountAssignmentDeletionStatus?.Status).toBe('IN_PROGRESS');
      const done = await sso.send(
        new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: AccountAssignmentDeletionStatus?.RequestId }),
      );
      expect(done.AccountAssignmentDeletionStatus?.Status).toBe('SUCCEEDED');
    }
    const provisioned = await sso.send(new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn: instanceArn, AccountId: active }));
    expect(provisioned.PermissionSets).toEqual([]);
    await sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }));
    await expect(sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('declares both Identity Center services in the shared identitycenter throttle family', () => {
    expect([ssoAdminService.family, identityStoreService.family]).toEqual(['identitycenter', 'identitycenter']);
  });
});

describe('Identity Center in a saved and reloaded world', () => {
  it('round-trips instances, users, permission sets and pending requests', () => {
    const world = createWorld({ seed: 4 });
    world.accounts.set(MANAGEMENT, { id: MANAGEMENT, name: 'management', email: 'm@example.test', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: world.now(), parentId: null });
    createOrganization(world, MANAGEMENT);
    const member = addAccountToOrganization(world, { name: 'member', email: 'x@example.test', joinedMethod: 'CREATED' });
    const instance = enableIdentityCenter(world, { region: 'eu-west-1' });
    expect(enableIdentityCenter(world)).toBe(instance);
    const user = createUser(world, instance, 'alice', { DisplayName: 'Alice' });
    const permissionSet = createPermissionSet(world, instance, { name: 'Admin' });
    const request = createAccountAssignment(world, instance, { accountId: member.id, permissionSetArn: permissionSet.arn, principalType: 'USER', principalId: user.userId });

    const { world: loaded } = deserializeWorld(JSON.parse(JSON.stringify(serializeWorld(world))));
    expect(identityCenterState(loaded)).toEqual(identityCenterState(world));
    const copy = createWorld();
    const state = deserializeIdentityCenterState(copy, JSON.parse(JSON.stringify(serializeIdentityCenterState(world))));
    expect(state.instances[instance.instanceArn]?.requests[request.requestId]?.status).toBe('IN_PROGRESS');
    expect(state.instances[instance.instanceArn]?.region).toBe('eu-west-1');
  });
});

describe('the identitycenter throttle family', () => {
  it('meters Identity Store and SSO Admin from one shared bucket', async () => {
    const world = createWorld({ seed: 2 });
    world.accounts.set(MANAGEMENT, { id: MANAGEMENT, name: 'management', email: 'm@example.test', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: world.now(), parentId: null });
    createOrganization(world, MANAGEMENT);
    const storeId = enableIdentityCenter(world).identityStoreId;
    // A bucket of 3 that refills once every 1,000 s: the fourth call is throttled whatever the timing.
    const realism = { throttling: { enabled: true, buckets: { identitycenter: { rate: 0.001, burst: 3 } } } };
    const sandbox = await startSandbox({ world, services: [identityStoreService, ssoAdminService], realism });
    const key = issueLongTermKey(world, rootPrincipal(world, MANAGEMENT));
    const sso = new SSOAdminClient(sandbox.clientConfig(key));
    const store = new IdentitystoreClient(sandbox.clientConfig(key));
    await sso.send(new ListInstancesCommand({}));
    await store.send(new ListUsersCommand({ IdentityStoreId: storeId }));
    await store.send(new ListGroupsCommand({ IdentityStoreId: storeId }));
    await expect(sso.send(new ListInstancesCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(store.send(new ListUsersCommand({ IdentityStoreId: storeId }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    sso.destroy();
    store.destroy();
    await sandbox.close();
  });
});
