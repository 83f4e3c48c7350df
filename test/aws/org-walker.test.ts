import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { registerDelegatedAdministrator } from '../../packages/sandbox/src/organization-state.js';
import { putRole } from '../../packages/sandbox/src/world-factory.js';
import { setPagingOptions } from '../../packages/sandbox/src/paging.js';
import { externalIdTrustPolicy, DISCOVERY_ACTIONS } from '../../packages/sandbox/src/generator-identities.js';
import { sortDiscoveredTree } from '../../src/core/mirror/discovered-tree.js';
import { createAwsClientFactory, type AwsClientFactory } from '../../src/aws/aws-clients.js';
import { createCredentialCache, sessionNameFor } from '../../src/aws/credential-cache.js';
import { walkOrganization } from '../../src/aws/org-walker.js';
import { createRateLimiter } from '../../src/aws/rate-limiter.js';
import { minimumWalkCost } from '../../src/aws/walk-cost.js';
import { organizationsCalls, startTestSandbox, worldTree, type SandboxControl } from './aws-test-harness.js';

let sandbox: RunningSandbox;
let control: SandboxControl;
let factory: AwsClientFactory;

beforeAll(async () => {
  ({ sandbox, control } = await startTestSandbox({ accounts: 300, ous: 40, depth: 4, seed: 7 }));
  factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
  });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await control.realism({ throttling: { enabled: false }, faults: { errorRate: 0 }, storm: null });
  await control.resetCounters();
});

/** Clients signed by the discovery role, sharing one limiter. */
function discoveryClients(options: { rate?: number; roleArn?: string } = {}) {
  const limiter = createRateLimiter({ rate: options.rate ?? 2000, baseDelayMs: 5, maxDelayMs: 50, maxThrottleRetries: 200 });
  const cache = createCredentialCache({ sts: factory.sts({ limiter }) });
  const credentials = cache.provider({
    roleArn: options.roleArn ?? sandbox.discoveryRoleArn,
    externalId: sandbox.externalId,
    sessionName: sessionNameFor('acme-org'),
  });
  return { limiter, organizations: factory.organizations({ credentials, limiter }), sts: factory.sts({ credentials, limiter }) };
}

