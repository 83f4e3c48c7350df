import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudFormationService } from '../src/services/cloudformation.js';
import { createIamUser } from '../src/services/iam-entities.js';
import { stsService } from '../src/services/sts.js';
import { createWorld, iamAccount, issueLongTermKey, putRole, rootPrincipal } from '../src/world-factory.js';
import type { Credential, World } from '../src/world.js';
import { fromStsCredentials, startSandbox, type StartedSandbox } from './support/sandbox-server.js';

const PLATFORM = '111111111111';
const CUSTOMER = '222222222222';
const EXTERNAL_ID = 'o_k3j9x2m4q8w1:Ab3dE6gH';

// Shaped like orglink's generated management-role template: parameters, conditions,
// short-form tags, inline and managed policies, outputs.
const ROLE_TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Description: orglink discovery role
Parameters:
  PlatformAccountId:
    Type: String
    AllowedPattern: '\\d{12}'
  ExternalId:
    Type: String
    NoEcho: true
  RoleName:
    Type: String
    Default: OrgLinkDiscovery
  ExtraPolicyArn:
    Type: String
    Default: ''
Conditions:
  HasExtraPolicy: !Not [!Equals [!Ref ExtraPolicyArn, '']]
  NeverTrue: !And [!Condition HasExtraPolicy, !Equals ['a', 'b']]
Resources:
  DiscoveryRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Ref RoleName
      Path: /orglink/
      Description: !Sub 'Lets \${PlatformAccountId} discover \${AWS::AccountId}'
      MaxSessionDuration: 7200
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub 'arn:\${AWS::Partition}:iam::\${PlatformAccountId}:root'
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                sts:ExternalId: !Ref ExternalId
      Policies:
        - PolicyName: discovery
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: ['organizations:List*', 'organizations:Describe*']
                Resource: '*'
      ManagedPolicyArns:
        - !Sub 'arn:\${AWS::Partition}:iam::aws:policy/ReadOnlyAccess'
        - !If [HasExtraPolicy, !Ref ExtraPolicyArn, !Ref AWS::NoValue]
  ExtraManaged:
    Type: AWS::IAM::ManagedPolicy
    Condition: HasExtraPolicy
    Properties:
      Roles: [!Ref DiscoveryRole]
      PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}'
  Unused:
    Type: AWS::S3::Bucket
    Condition: NeverTrue
Outputs:
  RoleArn:
    Value: !GetAtt DiscoveryRole.Arn
  RoleId:
    Value: !GetAtt [DiscoveryRole, RoleId]
  Joined:
    Value: !Join [':', [!Ref 'AWS::Region', !Select [1, !Split [',', 'a,b,c']]]]
  Extra:
    Condition: HasExtraPolicy
    Value: !Ref ExtraManaged
