import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOVERY_ACTIONS, externalIdTrustPolicy } from '../../packages/sandbox/src/generator-identities.js';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { putRole } from '../../packages/sandbox/src/world-factory.js';
import { createAwsClientFactory, type AwsClientFactory } from '../../src/aws/aws-clients.js';
import { checkIntegrationConnection, type CheckStep } from '../../src/aws/integration-check.js';
import { startTestSandbox, worldTree } from './aws-test-harness.js';

let sandbox: RunningSandbox;
let factory: AwsClientFactory;

beforeAll(async () => {
  ({ sandbox } = await startTestSandbox({ accounts: 12, ous: 2, depth: 1, seed: 9 }));
  factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
  });
});

afterAll(async () => {
  await sandbox.close();
});

function integration(overrides: Partial<{ roleArn: string; externalId: string; roleName: string }> = {}) {
  return { handle: 'acme-org', roleArn: sandbox.discoveryRoleArn, roleName: sandbox.memberRoleName, externalId: sandbox.externalId, ...overrides };
}

const statuses = (steps: CheckStep[]): string[] => steps.map((s) => `${s.step}:${s.status}`);

/** The member accounts the check samples: the first three active non-management accounts by id. */
function sampledAccounts(): string[] {
  return worldTree(sandbox)
    .accounts.filter((a) => a.id !== sandbox.managementAccountId && a.state === 'ACTIVE')
    .map((a) => a.id)
    .sort()
    .slice(0, 3);
}

describe('checkIntegrationConnection', () => {
  it('passes every step on a well-deployed organization', async () => {
    const result = await checkIntegrationConnection({ factory, integration: integration() });
    expect(statuses(result.steps)).toEqual(['platform_principal:ok', 'discovery_role:ok', 'list_organization:ok', 'member_roles:ok']);
    expect(result.ok).toBe(true);
    expect(result.steps[0]?.detail).toContain(sandbox.platform.principalArn);
  });

  it('fails at the platform principal when orglink\'s own keys are bad', async () => {
    const bad = createAwsClientFactory({ region: sandbox.region, credentials: { accessKeyId: 'AKIAWRONGWRONGWRONG1', secretAccessKey: 'nope' } });
    const result = await checkIntegrationConnection({ factory: bad, integration: integration() });
    expect(statuses(result.steps)).toEqual(['platform_principal:failed', 'discovery_role:skipped', 'list_organization:skipped', 'member_roles:skipped']);
    expect(result.steps[0]?.code).toBe('InvalidClientTokenId');
  });

  it('fails at the discovery role with the wrong External ID, naming the management templates', async () => {
    const result = await checkIntegrationConnection({ factory, integration: integration({ externalId: 't_other000001:abcdefgh' }) });
    expect(statuses(result.steps)).toEqual(['platform_principal:ok', 'discovery_role:failed', 'list_organization:skipped', 'member_roles:skipped']);
    expect(result.steps[1]).toMatchObject({ code: 'AccessDenied', templates: ['cloudformation', 'terraform'] });
    expect(result.ok).toBe(false);
  });

  it('fails at listing when the discovery role sits in a member account', async () => {
    const memberId = sampledAccounts()[2] as string;
    const roleArn = putRole(sandbox.world, memberId, {
      name: 'OrglinkMisplaced',
      trustPolicy: externalIdTrustPolicy(sandbox.platform.principalArn, sandbox.externalId),
      inlinePolicies: { discovery: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...DISCOVERY_ACTIONS], Resource: '*' }] } },
    }).arn;
    const result = await checkIntegrationConnection({ factory, integration: integration({ roleArn }) });
    expect(statuses(result.steps)).toEqual(['platform_principal:ok', 'discovery_role:ok', 'list_organization:failed', 'member_roles:skipped']);
    expect(result.steps[2]).toMatchObject({ code: 'discovery_role_not_in_management_account', templates: ['cloudformation', 'terraform'] });
  });

  it('fails at member roles when a sampled account is blocked, naming the StackSet', async () => {
    const [first] = sampledAccounts();
    const roles = sandbox.world.iam.get(first as string)?.roles;
    const role = roles?.get(sandbox.memberRoleName);
    if (roles === undefined || role === undefined) throw new Error('member role missing');
    roles.delete(sandbox.memberRoleName);
    try {
      const result = await checkIntegrationConnection({ factory, integration: integration() });
      expect(statuses(result.steps)).toEqual(['platform_principal:ok', 'discovery_role:ok', 'list_organization:ok', 'member_roles:failed']);
      expect(result.steps[3]).toMatchObject({ code: 'AccessDenied', templates: ['stackset'] });
      expect(result.steps[3]?.detail).toContain(`${first} (blocked`);
    } finally {
      roles.set(sandbox.memberRoleName, role);
    }
  });

  it('warns when the discovery role opens without the External ID', async () => {
    const name = sandbox.discoveryRoleArn.split('/').pop() as string;
    const role = sandbox.world.iam.get(sandbox.managementAccountId)?.roles.get(name);
    if (role === undefined) throw new Error('discovery role missing');
    const trust = role.trustPolicy;
    role.trustPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: sandbox.platform.principalArn }, Action: 'sts:AssumeRole' }] };
    try {
      const result = await checkIntegrationConnection({ factory, integration: integration() });
      expect(statuses(result.steps)).toEqual(['platform_principal:ok', 'discovery_role:warning', 'list_organization:ok', 'member_roles:ok']);
      expect(result.steps[1]?.code).toBe('role_assumable_without_external_id');
      expect(result.ok).toBe(true);
    } finally {
      role.trustPolicy = trust;
    }
  });
});
