import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { createAwsClientFactory } from '../../src/aws/aws-clients.js';
import { createCredentialCache, sessionNameFor } from '../../src/aws/credential-cache.js';
import { createMemberAccess, type MemberAccess } from '../../src/aws/member-access.js';
import { probeMemberAccounts } from '../../src/aws/member-prober.js';
import { createRateLimiter } from '../../src/aws/rate-limiter.js';
import { startTestSandbox, worldTree, type SandboxControl } from './aws-test-harness.js';

let sandbox: RunningSandbox;
let control: SandboxControl;
let access: MemberAccess;

beforeAll(async () => {
  ({ sandbox, control } = await startTestSandbox({ accounts: 40, ous: 5, depth: 2, blocked: 0.2, seed: 21 }));
  const factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
  });
  const limiter = createRateLimiter({ rate: 1000, baseDelayMs: 1, maxDelayMs: 10 });
  access = createMemberAccess({
    partition: 'aws',
    roleName: sandbox.memberRoleName,
    externalId: sandbox.externalId,
    sessionName: sessionNameFor('acme-org'),
    cache: createCredentialCache({ sts: factory.sts({ limiter }) }),
  });
});

afterAll(async () => {
  await sandbox.close();
});

function memberAccounts(): Array<{ id: string; state: string }> {
  return worldTree(sandbox).accounts.map((a) => ({ id: a.id, state: a.state }));
}

describe('probeMemberAccounts', () => {
  it('classifies every account: blocked ones (missing role or other External ID) never fail the run', async () => {
    const blocked = new Map(sandbox.generated.blockedAccounts.map((b) => [b.accountId, b.kind]));
    expect(new Set(blocked.values())).toEqual(new Set(['missing-role', 'wrong-external-id']));
    const accounts = memberAccounts();
    const result = await probeMemberAccounts({ access, accounts, concurrency: 6 });
    expect(result.accounts.map((a) => a.accountId)).toEqual(accounts.map((a) => a.id));
    for (const probe of result.accounts) {
      const state = accounts.find((a) => a.id === probe.accountId)?.state;
      if (state !== 'ACTIVE') expect(probe.health).toBe('unknown');
      else if (blocked.has(probe.accountId)) {
        expect(probe).toMatchObject({ health: 'blocked', code: 'AccessDenied' });
        expect(probe.reason).toContain('expects another External ID');
        expect(probe.reason).toContain('stackset');
      } else expect(probe).toMatchObject({ health: 'ok', code: null, reason: null });
    }
    expect(result.counts.blocked).toBe([...blocked.keys()].filter((id) => accounts.find((a) => a.id === id)?.state === 'ACTIVE').length);
    expect(result.counts.ok).toBeGreaterThan(0);
    expect(result.warnings).toEqual([]);
    expect(result.exposure.sampled).toHaveLength(3);
  });

  it('classifies anything but a refusal as error', async () => {
    await control.realism({ faults: { errorRate: 1 } });
    try {
      const [first] = memberAccounts().filter((a) => a.state === 'ACTIVE' && !sandbox.generated.blockedAccounts.some((b) => b.accountId === a.id));
      if (first === undefined) throw new Error('no healthy account');
      const result = await probeMemberAccounts({ access, accounts: [first], exposureSampleSize: 0 });
      expect(result.accounts[0]).toMatchObject({ health: 'error' });
      expect(['InternalFailure', 'ServiceUnavailable']).toContain(result.accounts[0]?.code);
    } finally {
      await control.realism({ faults: { errorRate: 0 } });
    }
  });

  it('warns when a member role can be assumed without the External ID (confused deputy)', async () => {
    const healthy = memberAccounts()
      .filter((a) => a.state === 'ACTIVE' && !sandbox.generated.blockedAccounts.some((b) => b.accountId === a.id))
      .map((a) => a.id)
      .sort();
    const exposedId = healthy[1] as string;
    const role = sandbox.world.iam.get(exposedId)?.roles.get(sandbox.memberRoleName);
    if (role === undefined) throw new Error('role not found');
    role.trustPolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: sandbox.platform.principalArn }, Action: 'sts:AssumeRole' }],
    };
    const result = await probeMemberAccounts({ access, accounts: healthy.slice(0, 4).map((id) => ({ id, state: 'ACTIVE' })), exposureSampleSize: 4 });
    expect(result.counts.ok).toBe(4);
    expect(result.exposure).toEqual({ sampled: healthy.slice(0, 4), exposed: [exposedId] });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'role_assumable_without_external_id', accountIds: [exposedId] })]);
  });
});
