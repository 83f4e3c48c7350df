/**
 * Failure tests end with no spurious deletion, for a whole sync (walk, probe, plan, apply):
 * throttling storms and random 5xx faults set through the sandbox's control API either
 * slow the run down or leave its tree incomplete, and in every case no folder or
 * connection whose OU or account still exists is deleted. A real removal made meanwhile is
 * applied only by the clean run afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeAccountFromOrganization } from '../../packages/sandbox/src/organization-state.js';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import type { RateLimiterOptions } from '../../src/aws/rate-limiter.js';
import { createSyncAwsAccess, runIntegrationSync } from '../../src/services/sync/sync-service.js';
import type { SyncRunResult } from '../../src/services/sync/sync-types.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, expectedMirror, startSyncWorld, type SyncWorld } from './sync-harness.js';

type Retry = Pick<RateLimiterOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxThrottleRetries' | 'maxTransientRetries'>;

/** Short backoff so retries cost milliseconds, not seconds. */
const SHORT_BACKOFF: Retry = { baseDelayMs: 1, maxDelayMs: 5 };

/** Sends a realism update through the sandbox's HTTP control API. */
async function setRealism(sandbox: RunningSandbox, update: unknown): Promise<void> {
  const response = await fetch(`${sandbox.endpoint}/_sandbox/realism`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(update),
  });
  expect(response.status).toBe(200);
}

async function resetCounters(sandbox: RunningSandbox): Promise<void> {
  expect((await fetch(`${sandbox.endpoint}/_sandbox/counters/reset`, { method: 'POST' })).status).toBe(200);
}

async function counterTotals(sandbox: RunningSandbox): Promise<{ throttled: number; faulted: number }> {
  const body = (await (await fetch(`${sandbox.endpoint}/_sandbox/counters`)).json()) as { totals: { throttled: number; faulted: number } };
  return body.totals;
}

const CALM = { storm: null, faults: { errorRate: 0, timeoutRate: 0 } };

interface MirrorIds {
  folders: Map<string, string>;
  connections: Map<string, string>;
}

