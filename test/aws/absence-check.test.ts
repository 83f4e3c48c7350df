import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveAccount, removeAccountFromOrganization } from '../../packages/sandbox/src/organization-state.js';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { applyAbsenceRecheck } from '../../src/core/mirror/discovered-tree.js';
import { recheckAbsentAccounts } from '../../src/aws/absence-check.js';
import { createAwsClientFactory } from '../../src/aws/aws-clients.js';
import { createCredentialCache } from '../../src/aws/credential-cache.js';
import { walkOrganization } from '../../src/aws/org-walker.js';
import { createRateLimiter } from '../../src/aws/rate-limiter.js';
import { organizationsCalls, startTestSandbox, worldTree, type SandboxControl } from './aws-test-harness.js';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';

let sandbox: RunningSandbox;
let control: SandboxControl;
let organizations: OrganizationsClient;
let sts: STSClient;

beforeAll(async () => {
  ({ sandbox, control } = await startTestSandbox({ accounts: 30, ous: 4, depth: 2, seed: 13 }));
  const factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
  });
  const limiter = createRateLimiter({ rate: 1000, baseDelayMs: 1, maxDelayMs: 5, maxTransientRetries: 0 });
  const cache = createCredentialCache({ sts: factory.sts({ limiter }) });
  const credentials = cache.provider({ roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId, sessionName: 'orglink-test' });
  organizations = factory.organizations({ credentials, limiter });
  sts = factory.sts({ credentials, limiter });
});

afterAll(async () => {
  await sandbox.close();
});

describe('recheckAbsentAccounts', () => {
  it('finds an account the walk missed (moved between listings) and confirms a removed one, with two calls per account', async () => {
    const tree = await walkOrganization({ organizations, sts });
    const members = worldTree(sandbox).accounts.filter((a) => a.id !== sandbox.managementAccountId);
    const [movedAccount, removedAccount] = members;
    if (movedAccount === undefined || removedAccount === undefined) throw new Error('need two members');
    const target = worldTree(sandbox).ous.find((o) => o.id !== movedAccount.parentId)?.id as string;
    // As if the move happened while the walk ran: the walk saw the account in neither parent.
    moveAccount(sandbox.world, movedAccount.id, movedAccount.parentId, target);
    removeAccountFromOrganization(sandbox.world, removedAccount.id);
    const missed = { ...tree, accounts: tree.accounts.filter((a) => a.id !== movedAccount.id && a.id !== removedAccount.id) };

    await control.resetCounters();
    const recheck = await recheckAbsentAccounts({ organizations, accountIds: [movedAccount.id, removedAccount.id] });
    expect(recheck.gone).toEqual([removedAccount.id]);
    expect(recheck.present).toEqual([expect.objectContaining({ id: movedAccount.id, parentId: target, state: 'ACTIVE' })]);
    expect(organizationsCalls(await control.counters())).toEqual({ DescribeAccount: 2, ListParents: 1 });

    const fixed = applyAbsenceRecheck(missed, recheck);
    expect(fixed.complete).toBe(true);
    expect(fixed.accounts.find((a) => a.id === movedAccount.id)?.parentId).toBe(target);
  });

  it('leaves the tree incomplete when the recheck itself fails, or too many accounts are missing', async () => {
    const tree = await walkOrganization({ organizations, sts });
    const someId = tree.accounts[0]?.id as string;
    await control.realism({ faults: { errorRate: 1 } });
    try {
      const recheck = await recheckAbsentAccounts({ organizations, accountIds: [someId] });
      expect(recheck.unknown).toHaveLength(1);
      expect(applyAbsenceRecheck(tree, recheck).complete).toBe(false);
    } finally {
      await control.realism({ faults: { errorRate: 0 } });
    }
    await control.resetCounters();
    const many = await recheckAbsentAccounts({ organizations, accountIds: tree.accounts.map((a) => a.id), maxAccounts: 5 });
    expect(many.unknown).toEqual([expect.objectContaining({ code: 'too_many_missing_accounts' })]);
    expect((await control.counters()).totals.calls).toBe(0);
  });
});
