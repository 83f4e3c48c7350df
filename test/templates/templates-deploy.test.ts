/**
 * The rendered templates deployed into the sandbox (a wire-compatible AWS) with the real SDK:
 * CloudFormation creates the roles, and only the platform principal presenting the External ID
 * can assume them. Terraform cannot run offline, so its files are checked by parsing only.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { renderTemplate, type TemplateFormat, type TemplateInput } from '../../src/core/templates/render-template.js';

const EXTERNAL_ID = 't_k3j9x2m4q8w1:Xy7Pq2Lm';

let sandbox: RunningSandbox;

function clientConfig(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return { endpoint: sandbox.endpoint, region: sandbox.region, credentials, maxAttempts: 1 };
}

function templateInput(roleName: string, overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    handle: 'acme-aws',
    roleName,
    externalId: EXTERNAL_ID,
    platformPrincipalArn: sandbox.platform.principalArn,
    partition: 'aws',
    capabilities: ['discovery', 'read_only'],
    customPolicyArns: [],
    extraActions: [],
    ...overrides,
  };
}

async function deployStack(stackName: string, body: string, parameters: Record<string, string> = {}): Promise<Record<string, string>> {
  const cfn = new CloudFormationClient(clientConfig(sandbox.managementRoot));
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: body,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    }),
  );
  const described = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = described.Stacks?.[0];
  expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
  return Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

async function assume(roleArn: string, externalId: string | undefined): Promise<Credentials> {
  const sts = new STSClient(clientConfig(sandbox.platform));
  const result = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'template-test', ...(externalId === undefined ? {} : { ExternalId: externalId }) }),
  );
  if (result.Credentials === undefined) throw new Error('no credentials');
  return result.Credentials;
}

function organizationsAs(credentials: Credentials): OrganizationsClient {
  return new OrganizationsClient(
    clientConfig({
      accessKeyId: credentials.AccessKeyId ?? '',
      secretAccessKey: credentials.SecretAccessKey ?? '',
      sessionToken: credentials.SessionToken ?? '',
    }),
  );
}

async function assumeError(roleArn: string, externalId: string | undefined): Promise<string> {
  try {
    await assume(roleArn, externalId);
  } catch (error) {
    return (error as { name: string }).name;
  }
  return 'assumed';
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, accounts: 6, ous: 2 });
});

afterAll(async () => {
  await sandbox.close();
});

describe('discovery role templates deployed in the management account', () => {
  it.each([
    ['cloudformation', 'OrglinkYamlCheck'],
    ['cloudformation-json', 'OrglinkJsonCheck'],
  ] as [TemplateFormat, string][])('%s creates %s, assumable only with the External ID, able to list roots', async (format, roleName) => {
    const outputs = await deployStack(`orglink-${format}`, renderTemplate(format, templateInput(roleName)).body);
    const roleArn = outputs.RoleArn ?? '';
    expect(roleArn).toBe(`arn:aws:iam::${sandbox.managementAccountId}:role/${roleName}`);

    expect(await assumeError(roleArn, undefined)).toBe('AccessDenied');
    expect(await assumeError(roleArn, 't_k3j9x2m4q8w1:WrongOne')).toBe('AccessDenied');

    const credentials = await assume(roleArn, EXTERNAL_ID);
    const organizations = organizationsAs(credentials);
    const roots = await organizations.send(new ListRootsCommand({}));
    expect(roots.Roots?.map((r) => r.Id)).toEqual([sandbox.world.organization?.rootId]);
  });
});

describe('the stackset template deployed in the management account', () => {
  it('puts an assumable member role in every active member account under the root', async () => {
    const org = sandbox.world.organization;
    if (org === null) throw new Error('no organization');
    const roleName = 'OrglinkMemberCheck';
    const body = renderTemplate('stackset', templateInput(roleName)).body;
    await deployStack('orglink-member-roles', body, { OrganizationalUnitIds: org.rootId });

    const members = [...sandbox.world.accounts.values()].filter(
      (a) => a.id !== sandbox.managementAccountId && a.state === 'ACTIVE' && [...org.childAccounts.values()].some((ids) => ids.includes(a.id)),
    );
    expect(members.length).toBeGreaterThan(0);
    for (const account of members) {
      const roleArn = `arn:aws:iam::${account.id}:role/${roleName}`;
      expect(await assumeError(roleArn, undefined)).toBe('AccessDenied');
      const credentials = await assume(roleArn, EXTERNAL_ID);
      // The member role has no Organizations permissions: discovery goes through the management account only.
      const organizations = organizationsAs(credentials);
      const refused = await organizations.send(new ListRootsCommand({})).then(
        () => 'listed',
        (error: { name: string }) => error.name,
      );
      expect(refused).toBe('AccessDeniedException');
    }
  });
});
