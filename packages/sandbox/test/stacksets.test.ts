import {
  CloudFormationClient,
  CreateStackCommand,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DeleteStackCommand,
  DeleteStackInstancesCommand,
  DeleteStackSetCommand,
  DescribeStacksCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  ListStackInstancesCommand,
  ListStackSetOperationResultsCommand,
  ListStackSetOperationsCommand,
  paginateListStackInstances,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAccountToOrganization,
  createOrganization,
  createOrganizationalUnit,
  moveAccount,
  removeAccountFromOrganization,
} from '../src/organization-state.js';
import { deserializeCloudFormationState, serializeCloudFormationState } from '../src/cloudformation-persistence.js';
import { cloudFormationState } from '../src/cloudformation-state.js';
import { deserializeWorld, serializeWorld } from '../src/persistence.js';
import { cloudFormationService } from '../src/services/cloudformation.js';
import { enableStackSetAutoDeployment } from '../src/stacksets-auto-deployment.js';
import { createStackInstances, createStackSet } from '../src/stacksets.js';
import { createIamUser } from '../src/services/iam-entities.js';
import { stsService } from '../src/services/sts.js';
import { createWorld, iamAccount, issueLongTermKey, putRole, rootPrincipal } from '../src/world-factory.js';
import type { Credential, Organization, World } from '../src/world.js';
import { startSandbox, type StartedSandbox } from './support/sandbox-server.js';

const PLATFORM = '111111111111';
const MANAGEMENT = '999999999999';
const EXTERNAL_ID = 'o_k3j9x2m4q8w1:Ab3dE6gH';

const MEMBER_TEMPLATE = `
Parameters:
  ExternalId: { Type: String }
  RoleName: { Type: String, Default: OrgLinkMember }
Resources:
  MemberRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Ref RoleName
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub 'arn:\${AWS::Partition}:iam::${PLATFORM}:root' }
            Action: sts:AssumeRole
            Condition: { StringEquals: { 'sts:ExternalId': !Ref ExternalId } }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
Outputs:
  RoleArn: { Value: !GetAtt MemberRole.Arn }
`;

function hasRole(world: World, accountId: string, name: string): boolean {
  return iamAccount(world, accountId).roles.has(name);
}

