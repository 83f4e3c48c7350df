import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/start-sandbox.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

// An independent client (boto3/botocore, not the JS SDK) deploys a stack and a
// service-managed StackSet, waits with boto3's own waiter and pages with its paginator.
const SCRIPT = String.raw`
import json, sys
import boto3
from botocore.exceptions import ClientError

endpoint, region = sys.argv[1], sys.argv[2]
cfn = boto3.client('cloudformation', endpoint_url=endpoint, region_name=region)
org = boto3.client('organizations', endpoint_url=endpoint, region_name=region)
template = """
Parameters:
  RoleName: { Type: String }
Conditions:
  Named: !Not [!Equals [!Ref RoleName, '']]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [Named, !Ref RoleName, !Ref 'AWS::NoValue']
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { AWS: !Ref 'AWS::AccountId' }
            Action: sts:AssumeRole
Outputs:
  Arn: { Value: !GetAtt Role.Arn }
"""
out = {}
cfn.create_stack(StackName='boto-stack', TemplateBody=template, Parameters=[{'ParameterKey': 'RoleName', 'ParameterValue': 'BotoRole'}], Capabilities=['CAPABILITY_NAMED_IAM'])
cfn.get_waiter('stack_create_complete').wait(StackName='boto-stack', WaiterConfig={'Delay': 1, 'MaxAttempts': 3})
stack = cfn.describe_stacks(StackName='boto-stack')['Stacks'][0]
out['stack'] = [stack['StackStatus'], stack['Outputs'][0]['OutputValue']]
try:
    cfn.describe_stacks(StackName='missing')
except ClientError as error:
    out['missing'] = error.response['Error']['Code']

root = org.list_roots()['Roots'][0]['Id']
cfn.create_stack_set(StackSetName='boto-set', TemplateBody=template, Parameters=[{'ParameterKey': 'RoleName', 'ParameterValue': 'BotoMember'}],
                     Capabilities=['CAPABILITY_NAMED_IAM'], PermissionModel='SERVICE_MANAGED',
                     AutoDeployment={'Enabled': True, 'RetainStacksOnAccountRemoval': False})
op = cfn.create_stack_instances(StackSetName='boto-set', DeploymentTargets={'OrganizationalUnitIds': [root]}, Regions=[region])['OperationId']
out['operation'] = cfn.describe_stack_set_operation(StackSetName='boto-set', OperationId=op)['StackSetOperation']['Status']
instances = []
for page in cfn.get_paginator('list_stack_instances').paginate(StackSetName='boto-set', PaginationConfig={'PageSize': 2}):
    instances += page['Summaries']
out['instances'] = len(instances)
out['statuses'] = sorted(set(i['Status'] for i in instances))
cfn.delete_stack_instances(StackSetName='boto-set', DeploymentTargets={'OrganizationalUnitIds': [root]}, Regions=[region], RetainStacks=False)
cfn.delete_stack_set(StackSetName='boto-set')
cfn.delete_stack(StackName='boto-stack')
cfn.get_waiter('stack_delete_complete').wait(StackName=stack['StackId'], WaiterConfig={'Delay': 1, 'MaxAttempts': 3})
print(json.dumps(out))
`;

describe('an independent client (boto3) against sandbox CloudFormation', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    const probe = await run(PYTHON, ['-c', 'import boto3']).catch((error: Error) => error);
    if (probe instanceof Error) throw new Error('python3-boto3 is not installed: run scripts/ensure-python-clients.sh', { cause: probe });
    sandbox = await startSandbox({ seed: 12, accounts: 5, ous: 2, depth: 1 });
  });
  afterAll(async () => sandbox?.close());

  it('deploys a stack and a service-managed StackSet, with waiters and paginators', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: sandbox.managementRoot.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.managementRoot.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const { stdout } = await run(PYTHON, ['-c', SCRIPT, sandbox.endpoint, sandbox.region], { env, timeout: 60_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`boto3 script failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      },
    );
    const out = JSON.parse(stdout.trim()) as Record<string, unknown>;
    const members = [...(sandbox.world.organization?.childAccounts.values() ?? [])].flat()
      .filter((id) => id !== sandbox.managementAccountId && sandbox.world.accounts.get(id)?.state === 'ACTIVE');
    expect(out).toEqual({
      stack: ['CREATE_COMPLETE', `arn:aws:iam::${sandbox.managementAccountId}:role/BotoRole`],
      missing: 'ValidationError',
      operation: 'SUCCEEDED',
      instances: members.length,
      statuses: ['CURRENT'],
    });
  });
});