describe('walkOrganization', () => {
  it('finds exactly the organization the sandbox holds, with the minimum number of calls', async () => {
    const truth = worldTree(sandbox);
    expect(truth.accounts).toHaveLength(300);
    expect(truth.ous).toHaveLength(40);
    const tree = sortDiscoveredTree(await walkOrganization({ ...discoveryClients(), concurrency: 8 }));
    expect(tree.complete).toBe(true);
    expect(tree.failures).toEqual([]);
    expect({ ...tree, complete: undefined, failures: undefined }).toEqual({ ...truth, complete: undefined, failures: undefined });

    const calls = organizationsCalls(await control.counters());
    const minimum = minimumWalkCost(truth);
    expect(calls).toEqual({
      DescribeOrganization: minimum.DescribeOrganization,
      ListRoots: minimum.ListRoots,
      ListOrganizationalUnitsForParent: minimum.ListOrganizationalUnitsForParent,
      ListAccountsForParent: minimum.ListAccountsForParent,
    });
    expect(calls.ListParents).toBeUndefined();
    expect(calls.DescribeAccount).toBeUndefined();
    console.info(`walk of 300 accounts / 40 OUs: ${minimum.total} Organizations calls (minimum ${minimum.total})`);
  });

  it('survives a throttling storm and AWS-like throttling: slower, still complete and right', async () => {
    await control.realism({ throttling: { enabled: true, buckets: { organizations: { rate: 200, burst: 20 } } }, storm: { families: ['organizations'], calls: 60 } });
    const clients = discoveryClients({ rate: 400 });
    const tree = sortDiscoveredTree(await walkOrganization({ ...clients, concurrency: 16 }));
    expect(tree.complete).toBe(true);
    expect({ ...tree, complete: undefined, failures: undefined }).toEqual({ ...worldTree(sandbox), complete: undefined, failures: undefined });
    const totals = (await control.counters()).totals;
    expect(totals.throttled).toBeGreaterThanOrEqual(60);
    expect(clients.limiter.stats().lowestRate).toBeLessThan(400);
  });

  it('with 5 % random errors ends complete or explicitly incomplete, never wrong', async () => {
    await control.realism({ faults: { errorRate: 0.05 }, seed: 11 });
    for (const maxTransientRetries of [3, 0]) {
      const limiter = createRateLimiter({ rate: 2000, baseDelayMs: 1, maxDelayMs: 5, maxTransientRetries });
      const cache = createCredentialCache({ sts: factory.sts({ limiter }) });
      const credentials = cache.provider({ roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId, sessionName: 'orglink-test' });
      const tree = sortDiscoveredTree(
        await walkOrganization({ organizations: factory.organizations({ credentials, limiter }), sts: factory.sts({ credentials, limiter }) }),
      );
      const truth = worldTree(sandbox);
      // Whatever was found is true: every OU and account has the right parent, name and state.
      const ous = new Map(truth.ous.map((o) => [o.id, o]));
      const accounts = new Map(truth.accounts.map((a) => [a.id, a]));
      for (const ou of tree.ous) expect(ou).toEqual(ous.get(ou.id));
      for (const account of tree.accounts) expect(account).toEqual(accounts.get(account.id));
      if (tree.complete) {
        expect(tree.accounts).toHaveLength(truth.accounts.length);
        expect(tree.ous).toHaveLength(truth.ous.length);
      } else {
        expect(tree.failures.length).toBeGreaterThan(0);
        expect(tree.failures.every((f) => ['InternalFailure', 'ServiceUnavailable'].includes(f.code))).toBe(true);
      }
      // With retries the walk completes; without, some listing fails and the tree says so.
      expect(tree.complete).toBe(maxTransientRetries > 0);
    }
  });

  it('copes with empty pages that carry a NextToken (one extra call per empty page, nothing lost)', async () => {
    setPagingOptions(sandbox.world, { emptyPageRate: 0.3, seed: 4 });
    try {
      const tree = sortDiscoveredTree(await walkOrganization(discoveryClients()));
      expect(tree.complete).toBe(true);
      expect({ ...tree, complete: undefined, failures: undefined }).toEqual({ ...worldTree(sandbox), complete: undefined, failures: undefined });
      const calls = organizationsCalls(await control.counters());
      expect(calls.ListAccountsForParent).toBeGreaterThan(minimumWalkCost(worldTree(sandbox)).ListAccountsForParent);
    } finally {
      setPagingOptions(sandbox.world, { emptyPageRate: 0 });
    }
  });

  it('ends incomplete, never wrong, when the discovery role loses its permissions mid-run', async () => {
    const name = sandbox.discoveryRoleArn.split('/').pop() as string;
    const role = sandbox.world.iam.get(sandbox.managementAccountId)?.roles.get(name);
    if (role === undefined) throw new Error('discovery role missing');
    const saved = new Map(role.inlinePolicies);
    const savedAttached = [...role.attachedPolicyArns];
    let removed = false;
    try {
      const tree = await walkOrganization({
        ...discoveryClients(),
        concurrency: 2,
        onProgress: (p) => {
          if (!removed && p.listingsDone >= 10) {
            removed = true;
            role.inlinePolicies.clear();
            role.attachedPolicyArns.length = 0;
          }
        },
      });
      expect(removed).toBe(true);
      expect(tree.complete).toBe(false);
      expect(tree.failures.length).toBeGreaterThan(0);
      expect(tree.failures.every((f) => f.denied && f.code === 'AccessDeniedException')).toBe(true);
      const truth = worldTree(sandbox);
      const accounts = new Map(truth.accounts.map((a) => [a.id, a]));
      for (const account of tree.accounts) expect(account).toEqual(accounts.get(account.id));
      expect(tree.accounts.length).toBeLessThan(truth.accounts.length);
    } finally {
      for (const [k, v] of saved) role.inlinePolicies.set(k, v);
      role.attachedPolicyArns.push(...savedAttached);
    }
  });

  it('refuses a discovery role in a plain member account, naming the requirement', async () => {
    const member = worldTree(sandbox).accounts.find((a) => a.id !== sandbox.managementAccountId && a.state === 'ACTIVE');
    if (member === undefined) throw new Error('no member account');
    const roleArn = putRole(sandbox.world, member.id, {
      name: 'OrglinkDiscoveryElsewhere',
      trustPolicy: externalIdTrustPolicy(sandbox.platform.principalArn, sandbox.externalId),
      inlinePolicies: { discovery: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...DISCOVERY_ACTIONS], Resource: '*' }] } },
    }).arn;
    await expect(walkOrganization(discoveryClients({ roleArn }))).rejects.toMatchObject({
      code: 'discovery_role_not_in_management_account',
      kind: 'upstream',
    });

    registerDelegatedAdministrator(sandbox.world, member.id, 'config.amazonaws.com');
    const tree = await walkOrganization(discoveryClients({ roleArn }));
    expect(tree.complete).toBe(true);
    expect(tree.accounts).toHaveLength(300);
  });
});