describe('service-managed StackSets over HTTP with the real SDK', () => {
  let world: World;
  let org: Organization;
  let sandbox: StartedSandbox;
  let cfn: CloudFormationClient;
  let platform: Credential;
  let workloadsOu: string;
  let prodOu: string;
  const members: Record<string, string> = {};

  beforeAll(async () => {
    world = createWorld({ seed: 5 });
    world.accounts.set(MANAGEMENT, { id: MANAGEMENT, name: 'management', email: 'm@example.test', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: world.now(), parentId: null });
    org = createOrganization(world, MANAGEMENT);
    workloadsOu = createOrganizationalUnit(world, org.rootId, 'Workloads').id;
    prodOu = createOrganizationalUnit(world, workloadsOu, 'Prod').id;
    members.atRoot = addAccountToOrganization(world, { name: 'at-root', email: 'a@example.test', joinedMethod: 'CREATED' }).id;
    members.inProd = addAccountToOrganization(world, { name: 'in-prod', email: 'b@example.test', joinedMethod: 'CREATED', parentId: prodOu }).id;
    members.suspended = addAccountToOrganization(world, { name: 'suspended', email: 'c@example.test', joinedMethod: 'CREATED', state: 'SUSPENDED' }).id;
    const user = createIamUser(world, PLATFORM, { name: 'platform' });
    user.inlinePolicies.set('assume', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    platform = issueLongTermKey(world, { kind: 'user', accountId: PLATFORM, arn: user.arn, userName: user.name });
    sandbox = await startSandbox({ world, services: [cloudFormationService, stsService] });
    cfn = new CloudFormationClient(sandbox.clientConfig(issueLongTermKey(world, rootPrincipal(world, MANAGEMENT))));
  });
  afterAll(async () => {
    cfn.destroy();
    await sandbox.close();
  });

  const createSet = (name: string, retain: boolean, client = cfn) =>
    client.send(
      new CreateStackSetCommand({
        StackSetName: name,
        TemplateBody: MEMBER_TEMPLATE,
        Parameters: [{ ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID }, { ParameterKey: 'RoleName', ParameterValue: name }],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: retain },
      }),
    );

  it('lets only the management account create service-managed stack sets', async () => {
    const member = new CloudFormationClient(sandbox.clientConfig(issueLongTermKey(world, rootPrincipal(world, members.atRoot as string))));
    await expect(createSet('FromMember', false, member)).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Account used is not organization management account or delegated administrator.',
    });
    member.destroy();
    await expect(
      cfn.send(new CreateStackSetCommand({ StackSetName: 'Self', TemplateBody: MEMBER_TEMPLATE, PermissionModel: 'SELF_MANAGED' })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      cfn.send(
        new CreateStackSetCommand({
          StackSetName: 'NoCaps',
          TemplateBody: MEMBER_TEMPLATE,
          Parameters: [{ ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID }],
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: { Enabled: true },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InsufficientCapabilitiesException' });
  });

  it('deploys to every ACTIVE account under the root, except the management account', async () => {
    const created = await createSet('OrgLinkMember', false);
    expect(created.StackSetId).toMatch(/^OrgLinkMember:/);
    await expect(createSet('OrgLinkMember', false)).rejects.toMatchObject({ name: 'NameAlreadyExistsException' });
    const { OperationId } = await cfn.send(
      new CreateStackInstancesCommand({ StackSetName: 'OrgLinkMember', DeploymentTargets: { OrganizationalUnitIds: [org.rootId] }, Regions: ['us-east-1'] }),
    );
    const { StackSetOperation } = await cfn.send(new DescribeStackSetOperationCommand({ StackSetName: 'OrgLinkMember', OperationId }));
    expect(StackSetOperation).toMatchObject({ Action: 'CREATE', Status: 'SUCCEEDED', DeploymentTargets: { OrganizationalUnitIds: [org.rootId] } });
    const instances = [];
    for await (const page of paginateListStackInstances({ client: cfn, pageSize: 1 }, { StackSetName: 'OrgLinkMember' })) instances.push(...(page.Summaries ?? []));
    expect(instances.map((i) => i.Account).sort()).toEqual([members.atRoot, members.inProd].sort());
    expect(instances.every((i) => i.Status === 'CURRENT' && i.StackInstanceStatus?.DetailedStatus === 'SUCCEEDED')).toBe(true);
    expect(hasRole(world, members.atRoot as string, 'OrgLinkMember')).toBe(true);
    expect(hasRole(world, members.inProd as string, 'OrgLinkMember')).toBe(true);
    expect(hasRole(world, MANAGEMENT, 'OrgLinkMember')).toBe(false);
    expect(hasRole(world, members.suspended as string, 'OrgLinkMember')).toBe(false);
    const results = await cfn.send(new ListStackSetOperationResultsCommand({ StackSetName: 'OrgLinkMember', OperationId }));
    expect(results.Summaries).toHaveLength(2);
    const { StackSet } = await cfn.send(new DescribeStackSetCommand({ StackSetName: 'OrgLinkMember' }));
    expect(StackSet).toMatchObject({
      Status: 'ACTIVE',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      OrganizationalUnitIds: [org.rootId],
      Regions: ['us-east-1'],
    });
  });

  it('auto-deploys to an account that joins later, whose role the platform can then assume', async () => {
    const joined = addAccountToOrganization(world, { name: 'late', email: 'late@example.test', joinedMethod: 'INVITED', parentId: workloadsOu });
    members.late = joined.id;
    const { Summaries } = await cfn.send(new ListStackInstancesCommand({ StackSetName: 'OrgLinkMember', StackInstanceAccount: joined.id }));
    expect(Summaries).toMatchObject([{ Account: joined.id, Region: 'us-east-1', Status: 'CURRENT', OrganizationalUnitId: org.rootId }]);
    const sts = new STSClient(sandbox.clientConfig(platform));
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${joined.id}:role/OrgLinkMember`, RoleSessionName: 'orglink', ExternalId: EXTERNAL_ID }),
    );
    expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${joined.id}:assumed-role/OrgLinkMember/orglink`);
    sts.destroy();
    const operations = await cfn.send(new ListStackSetOperationsCommand({ StackSetName: 'OrgLinkMember' }));
    expect(operations.Summaries?.map((o) => [o.Action, o.Status])).toEqual([
      ['CREATE', 'SUCCEEDED'],
      ['CREATE', 'SUCCEEDED'],
    ]);
  });

  it('deletes the stack when an account leaves the organization, unless the stack set retains stacks', async () => {
    await createSet('Retained', true);
    await cfn.send(new CreateStackInstancesCommand({ StackSetName: 'Retained', DeploymentTargets: { OrganizationalUnitIds: [workloadsOu] }, Regions: ['us-east-1'] }));
    expect(hasRole(world, members.late as string, 'Retained')).toBe(true);
    expect(hasRole(world, members.inProd as string, 'Retained')).toBe(true);
    expect(hasRole(world, members.atRoot as string, 'Retained')).toBe(false);

    removeAccountFromOrganization(world, members.late as string);
    expect(hasRole(world, members.late as string, 'OrgLinkMember')).toBe(false);
    expect(hasRole(world, members.late as string, 'Retained')).toBe(true);
    const left = await cfn.send(new ListStackInstancesCommand({ StackSetName: 'OrgLinkMember', StackInstanceAccount: members.late }));
    expect(left.Summaries).toEqual([]);
    const operations = await cfn.send(new ListStackSetOperationsCommand({ StackSetName: 'OrgLinkMember' }));
    expect(operations.Summaries?.[0]?.Action).toBe('DELETE');
  });

  it('follows accounts moving into and out of targeted OUs', async () => {
    moveAccount(world, members.atRoot as string, org.rootId, prodOu);
    expect(hasRole(world, members.atRoot as string, 'Retained')).toBe(true);
    moveAccount(world, members.inProd as string, prodOu, org.rootId);
    // Moving out of the targets removes the instance; RetainStacksOnAccountRemoval keeps the stack's role.
    const instances = await cfn.send(new ListStackInstancesCommand({ StackSetName: 'Retained' }));
    expect(instances.Summaries?.map((i) => [i.Account, i.OrganizationalUnitId])).toEqual([[members.atRoot, workloadsOu]]);
    expect(hasRole(world, members.inProd as string, 'Retained')).toBe(true);
    // Still under the root target of the other stack set.
    expect(hasRole(world, members.inProd as string, 'OrgLinkMember')).toBe(true);
  });

  it('deletes instances, then the stack set', async () => {
    await expect(cfn.send(new DeleteStackSetCommand({ StackSetName: 'OrgLinkMember' }))).rejects.toMatchObject({ name: 'StackSetNotEmptyException' });
    const { OperationId } = await cfn.send(
      new DeleteStackInstancesCommand({ StackSetName: 'OrgLinkMember', DeploymentTargets: { OrganizationalUnitIds: [org.rootId] }, Regions: ['us-east-1'], RetainStacks: false }),
    );
    const { StackSetOperation } = await cfn.send(new DescribeStackSetOperationCommand({ StackSetName: 'OrgLinkMember', OperationId }));
    expect(StackSetOperation).toMatchObject({ Action: 'DELETE', Status: 'SUCCEEDED', RetainStacks: false });
    expect(hasRole(world, members.atRoot as string, 'OrgLinkMember')).toBe(false);
    expect(hasRole(world, members.inProd as string, 'OrgLinkMember')).toBe(false);
    await cfn.send(new DeleteStackSetCommand({ StackSetName: 'OrgLinkMember' }));
    await expect(cfn.send(new DescribeStackSetCommand({ StackSetName: 'OrgLinkMember' }))).rejects.toMatchObject({ name: 'StackSetNotFoundException' });
    // Accounts joining now get nothing from the deleted stack set.
    const after = addAccountToOrganization(world, { name: 'after', email: 'after@example.test', joinedMethod: 'CREATED' });
    expect(hasRole(world, after.id, 'OrgLinkMember')).toBe(false);
  });

  // Shaped like orglink's generated `stackset` template: a management-account stack whose
  // StackSet resource takes its OUs from a CommaDelimitedList and tolerates failed accounts.
  it('creates a stack set from an AWS::CloudFormation::StackSet resource, tolerating blocked accounts', async () => {
    const blocked = addAccountToOrganization(world, { name: 'blocked', email: 'blocked@example.test', joinedMethod: 'CREATED', parentId: prodOu }).id;
    putRole(world, blocked, { name: 'FromStack', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '333333333333' }, Action: 'sts:AssumeRole' }] } });
    const template = `
Parameters:
  ExternalId: { Type: String }
  OrganizationalUnitIds: { Type: CommaDelimitedList, Default: '${'${RootId}'}' }
  CallAs: { Type: String, AllowedValues: [SELF, DELEGATED_ADMIN], Default: SELF }
Resources:
  Members:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: FromStack
      PermissionModel: SERVICE_MANAGED
      CallAs: { Ref: CallAs }
      Capabilities: [CAPABILITY_NAMED_IAM]
      ManagedExecution: { Active: true }
      OperationPreferences: { FailureTolerancePercentage: 100, MaxConcurrentPercentage: 100, RegionConcurrencyType: PARALLEL }
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false }
      Parameters:
        - { ParameterKey: ExternalId, ParameterValue: !Ref ExternalId }
        - { ParameterKey: RoleName, ParameterValue: FromStack }
      StackInstancesGroup:
        - DeploymentTargets: { OrganizationalUnitIds: { Ref: OrganizationalUnitIds } }
          Regions: [!Ref 'AWS::Region']
      TemplateBody: |
${MEMBER_TEMPLATE.split('\n').map((line) => `        ${line}`).join('\n')}
Outputs:
  StackSetId: { Value: !Ref Members }
`.replace('${RootId}', org.rootId);
    await cfn.send(new CreateStackCommand({ StackName: 'orglink-members', TemplateBody: template, Parameters: [{ ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID }] }));
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'orglink-members' }));
    expect(Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    expect(Stacks?.[0]?.Outputs?.[0]?.OutputValue).toMatch(/^FromStack:/);
    expect(hasRole(world, members.inProd as string, 'FromStack')).toBe(true);
    expect(hasRole(world, MANAGEMENT, 'FromStack')).toBe(false);
    const { StackSet } = await cfn.send(new DescribeStackSetCommand({ StackSetName: 'FromStack' }));
    expect(StackSet?.ManagedExecution).toEqual({ Active: true });
    const failed = await cfn.send(new ListStackInstancesCommand({ StackSetName: 'FromStack', StackInstanceAccount: blocked }));
    expect(failed.Summaries?.[0]).toMatchObject({ Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'FAILED' } });
    expect(failed.Summaries?.[0]?.StatusReason).toContain('Role with name FromStack already exists');
    const operations = await cfn.send(new ListStackSetOperationsCommand({ StackSetName: 'FromStack' }));
    expect(operations.Summaries?.[0]).toMatchObject({ Status: 'SUCCEEDED', StatusDetails: { FailedStackInstancesCount: 1 } });

    await cfn.send(new DeleteStackCommand({ StackName: 'orglink-members' }));
    expect(hasRole(world, members.inProd as string, 'FromStack')).toBe(false);
    // The blocked account's own role was never the stack set's: it stays.
    expect(hasRole(world, blocked, 'FromStack')).toBe(true);
    await expect(cfn.send(new DescribeStackSetCommand({ StackSetName: 'FromStack' }))).rejects.toMatchObject({ name: 'StackSetNotFoundException' });
  });

  it('fails an operation whose failures exceed the tolerance (none by default)', async () => {
    const blocked = addAccountToOrganization(world, { name: 'blocked-2', email: 'blocked2@example.test', joinedMethod: 'CREATED' }).id;
    putRole(world, blocked, { name: 'Strict', trustPolicy: { Version: '2012-10-17', Statement: [] } });
    await createSet('Strict', false);
    const { OperationId } = await cfn.send(
      new CreateStackInstancesCommand({ StackSetName: 'Strict', DeploymentTargets: { OrganizationalUnitIds: [org.rootId] }, Regions: ['us-east-1'] }),
    );
    const { StackSetOperation } = await cfn.send(new DescribeStackSetOperationCommand({ StackSetName: 'Strict', OperationId }));
    expect(StackSetOperation?.Status).toBe('FAILED');
    expect(StackSetOperation?.StatusReason).toMatch(/^1 of \d+ stack instance operation\(s\) failed; the failure tolerance is 0\.$/);
    const tolerant = await cfn.send(
      new CreateStackInstancesCommand({
        StackSetName: 'Strict',
        DeploymentTargets: { OrganizationalUnitIds: [org.rootId] },
        Regions: ['us-east-1'],
        OperationPreferences: { FailureToleranceCount: 1 },
      }),
    );
    // Every account already has an instance, so the second operation has nothing to do and succeeds.
    const second = await cfn.send(new DescribeStackSetOperationCommand({ StackSetName: 'Strict', OperationId: tolerant.OperationId }));
    expect(second.StackSetOperation).toMatchObject({ Status: 'SUCCEEDED', OperationPreferences: { FailureToleranceCount: 1 } });
  });
});

