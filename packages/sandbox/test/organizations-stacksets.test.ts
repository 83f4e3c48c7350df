import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  OrganizationsClient,
  RemoveAccountFromOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../src/start-sandbox.js';
import type { RunningSandbox } from '../src/start-sandbox.js';

const TEMPLATE = `
Parameters:
  ExternalId: { Type: String }
Resources:
  MemberRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: StackSetMember
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { AWS: 'arn:aws:iam::111111111111:user/orglink-platform' }
            Action: sts:AssumeRole
            Condition: { StringEquals: { 'sts:ExternalId': !Ref ExternalId } }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
`;

describe('Organizations changes drive StackSets automatic deployment (startSandbox, all services)', () => {
  let sandbox: RunningSandbox;
  let org: OrganizationsClient;
  let cfn: CloudFormationClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 2, accounts: 4, ous: 1 });
    const config = { endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.managementRoot, maxAttempts: 1 };
    org = new OrganizationsClient(config);
    cfn = new CloudFormationClient(config);
  });
  afterAll(async () => {
    org.destroy();
    cfn.destroy();
    await sandbox.close();
  });

  const hasRole = (accountId: string) => sandbox.world.iam.get(accountId)?.roles.has('StackSetMember') ?? false;

  it('deploys to an account created through the API and removes the stack when it leaves', async () => {
    const rootId = sandbox.world.organization!.rootId;
    await cfn.send(
      new CreateStackSetCommand({
        StackSetName: 'Members',
        TemplateBody: TEMPLATE,
        Parameters: [{ ParameterKey: 'ExternalId', ParameterValue: sandbox.externalId }],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      }),
    );
    await cfn.send(new CreateStackInstancesCommand({ StackSetName: 'Members', DeploymentTargets: { OrganizationalUnitIds: [rootId] }, Regions: ['us-east-1'] }));

    const { CreateAccountStatus } = await org.send(new CreateAccountCommand({ Email: 'late@example.com', AccountName: 'late-joiner' }));
    const { CreateAccountStatus: done } = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
    const accountId = done!.AccountId!;
    expect(hasRole(accountId)).toBe(true);

    await org.send(new RemoveAccountFromOrganizationCommand({ AccountId: accountId }));
    expect(hasRole(accountId)).toBe(false);
  });
});
