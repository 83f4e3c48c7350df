import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/start-sandbox.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

// An independent client (boto3/botocore) drives Identity Center end to end: users and
// groups, a permission set, an async account assignment polled to completion, paginators.
const SCRIPT = String.raw`
import json, sys
import boto3
from botocore.exceptions import ClientError

endpoint, region, account = sys.argv[1], sys.argv[2], sys.argv[3]
sso = boto3.client('sso-admin', endpoint_url=endpoint, region_name=region)
ids = boto3.client('identitystore', endpoint_url=endpoint, region_name=region)
out = {}
instance = sso.list_instances()['Instances'][0]
arn, store = instance['InstanceArn'], instance['IdentityStoreId']
for i in range(5):
    ids.create_user(IdentityStoreId=store, UserName='user%d' % i, DisplayName='User %d' % i, Name={'GivenName': 'U', 'FamilyName': str(i)})
users = []
for page in ids.get_paginator('list_users').paginate(IdentityStoreId=store, PaginationConfig={'PageSize': 2}):
    users += page['Users']
out['users'] = len(users)
group = ids.create_group(IdentityStoreId=store, DisplayName='Admins')['GroupId']
ids.create_group_membership(IdentityStoreId=store, GroupId=group, MemberId={'UserId': users[0]['UserId']})
try:
    ids.create_group(IdentityStoreId=store, DisplayName='Admins')
except ClientError as error:
    out['duplicate'] = error.response['Error']['Code']
ps = sso.create_permission_set(InstanceArn=arn, Name='Admin', SessionDuration='PT2H')['PermissionSet']['PermissionSetArn']
sso.attach_managed_policy_to_permission_set(InstanceArn=arn, PermissionSetArn=ps, ManagedPolicyArn='arn:aws:iam::aws:policy/AdministratorAccess')
status = sso.create_account_assignment(InstanceArn=arn, TargetId=account, TargetType='AWS_ACCOUNT', PermissionSetArn=ps,
                                       PrincipalType='GROUP', PrincipalId=group)['AccountAssignmentCreationStatus']
out['created'] = status['Status']
done = sso.describe_account_assignment_creation_status(InstanceArn=arn, AccountAssignmentCreationRequestId=status['RequestId'])
out['completed'] = done['AccountAssignmentCreationStatus']['Status']
assignments = []
for page in sso.get_paginator('list_account_assignments').paginate(InstanceArn=arn, AccountId=account, PermissionSetArn=ps):
    assignments += page['AccountAssignments']
out['assignments'] = [[a['PrincipalType'], a['PrincipalId'] == group] for a in assignments]
out['provisioned'] = sso.list_permission_sets_provisioned_to_account(InstanceArn=arn, AccountId=account)['PermissionSets'] == [ps]
print(json.dumps(out))
`;

describe('an independent client (boto3) against sandbox Identity Center', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    const probe = await run(PYTHON, ['-c', 'import boto3']).catch((error: Error) => error);
    if (probe instanceof Error) throw new Error('python3-boto3 is not installed: run scripts/ensure-python-clients.sh', { cause: probe });
    sandbox = await startSandbox({ seed: 13, accounts: 3, ous: 1, depth: 1 });
  });
  afterAll(async () => sandbox?.close());

  it('manages users, groups, permission sets and an async account assignment', async () => {
    const member = [...sandbox.world.accounts.values()].find((a) => a.parentId !== null && a.id !== sandbox.managementAccountId && a.state === 'ACTIVE');
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: sandbox.managementRoot.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.managementRoot.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const { stdout } = await run(PYTHON, ['-c', SCRIPT, sandbox.endpoint, sandbox.region, member?.id ?? ''], { env, timeout: 60_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`boto3 script failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      },
    );
    expect(JSON.parse(stdout.trim())).toEqual({
      users: 5,
      duplicate: 'ConflictException',
      created: 'IN_PROGRESS',
      completed: 'SUCCEEDED',
      assignments: [['GROUP', true]],
      provisioned: true,
    });
  });
});