describe('StackSets in a saved and reloaded world', () => {
  it('keeps auto-deploying after persistence round-trips the world', () => {
    const world = createWorld({ seed: 8 });
    world.accounts.set(MANAGEMENT, { id: MANAGEMENT, name: 'management', email: 'm@example.test', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: world.now(), parentId: null });
    const org = createOrganization(world, MANAGEMENT);
    enableStackSetAutoDeployment(world);
    const stackSet = createStackSet(world, MANAGEMENT, 'us-east-1', {
      stackSetName: 'Saved',
      templateBody: MEMBER_TEMPLATE,
      parameters: [{ key: 'ExternalId', value: EXTERNAL_ID }, { key: 'RoleName', value: 'Saved' }],
      capabilities: ['CAPABILITY_NAMED_IAM'],
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true },
    });
    createStackInstances(world, stackSet, [org.rootId], ['us-east-1']);

    const { world: loaded } = deserializeWorld(JSON.parse(JSON.stringify(serializeWorld(world))));
    const joined = addAccountToOrganization(loaded, { name: 'after-load', email: 'l@example.test', joinedMethod: 'CREATED' });
    expect(hasRole(loaded, joined.id, 'Saved')).toBe(true);
    expect(Object.keys(cloudFormationState(loaded).stackSets)).toEqual([stackSet.stackSetId]);

    const copy = createWorld();
    deserializeCloudFormationState(copy, JSON.parse(JSON.stringify(serializeCloudFormationState(loaded))));
    expect(cloudFormationState(copy)).toEqual(cloudFormationState(loaded));
  });
});
