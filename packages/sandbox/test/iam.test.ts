// The SDK maps IAM's wire codes (NoSuchEntity, EntityAlreadyExists…) to its *Exception classes,
// so the names below prove the sandbox sent the codes IAM's model declares.
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  DeleteAccessKeyCommand,
  DeleteGroupPolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_MANAGED_POLICIES } from '../src/managed-policies.js';
import { iamService } from '../src/services/iam.js';
import { stsService } from '../src/services/sts.js';
import { startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { CUSTOMER_ACCOUNT, createTrustWorld, trustPolicy } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

const READ_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*'], Resource: '*' }] });

describe('IAM through the real SDK client', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;
  let iam: IAMClient;

  beforeAll(async () => {
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService] });
    iam = new IAMClient(sandbox.clientConfig(tw.customerRoot));
  });
  afterAll(async () => {
    iam.destroy();
    await sandbox.close();
  });

  it('creates, reads and deletes a role; the trust policy comes back URL-encoded as sent', async () => {
    const document = JSON.stringify(trustPolicy('111111111111', 'ext-id'), null, 2);
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'Reader', Path: '/orglink/', AssumeRolePolicyDocument: document, Description: 'a <b> & c', MaxSessionDuration: 7200 }),
    );
    expect(created.Role).toMatchObject({ RoleName: 'Reader', Path: '/orglink/', Arn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/orglink/Reader`, MaxSessionDuration: 7200 });
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{16}$/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'Reader' }));
    expect(got.Role?.Description).toBe('a <b> & c');
    expect(got.Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(document));
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'Reader', AssumeRolePolicyDocument: document }))).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      $metadata: { httpStatusCode: 409 },
    });
    const replaced = JSON.stringify(trustPolicy('*'));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Reader', PolicyDocument: replaced }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'Reader' }))).Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(replaced));
    await iam.send(new DeleteRoleCommand({ RoleName: 'Reader' }));
    await expect(iam.send(new GetRoleCommand({ RoleName: 'Reader' }))).rejects.toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
  });

  it.each([
    ['not JSON', '{"Statement": ['],
    ['no Statement', '{"Version":"2012-10-17"}'],
    ['a bad Effect', JSON.stringify({ Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'sts:AssumeRole' }] })],
    ['no Principal', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] })],
  ])('refuses a trust policy with %s as MalformedPolicyDocument', async (_name, document) => {
    await expect(iam.send(new CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: document }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  it.each([
    ['a name with a space', { RoleName: 'has space' }],
    ['a 65-character name', { RoleName: 'r'.repeat(65) }],
    ['a path without slashes', { RoleName: 'ok', Path: 'nope' }],
    ['MaxSessionDuration too long', { RoleName: 'ok', MaxSessionDuration: 43_201 }],
  ])('refuses %s as ValidationError', async (_name, input) => {
    await expect(iam.send(new CreateRoleCommand({ AssumeRolePolicyDocument: JSON.stringify(trustPolicy('*')), ...input }))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('inline and attached role policies', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'Policies', AssumeRolePolicyDocument: JSON.stringify(trustPolicy('*')) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Policies', PolicyName: 's3', PolicyDocument: READ_S3 }));
    expect((await iam.send(new GetRolePolicyCommand({ RoleName: 'Policies', PolicyName: 's3' }))).PolicyDocument).toBe(encodeURIComponent(READ_S3));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'Policies' }))).PolicyNames).toEqual(['s3']);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Policies', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: 'Policies', PolicyArn: 'arn:aws:iam::aws:policy/NotAThing' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Policies' }))).AttachedPolicies).toEqual([
      { PolicyName: 'SecurityAudit', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' },
    ]);
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'Policies' }))).rejects.toMatchObject({ name: 'DeleteConflictException', $metadata: { httpStatusCode: 409 } });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Policies', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'Policies', PolicyName: 's3' }));
    await expect(iam.send(new GetRolePolicyCommand({ RoleName: 'Policies', PolicyName: 's3' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    await iam.send(new DeleteRoleCommand({ RoleName: 'Policies' }));
  });

  it('customer managed policies, and AWS managed ones in Get and List', async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadS3', PolicyDocument: READ_S3, Description: 'reads' }));
    const arn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:policy/ReadS3`;
    expect(created.Policy).toMatchObject({ Arn: arn, DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    await expect(iam.send(new CreatePolicyCommand({ PolicyName: 'ReadS3', PolicyDocument: READ_S3 }))).rejects.toMatchObject({ name: 'EntityAlreadyExistsException' });
    expect((await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }))).PolicyVersion?.Document).toBe(encodeURIComponent(READ_S3));
    const aws = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }));
    expect(aws.Policy?.PolicyName).toBe('ViewOnlyAccess');
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.map((p) => p.Arn)).toEqual([arn]);
    const awsList = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    expect(awsList.Policies?.map((p) => p.PolicyName)).toEqual(AWS_MANAGED_POLICIES.map((p) => p.name));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await expect(iam.send(new GetPolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('users, groups, memberships and access keys', async () => {
    const user = await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    expect(user.User?.Arn).toBe(`arn:aws:iam::${CUSTOMER_ACCOUNT}:user/alice`);
    await iam.send(new CreateGroupCommand({ GroupName: 'auditors' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'alice' }));
    const group = await iam.send(new GetGroupCommand({ GroupName: 'auditors' }));
    expect(group.Users?.map((u) => u.UserName)).toEqual(['alice']);
    expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups?.map((g) => g.GroupName)).toEqual(['auditors']);
    expect((await iam.send(new ListGroupsCommand({}))).Groups).toHaveLength(1);
    await expect(iam.send(new DeleteGroupCommand({ GroupName: 'auditors' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });

    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    expect(key.AccessKey).toMatchObject({ UserName: 'alice', Status: 'Active' });
    const asAlice = new STSClient(sandbox.clientConfig({ accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! }));
    expect((await asAlice.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${CUSTOMER_ACCOUNT}:user/alice`);
    asAlice.destroy();
    // Group policies reach their members.
    const aliceIam = new IAMClient(sandbox.clientConfig({ accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! }));
    await expect(aliceIam.send(new GetUserCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
    tw.world.iam.get(CUSTOMER_ACCOUNT)!.groups.get('auditors')!.attachedPolicyArns.push('arn:aws:iam::aws:policy/IAMReadOnlyAccess');
    expect((await aliceIam.send(new GetUserCommand({}))).User?.UserName).toBe('alice');
    aliceIam.destroy();
    tw.world.iam.get(CUSTOMER_ACCOUNT)!.groups.get('auditors')!.attachedPolicyArns.length = 0;

    await expect(iam.send(new DeleteUserCommand({ UserName: 'alice' }))).rejects.toMatchObject({ name: 'DeleteConflictException' });
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'auditors', UserName: 'alice' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'auditors' }));
    expect((await iam.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toEqual(['alice']);
  });

  it('user and group policies, and access keys', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'inline', PolicyDocument: READ_S3 }));
    expect((await iam.send(new GetUserPolicyCommand({ UserName: 'bob', PolicyName: 'inline' }))).PolicyDocument).toBe(encodeURIComponent(READ_S3));
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'bob' }))).PolicyNames).toEqual(['inline']);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'bob' }))).AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['ReadOnlyAccess']);
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'g', PolicyDocument: READ_S3 }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
    expect((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'readers' }))).PolicyNames).toEqual(['g']);
    expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'readers' }))).AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([
      'arn:aws:iam::aws:policy/SecurityAudit',
    ]);
    await expect(iam.send(new GetGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'bob' }))).AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([key.AccessKey?.AccessKeyId]);
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: key.AccessKey!.AccessKeyId! }));
    const revoked = new STSClient(sandbox.clientConfig({ accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! }));
    await expect(revoked.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    revoked.destroy();
    await iam.send(new DetachUserPolicyCommand({ UserName: 'bob', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'inline' }));
    await iam.send(new DeleteUserCommand({ UserName: 'bob' }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'g' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'readers' }));
  });

  it('GetUser without a name, as root, describes the root user', async () => {
    expect((await iam.send(new GetUserCommand({}))).User).toMatchObject({ UserId: CUSTOMER_ACCOUNT, Arn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:root` });
  });

  it('ListAccountAliases is an empty list', async () => {
    expect(await iam.send(new ListAccountAliasesCommand({}))).toMatchObject({ AccountAliases: [], IsTruncated: false });
  });

  it('pages ListRoles with Marker and MaxItems through the SDK paginator', async () => {
    for (let i = 0; i < 23; i++) {
      await iam.send(new CreateRoleCommand({ RoleName: `Paged-${String(i).padStart(2, '0')}`, Path: '/paged/', AssumeRolePolicyDocument: JSON.stringify(trustPolicy('*')) }));
    }
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 5 }, { PathPrefix: '/paged/' })) {
      pages.push(page.Roles?.length ?? 0);
      names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    }
    expect(pages).toEqual([5, 5, 5, 5, 3]);
    expect(names).toEqual(Array.from({ length: 23 }, (_, i) => `Paged-${String(i).padStart(2, '0')}`));
    await expect(iam.send(new ListUsersCommand({ Marker: 'not-a-marker!' }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(iam.send(new ListUsersCommand({ MaxItems: 1001 }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
