/**
 * A standalone connection's member-cloudformation template, downloaded from the API and deployed
 * into the sandbox (a wire-compatible AWS) with the real SDK: the role it creates is assumable by
 * the platform principal only with the connection's External ID, and grants exactly the
 * connection's custom managed policy and extra actions, nothing more.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreatePolicyCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { buildApp } from '../../src/api/app.js';
import type { ApiInstance } from '../../src/api/route-context.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, startHarness } from './api-harness.js';

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let sandbox: RunningSandbox;

function clientConfig(credentials: Keys) {
  return { endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 };
}

/** The error name a call fails with, or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'ok',
    (error: { name: string }) => error.name,
  );
}

async function assume(roleArn: string, externalId: string | undefined): Promise<Keys> {
  const sts = new STSClient(clientConfig(sandbox.platform));
  const result = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'connection-test', ...(externalId === undefined ? {} : { ExternalId: externalId }) }),
  );
  const c = result.Credentials;
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) throw new Error('no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken ?? '' };
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, accounts: 4, ous: 1 });
});

afterAll(async () => {
  await sandbox.close();
});

describe.each(testDatabases)('a standalone connection’s template deployed into the sandbox ($name)', (tdb) => {
  let h: Harness;
  let app: ApiInstance;
  let tenant: { id: string; ownerToken: string };

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
    // A second app on the same database whose platform principal is the sandbox's, so the role trusts the caller the sandbox knows.
    app = await buildApp({ store: h.store, config: { platformPrincipalArn: sandbox.platform.principalArn } });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('creates a role assumable only with the connection’s External ID, granting exactly its policy and actions', async () => {
    const iam = new IAMClient(clientConfig(sandbox.managementRoot));
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: `FlowIamRead-${tdb.name}`,
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }),
      }),
    );
    const policyArn = policy.Policy?.Arn ?? '';
    expect(policyArn).toBe(`arn:aws:iam::${sandbox.managementAccountId}:policy/FlowIamRead-${tdb.name}`);

    const roleName = `CloudFlow-${tdb.name}`;
    const created = await h.call('POST', `/v1/tenants/${tenant.id}/connections`, {
      token: tenant.ownerToken,
      body: {
        handle: 'flow',
        accountId: sandbox.managementAccountId,
        roleName,
        capabilities: [],
        customPolicyArns: [policyArn],
        extraActions: ['organizations:ListRoots'],
      },
    });
    expect(created.status).toBe(201);
    const externalId = created.body.externalId as string;

    const downloaded = await app.inject({
      method: 'GET',
      url: `/v1/tenants/${tenant.id}/connections/flow/templates/member-cloudformation`,
      headers: { authorization: `Bearer ${tenant.ownerToken}` },
    });
    expect(downloaded.statusCode).toBe(200);

    const cfn = new CloudFormationClient(clientConfig(sandbox.managementRoot));
    const stackName = `orglink-flow-${tdb.name}`;
    await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: downloaded.body, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    const roleArn = stack?.Outputs?.find((o) => o.OutputKey === 'RoleArn')?.OutputValue ?? '';
    expect(roleArn).toBe(`arn:aws:iam::${sandbox.managementAccountId}:role/${roleName}`);

    expect(await outcome(assume(roleArn, undefined))).toBe('AccessDenied');
    expect(await outcome(assume(roleArn, `${tenant.id}:WrongOne`))).toBe('AccessDenied');

    const session = await assume(roleArn, externalId);
    const organizations = new OrganizationsClient(clientConfig(session));
    expect(await outcome(organizations.send(new ListRootsCommand({})))).toBe('ok');
    expect(await outcome(new IAMClient(clientConfig(session)).send(new ListUsersCommand({})))).toBe('ok');
    // Not among the connection's actions, and no capability (such as read_only) was chosen.
    expect(await outcome(organizations.send(new ListAccountsCommand({})))).toBe('AccessDeniedException');
  });
});