describe.each(testDatabases)('sync under failures ($name)', (tdb) => {
  let w: SyncWorld;

  beforeAll(async () => {
    w = await startSyncWorld(tdb, { sandbox: { accounts: 60, ous: 10, depth: 3, seed: 23 } });
  });
  afterAll(async () => {
    await w.close();
  });

  /** The sandbox's endpoint and platform keys, with rates high enough that only the sandbox throttles. */
  const accessOptions = () => ({
    region: w.sandbox.region,
    endpoint: w.sandbox.endpoint,
    credentials: { accessKeyId: w.sandbox.platform.accessKeyId, secretAccessKey: w.sandbox.platform.secretAccessKey },
    organizationsRate: 2000,
    stsRate: 2000,
  });

  /**
   * Runs one sync with its own AWS access (fresh limiters) and the given retry budget. With
   * `midWalk`, applies that realism once the walk has finished its first two listings (the
   * root's: failing those fails the whole run, a different case); onProgress is synchronous,
   * so it goes through the in-process control (same settings as PUT /_sandbox/realism).
   */
  async function syncWith(retry: Retry, midWalk?: Record<string, unknown>): Promise<SyncRunResult & { midWalkApplied: boolean }> {
    const aws = createSyncAwsAccess({ ...accessOptions(), retry });
    let midWalkApplied = false;
    const result = await runIntegrationSync(
      { ...w.deps, aws },
      {
        tenantId: w.tenantId,
        integrationId: w.integrationId,
        trigger: 'manual',
        onProgress: (p) => {
          if (midWalk !== undefined && !midWalkApplied && p.phase === 'walk' && (p.walk?.listingsDone ?? 0) >= 2) {
            midWalkApplied = true;
            w.sandbox.server.realism.update(midWalk);
          }
        },
      },
    );
    return { ...result, midWalkApplied };
  }

  /** Mirror row ids keyed by AWS id (OU/root id, account id). */
  async function mirrorIds(): Promise<MirrorIds> {
    const folders = await w.store.db.selectFrom('folders').select(['id', 'aws_id']).where('integration_id', '=', w.integrationId).execute();
    const connections = await w.store.db.selectFrom('connections').select(['id', 'aws_account_id']).where('integration_id', '=', w.integrationId).execute();
    return {
      folders: new Map(folders.map((f) => [f.aws_id, f.id])),
      connections: new Map(connections.map((c) => [c.aws_account_id ?? '', c.id])),
    };
  }

  /** AWS ids of the OUs/roots and not-closed accounts the sandbox still has. */
  function liveAwsIds(): { folders: Set<string>; accounts: Set<string> } {
    const expected = expectedMirror(w.sandbox);
    return { folders: new Set(expected.folders.map((f) => f.awsId)), accounts: new Set(expected.connections.map((c) => c.accountId)) };
  }

  /** Every row that existed before and whose OU/account still exists is still there, with the same id. */
  function expectNothingLiveDeleted(before: MirrorIds, after: MirrorIds): void {
    const live = liveAwsIds();
    const keptFolders = [...before.folders].filter(([awsId]) => live.folders.has(awsId));
    const keptConnections = [...before.connections].filter(([accountId]) => live.accounts.has(accountId));
    expect(keptFolders.filter(([awsId, id]) => after.folders.get(awsId) !== id)).toEqual([]);
    expect(keptConnections.filter(([accountId, id]) => after.connections.get(accountId) !== id)).toEqual([]);
  }

  const removalOps = (result: SyncRunResult) => (result.plan?.ops ?? []).filter((op) => op.op === 'remove-connection' || op.op === 'remove-folder');

  /** A run under failures either completed (and then removed nothing, since nothing was gone) or withheld every removal. */
  function expectSafeOutcome(result: SyncRunResult): void {
    if (result.run.status === 'failed') {
      expect(result.run.error?.code).toEqual(expect.any(String));
      return;
    }
    expect(result.run.status).toBe('succeeded');
    expect(removalOps(result)).toEqual([]);
    if (result.run.summary?.complete === false) {
      expect(result.run.summary.warnings.map((x) => x.code)).toContain('discovery_incomplete');
      expect(result.run.summary.failures.length).toBeGreaterThan(0);
    }
  }

  it('first sync of the generated organization mirrors it exactly', async () => {
    const result = await syncWith(SHORT_BACKOFF);
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.complete).toBe(true);
    expect(result.run.summary?.discovered.accounts).toBe(expectedMirror(w.sandbox).connections.length);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });

  it('a throttling storm of some calls on organizations and sts slows the run but it completes with the mirror unchanged', async () => {
    const before = await mirrorIds();
    const mirror = await actualMirror(w.store, w.integrationId);
    await resetCounters(w.sandbox);
    await setRealism(w.sandbox, { storm: { families: ['organizations', 'sts'], calls: 25 } });
    const result = await syncWith(SHORT_BACKOFF);
    await setRealism(w.sandbox, CALM);
    expect((await counterTotals(w.sandbox)).throttled).toBe(25);
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.complete).toBe(true);
    expect(removalOps(result)).toEqual([]);
    expect(await mirrorIds()).toEqual(before);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(mirror);
  });

  it('a storm that outlasts the retry budget from the start fails the run and deletes nothing', async () => {
    const before = await mirrorIds();
    await resetCounters(w.sandbox);
    await setRealism(w.sandbox, { storm: { families: ['organizations'], seconds: 30, calls: 400 } });
    const result = await syncWith({ ...SHORT_BACKOFF, maxThrottleRetries: 2 });
    await setRealism(w.sandbox, CALM);
    expect((await counterTotals(w.sandbox)).throttled).toBeGreaterThan(0);
    // DescribeOrganization itself is throttled for good: without the organization nothing can be planned.
    expect(result.run.status).toBe('failed');
    expect(result.run.error?.code).toBe('discovery_failed');
    expect(result.plan).toBeNull();
    expect(await mirrorIds()).toEqual(before);
  });

  it('a storm starting mid-walk leaves the tree incomplete and deletes nothing', async () => {
    const before = await mirrorIds();
    const result = await syncWith({ ...SHORT_BACKOFF, maxThrottleRetries: 2 }, { storm: { families: ['organizations'], seconds: 30, calls: 400 } });
    await setRealism(w.sandbox, CALM);
    expect(result.midWalkApplied).toBe(true);
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.complete).toBe(false);
    expectSafeOutcome(result);
    expect(await mirrorIds()).toEqual(before);
  });

  it('5% random errors with the normal retry budget: the mirror keeps every id', async () => {
    const before = await mirrorIds();
    await resetCounters(w.sandbox);
    await setRealism(w.sandbox, { seed: 4242, faults: { errorRate: 0.05 } });
    const result = await syncWith(SHORT_BACKOFF);
    await setRealism(w.sandbox, CALM);
    expect((await counterTotals(w.sandbox)).faulted).toBeGreaterThan(0);
    expectSafeOutcome(result);
    expect(await mirrorIds()).toEqual(before);
  });

  it('many errors and no retries: removals are withheld, nothing is deleted; the clean resync applies the real removal', async () => {
    const org = w.sandbox.world.organization;
    if (org === null) throw new Error('no organization');
    const victim = [...org.childAccounts.values()].flat().find((id) => id !== w.sandbox.managementAccountId);
    if (victim === undefined) throw new Error('no member account');
    removeAccountFromOrganization(w.sandbox.world, victim);
    const before = await mirrorIds();
    expect(before.connections.has(victim)).toBe(true);

    // Faults start once the root's two listings are done: failed OU listings leave the tree incomplete.
    const result = await syncWith({ ...SHORT_BACKOFF, maxTransientRetries: 0 }, { seed: 99, faults: { errorRate: 0.5 } });
    await setRealism(w.sandbox, CALM);
    expect(result.midWalkApplied).toBe(true);
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.complete).toBe(false);
    expect(result.run.summary?.warnings.map((x) => x.code)).toContain('discovery_incomplete');
    expect(result.run.summary?.failures.length).toBeGreaterThan(0);
    expect(result.run.summary?.withheldRemovals).toBeGreaterThan(0);
    expect(removalOps(result)).toEqual([]);
    expect(await mirrorIds()).toEqual(before);

    const clean = await syncWith(SHORT_BACKOFF);
    expect(clean.run.status).toBe('succeeded');
    expect(clean.run.summary?.complete).toBe(true);
    expect(removalOps(clean)).toEqual([expect.objectContaining({ op: 'remove-connection', awsAccountId: victim })]);
    const after = await mirrorIds();
    expect(after.connections.has(victim)).toBe(false);
    expectNothingLiveDeleted(before, after);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });
});
