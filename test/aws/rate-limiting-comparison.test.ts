/**
 * Measures orglink's limiter against the SDK's own retry modes on the same walk, under the
 * sandbox's token-bucket throttling for Organizations. Asserts only outcomes (complete,
 * correct); the timings and call counts are printed for docs/discovery.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { sortDiscoveredTree, type DiscoveredTree } from '../../src/core/mirror/discovered-tree.js';
import { createAwsClientFactory } from '../../src/aws/aws-clients.js';
import { createCredentialCache } from '../../src/aws/credential-cache.js';
import { walkOrganization } from '../../src/aws/org-walker.js';
import { createRateLimiter } from '../../src/aws/rate-limiter.js';
import { minimumWalkCost } from '../../src/aws/walk-cost.js';
import { startTestSandbox, worldTree, type SandboxControl } from './aws-test-harness.js';

let sandbox: RunningSandbox;
let control: SandboxControl;
const SANDBOX_RATE = 40;

beforeAll(async () => {
  ({ sandbox, control } = await startTestSandbox({ accounts: 300, ous: 40, depth: 4, seed: 7 }));
  await control.realism({ throttling: { enabled: true, buckets: { organizations: { rate: SANDBOX_RATE, burst: 10 }, sts: { rate: 1000, burst: 1000 } } } });
});

afterAll(async () => {
  await sandbox.close();
});

type Strategy = { name: string; limiterRate?: number; retryMode?: 'standard' | 'adaptive'; maxAttempts?: number };

async function measure(strategy: Strategy, stormSeconds = 0): Promise<{ tree: DiscoveredTree | null; error: string | null; ms: number; calls: number; throttled: number }> {
  const limiter = strategy.limiterRate === undefined ? undefined : createRateLimiter({ rate: strategy.limiterRate, burst: 10 });
  const factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
    ...(strategy.retryMode === undefined ? {} : { retryMode: strategy.retryMode }),
    ...(strategy.maxAttempts === undefined ? {} : { maxAttempts: strategy.maxAttempts }),
  });
  const options = limiter === undefined ? {} : { limiter };
  const cache = createCredentialCache({ sts: factory.sts() });
  const credentials = cache.provider({ roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId, sessionName: 'orglink-measure' });
  await cache.get({ roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId, sessionName: 'orglink-measure' });
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the sandbox bucket refill between strategies
  await control.resetCounters();
  if (stormSeconds > 0) await control.realism({ storm: { families: ['organizations'], seconds: stormSeconds } });
  const started = performance.now();
  let tree: DiscoveredTree | null = null;
  let error: string | null = null;
  try {
    tree = await walkOrganization({ organizations: factory.organizations({ credentials, ...options }), sts: factory.sts({ credentials, ...options }), concurrency: 8 });
  } catch (e) {
    error = (e as Error).message;
  }
  const ms = performance.now() - started;
  const counters = await control.counters();
  const org = Object.entries(counters.operations).filter(([k]) => k.startsWith('organizations:'));
  return { tree, error, ms, calls: org.reduce((s, [, c]) => s + c.calls, 0), throttled: org.reduce((s, [, c]) => s + c.throttled, 0) };
}

describe('rate limiting under AWS-like throttling', () => {
  it('orglink\'s limiter completes the walk; the SDK modes are measured alongside', async () => {
    const minimum = minimumWalkCost(worldTree(sandbox)).total;
    const strategies: Strategy[] = [
      { name: `orglink limiter at the service rate (${SANDBOX_RATE}/s)`, limiterRate: SANDBOX_RATE },
      { name: `orglink limiter configured 5x too high (${SANDBOX_RATE * 5}/s)`, limiterRate: SANDBOX_RATE * 5 },
      { name: 'SDK retryMode adaptive, maxAttempts 10', retryMode: 'adaptive', maxAttempts: 10 },
      { name: 'SDK retryMode standard, default 3 attempts', retryMode: 'standard' },
    ];
    const rows: string[] = [`minimum calls: ${minimum}`];
    const runs = [...strategies.map((s) => ({ s, storm: 0 })), ...strategies.map((s) => ({ s, storm: 3 }))];
    for (const { s: strategy, storm } of runs) {
      const r = await measure(strategy, storm);
      const outcome = r.error !== null ? `FAILED (${r.error.slice(0, 60)})` : r.tree?.complete ? 'complete' : `incomplete (${r.tree?.failures.length} listings failed)`;
      rows.push(`${storm > 0 ? `[${storm} s storm] ` : ''}${strategy.name}: ${outcome}, ${r.calls} calls (${r.throttled} throttled), ${Math.round(r.ms)} ms, ideal ${Math.round((minimum / SANDBOX_RATE) * 1000)} ms`);
      if (strategy.limiterRate !== undefined) {
        expect(r.error).toBeNull();
        expect(r.tree?.complete).toBe(true);
        const truth = worldTree(sandbox);
        const found = sortDiscoveredTree(r.tree as DiscoveredTree);
        expect(found.accounts).toEqual(truth.accounts);
        expect(found.ous).toEqual(truth.ous);
      }
    }
    console.info(rows.join('\n'));
  }, 300_000);
});