`;

const JSON_TEMPLATE = JSON.stringify({
  Resources: {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:aws:iam::${Platform}:root' } }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    Inline: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'inline',
        Roles: [{ Ref: 'Role' }],
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] },
      },
    },
    Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.organizations'] }, Targets: [] } },
    Connection: { Type: 'AWS::Events::Connection', Properties: { AuthorizationType: 'API_KEY' } },
    Destination: {
      Type: 'AWS::Events::ApiDestination',
      Properties: { ConnectionArn: { 'Fn::GetAtt': ['Connection', 'Arn'] }, InvocationEndpoint: 'https://example.test/hook', HttpMethod: 'POST' },
    },
  },
  Parameters: { Platform: { Type: 'String', Default: PLATFORM } },
  Outputs: { RoleName: { Value: { Ref: 'Role' } }, DestinationArn: { Value: { 'Fn::GetAtt': ['Destination', 'Arn'] } } },
});

describe('CloudFormation stacks over HTTP with the real SDK', () => {
  let world: World;
  let sandbox: StartedSandbox;
  let customerRoot: Credential;
  let platform: Credential;
  let cfn: CloudFormationClient;

  beforeAll(async () => {
    world = createWorld({ seed: 11 });
    iamAccount(world, CUSTOMER);
    const user = createIamUser(world, PLATFORM, { name: 'platform' });
    user.inlinePolicies.set('assume', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    platform = issueLongTermKey(world, { kind: 'user', accountId: PLATFORM, arn: user.arn, userName: user.name });
    customerRoot = issueLongTermKey(world, rootPrincipal(world, CUSTOMER));
    sandbox = await startSandbox({ world, services: [cloudFormationService, stsService] });
    cfn = new CloudFormationClient(sandbox.clientConfig(customerRoot));
  });
  afterAll(async () => {
    cfn.destroy();
    await sandbox.close();
  });

  const params = (overrides: Record<string, string> = {}) =>
    Object.entries({ PlatformAccountId: PLATFORM, ExternalId: EXTERNAL_ID, ...overrides }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

  it('refuses a named IAM role without CAPABILITY_NAMED_IAM', async () => {
    await expect(cfn.send(new CreateStackCommand({ StackName: 'no-caps', TemplateBody: ROLE_TEMPLATE, Parameters: params() }))).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
    });
  });

  it('refuses missing parameters and parameters the template does not declare', async () => {
    await expect(
      cfn.send(new CreateStackCommand({ StackName: 'missing', TemplateBody: ROLE_TEMPLATE, Capabilities: ['CAPABILITY_NAMED_IAM'] })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('must have values') });
    await expect(
      cfn.send(new CreateStackCommand({ StackName: 'extra', TemplateBody: ROLE_TEMPLATE, Parameters: params({ Nope: 'x' }), Capabilities: ['CAPABILITY_NAMED_IAM'] })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Parameters: [Nope] do not exist in the template' });
    await expect(
      cfn.send(new CreateStackCommand({ StackName: 'pattern', TemplateBody: ROLE_TEMPLATE, Parameters: params({ PlatformAccountId: 'abc' }), Capabilities: ['CAPABILITY_NAMED_IAM'] })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining('must match pattern') });
  });

  it('creates the role in the caller account; the platform assumes it only with the right External ID', async () => {
    const created = await cfn.send(
      new CreateStackCommand({ StackName: 'orglink-discovery', TemplateBody: ROLE_TEMPLATE, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    expect(created.StackId).toMatch(/^arn:aws:cloudformation:us-east-1:222222222222:stack\/orglink-discovery\//);
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'orglink-discovery' }));
    const stack = Stacks?.[0];
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack?.Description).toBe('orglink discovery role');
    expect(stack?.Parameters).toContainEqual({ ParameterKey: 'ExternalId', ParameterValue: '****' });
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs).toMatchObject({ RoleArn: 'arn:aws:iam::222222222222:role/orglink/OrgLinkDiscovery', Joined: 'us-east-1:b' });
    expect(outputs.RoleId).toMatch(/^AROA/);
    expect(outputs.Extra).toBeUndefined();

    const role = iamAccount(world, CUSTOMER).roles.get('OrgLinkDiscovery');
    expect(role?.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(role?.maxSessionDuration).toBe(7200);
    expect(role?.description).toBe(`Lets ${PLATFORM} discover ${CUSTOMER}`);
    expect([...(role?.inlinePolicies.keys() ?? [])]).toEqual(['discovery']);

    const sts = new STSClient(sandbox.clientConfig(platform));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: outputs.RoleArn, RoleSessionName: 'orglink', ExternalId: EXTERNAL_ID }));
    const asRole = new STSClient(sandbox.clientConfig(fromStsCredentials(assumed.Credentials)));
    const identity = await asRole.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:sts::222222222222:assumed-role/OrgLinkDiscovery/orglink');
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: outputs.RoleArn, RoleSessionName: 'orglink', ExternalId: 'wrong' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    sts.destroy();
    asRole.destroy();
  });

  it('evaluates the optional parts a condition turns on', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'with-extra',
        TemplateBody: ROLE_TEMPLATE,
        Parameters: params({ RoleName: 'WithExtra', ExtraPolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'with-extra' }));
    expect(Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    const extra = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'Extra')?.OutputValue;
    expect(extra).toMatch(/^arn:aws:iam::222222222222:policy\/with-extra-ExtraManaged-/);
    const role = iamAccount(world, CUSTOMER).roles.get('WithExtra');
    expect(role?.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit', extra]);
    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'with-extra' }));
    expect(resources.StackResources?.map((r) => [r.LogicalResourceId, r.ResourceStatus])).toEqual([
      ['DiscoveryRole', 'CREATE_COMPLETE'],
      ['ExtraManaged', 'CREATE_COMPLETE'],
    ]);
    await cfn.send(new DeleteStackCommand({ StackName: 'with-extra' }));
    expect(iamAccount(world, CUSTOMER).roles.has('WithExtra')).toBe(false);
    expect(iamAccount(world, CUSTOMER).policies.has(extra as string)).toBe(false);
  });

  it('rolls back with the reason when the role already exists', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'duplicate', TemplateBody: ROLE_TEMPLATE, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'duplicate' }));
    expect(Stacks?.[0]?.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(Stacks?.[0]?.StackStatusReason).toBe('The following resource(s) failed to create: [DiscoveryRole]. Rollback requested by user.');
    const events = await cfn.send(new DescribeStackEventsCommand({ StackName: 'duplicate' }));
    const failed = events.StackEvents?.find((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed?.ResourceStatusReason).toContain('Role with name OrgLinkDiscovery already exists');
    // The first stack's role is untouched by the rollback.
    expect(iamAccount(world, CUSTOMER).roles.has('OrgLinkDiscovery')).toBe(true);
    await cfn.send(new DeleteStackCommand({ StackName: 'duplicate' }));
    expect(iamAccount(world, CUSTOMER).roles.has('OrgLinkDiscovery')).toBe(true);
  });

  it('deploys JSON templates with inline policies and no-op EventBridge resources', async () => {
    await expect(cfn.send(new CreateStackCommand({ StackName: 'json', TemplateBody: JSON_TEMPLATE }))).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: 'Requires capabilities : [CAPABILITY_IAM]',
    });
    await cfn.send(new CreateStackCommand({ StackName: 'json', TemplateBody: JSON_TEMPLATE, Capabilities: ['CAPABILITY_IAM'] }));
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'json' }));
    expect(Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.RoleName).toMatch(/^json-Role-[A-Z0-9]{13}$/);
    expect(outputs.DestinationArn).toMatch(/^arn:aws:events:us-east-1:222222222222:api-destination\//);
    expect(iamAccount(world, CUSTOMER).roles.get(outputs.RoleName as string)?.inlinePolicies.has('inline')).toBe(true);
  });

  it('fails a stack whose resource type the sandbox does not model, with a clear reason', async () => {
    const template = 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n';
    await cfn.send(new CreateStackCommand({ StackName: 'bucket', TemplateBody: template }));
    const events = await cfn.send(new DescribeStackEventsCommand({ StackName: 'bucket' }));
    expect(events.StackEvents?.find((e) => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toContain(
      'Resource type AWS::S3::Bucket is not supported by the sandbox',
    );
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'bucket' }));
    expect(Stacks?.[0]?.StackStatus).toBe('ROLLBACK_COMPLETE');
  });

  it('reports template format errors synchronously', async () => {
    await expect(cfn.send(new CreateStackCommand({ StackName: 'bad', TemplateBody: 'Resources: [' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('Template format error'),
    });
    await expect(cfn.send(new ValidateTemplateCommand({ TemplateBody: 'Resources:\n  A:\n    Type: AWS::IAM::Role\n    DependsOn: Missing\n' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('Unresolved resource dependencies [Missing]'),
    });
    const valid = await cfn.send(new ValidateTemplateCommand({ TemplateBody: ROLE_TEMPLATE }));
    expect(valid.Parameters?.map((p) => p.ParameterKey)).toEqual(['PlatformAccountId', 'ExternalId', 'RoleName', 'ExtraPolicyArn']);
  });

  it('authorizes assumed-role callers against the stack ARN', async () => {
    putRole(world, CUSTOMER, {
      name: 'StackReader',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PLATFORM}:root` }, Action: 'sts:AssumeRole' }] },
      inlinePolicies: {
        read: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: 'arn:aws:cloudformation:*:*:stack/json/*' }] },
      },
    });
    const sts = new STSClient(sandbox.clientConfig(platform));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CUSTOMER}:role/StackReader`, RoleSessionName: 'reader' }));
    const reader = new CloudFormationClient(sandbox.clientConfig(fromStsCredentials(assumed.Credentials)));
    const { Stacks } = await reader.send(new DescribeStacksCommand({ StackName: 'json' }));
    expect(Stacks?.[0]?.StackName).toBe('json');
    await expect(reader.send(new DescribeStacksCommand({ StackName: 'bucket' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(reader.send(new DeleteStackCommand({ StackName: 'json' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    reader.destroy();
    sts.destroy();
  });

  it('deletes a stack and its role; the deleted stack stays visible by id and in ListStacks', async () => {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'orglink-discovery' }));
    const stackId = Stacks?.[0]?.StackId as string;
    await cfn.send(new DeleteStackCommand({ StackName: 'orglink-discovery' }));
    expect(iamAccount(world, CUSTOMER).roles.has('OrgLinkDiscovery')).toBe(false);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'orglink-discovery' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id orglink-discovery does not exist',
    });
    const byId = await cfn.send(new DescribeStacksCommand({ StackName: stackId }));
    expect(byId.Stacks?.[0]?.StackStatus).toBe('DELETE_COMPLETE');
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    expect(listed.StackSummaries?.map((s) => s.StackName)).toContain('orglink-discovery');
    // Deleting what is not there succeeds, as in AWS.
    await cfn.send(new DeleteStackCommand({ StackName: 'never-existed' }));
    const live = await cfn.send(new DescribeStacksCommand({}));
    expect(live.Stacks?.map((s) => s.StackName).sort()).toEqual(['bucket', 'json']);
  });
});
