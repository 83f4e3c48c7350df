/**
 * The reconcile scheduler against a real database: a tick queues the due integrations
 * only (run rows with trigger `schedule`), never one that already has a job, and two
 * ticks at once (two schedulers) queue one job per integration.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobQueue, createJobQueue } from '../../src/jobs/queue.js';
import { runSchedulerTick, startReconcileScheduler } from '../../src/jobs/reconcile-scheduler.js';
import { EVENT_RECORD_RETENTION_MS } from '../../src/services/events/prune-events.js';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';
import { enqueueSync } from '../../src/jobs/sync-jobs.js';
import { SYNC_QUEUE } from '../../src/jobs/queue.js';
import { runRow, storeDatabaseUrl, syncJobs } from './fixtures/job-queries.js';
import { seedIntegrations } from './fixtures/seed-integrations.js';
import { waitFor } from './fixtures/wait-for.js';

const now = new Date('2026-11-21T12:00:00Z');
const ago = (seconds: number): Date => new Date(now.getTime() - seconds * 1000);

describe.each(testDatabases)('reconcile scheduler on $name', (tdb) => {
  let store: Store | undefined;
  let queue: JobQueue | undefined;

  afterEach(async () => {
    await queue?.close({ timeoutMs: 5000 });
    await store?.close();
    queue = undefined;
    store = undefined;
  });

  async function open(): Promise<{ store: Store; queue: JobQueue }> {
    store = await tdb.open();
    const databaseUrl = await storeDatabaseUrl(store);
    queue = await createJobQueue(store, databaseUrl === undefined ? {} : { databaseUrl });
    return { store, queue };
  }

  it('queues due integrations only, once', async () => {
    const { store, queue } = await open();
    const schedules = [
      { lastSyncedAt: null }, // 0: never synced → due
      { lastSyncedAt: ago(7200) }, // 1: past the default hour → due
      { lastSyncedAt: ago(600) }, // 2: within the default hour → not due
      { lastSyncedAt: ago(600), intervalSeconds: 300 }, // 3: past its own 5 minutes → due
      { lastSyncedAt: null, intervalSeconds: 0 }, // 4: scheduling off → not due
      { lastSyncedAt: ago(7200), intervalSeconds: 86_400 }, // 5: within its own day → not due
    ];
    const seeded = await seedIntegrations(store, schedules.length, (index) => schedules[index] ?? {});
    const expected = [0, 1, 3].map((index) => seeded[index]?.integrationId).sort();

    const first = await runSchedulerTick({ queue, defaultIntervalSeconds: 3600, clock: () => now });
    expect(first.queued.map((entry) => entry.integrationId).sort()).toEqual(expected);
    for (const entry of first.queued) {
      expect(entry.joined).toBe(false);
      expect(await runRow(store, entry.runId)).toMatchObject({ status: 'queued', trigger: 'schedule', integration_id: entry.integrationId });
    }
    const jobs = await syncJobs(store);
    expect(jobs.map((job) => job.singleton_key).sort()).toEqual(expected);
    expect(jobs.every((job) => job.state === 'created' && job.data.trigger === 'schedule')).toBe(true);

    // A day later the others are due too, but the three with a waiting job are not queued again.
    const second = await runSchedulerTick({ queue, defaultIntervalSeconds: 3600, clock: () => new Date(now.getTime() + 86_400_000) });
    expect(second.queued.map((entry) => entry.integrationId).sort()).toEqual([2, 5].map((index) => seeded[index]?.integrationId).sort());
    expect(await syncJobs(store)).toHaveLength(5);
  });

  it('two schedulers ticking at once queue one job per due integration', async () => {
    const { store, queue } = await open();
    const seeded = await seedIntegrations(store, 4);
    await Promise.all([
      runSchedulerTick({ queue, defaultIntervalSeconds: 60, clock: () => now }),
      runSchedulerTick({ queue, defaultIntervalSeconds: 60, clock: () => now }),
    ]);
    const jobs = await syncJobs(store);
    expect(jobs.map((job) => job.singleton_key).sort()).toEqual(seeded.map((s) => s.integrationId).sort());
  });

  it('ticks on its own until stopped', async () => {
    const { store, queue } = await open();
    await seedIntegrations(store, 2);
    const ticks: number[] = [];
    const scheduler = startReconcileScheduler({ queue, defaultIntervalSeconds: 60, tickSeconds: 0.05, onTick: (result) => ticks.push(result.queued.length) });
    try {
      await waitFor(() => ticks.length >= 3, { what: 'three ticks' });
    } finally {
      await scheduler.stop();
    }
    expect(ticks[0]).toBe(2);
    expect(ticks.slice(1).every((count) => count === 0)).toBe(true);
    expect(await syncJobs(store)).toHaveLength(2);
  });

  it('closes the run of a job that failed for good, and leaves other runs alone', async () => {
    const { store, queue } = await open();
    const [dead, alive] = await seedIntegrations(store, 2, () => ({ lastSyncedAt: now }));
    if (dead === undefined || alive === undefined) throw new Error('no integrations');
    const failing = await enqueueSync(queue, { ...dead, trigger: 'manual' });
    const waiting = await enqueueSync(queue, { ...alive, trigger: 'manual' });
    const db = store.db;
    await db.updateTable('sync_runs').set({ status: 'running' }).where('id', '=', failing.runId).execute();
    // The last attempt: its retries are used up, so failing it fails it for good.
    await sql`UPDATE pgboss.job SET retry_limit = 0 WHERE id = ${failing.jobId}::uuid`.execute(store.db);
    await queue.boss.fail(SYNC_QUEUE, failing.jobId, { message: 'worker died' });
    expect((await syncJobs(store)).find((job) => job.id === failing.jobId)?.state).toBe('failed');

    const tick = await runSchedulerTick({ queue, defaultIntervalSeconds: 3600, clock: () => now });
    expect(tick.closedRuns).toEqual([failing.runId]);
    expect(await runRow(store, failing.runId)).toMatchObject({ status: 'failed', error: { code: 'sync_job_failed' } });
    expect(await runRow(store, waiting.runId)).toMatchObject({ status: 'queued' });
    const integration = await db.selectFrom('integrations').select('last_sync_status').where('id', '=', dead.integrationId).executeTakeFirstOrThrow();
    expect(integration.last_sync_status).toBe('failed');
    expect((await runSchedulerTick({ queue, defaultIntervalSeconds: 3600, clock: () => now })).closedRuns).toEqual([]);
  });

  it('prunes event records older than EventBridge redelivers, keeping recent ones', async () => {
    const { store, queue } = await open();
    const [integration] = await seedIntegrations(store, 1, () => ({ lastSyncedAt: now }));
    if (integration === undefined) throw new Error('no integration');
    const db = store.db;
    const record = (eventId: string, receivedAt: Date) => ({
      tenant_id: integration.tenantId, integration_id: integration.integrationId, event_id: eventId, event_name: 'MoveAccount', received_at: receivedAt,
    });
    await db.insertInto('integration_events').values([
      record('old', new Date(now.getTime() - EVENT_RECORD_RETENTION_MS - 1000)),
      record('recent', new Date(now.getTime() - 3600_000)),
    ]).execute();
    const tick = await runSchedulerTick({ queue, defaultIntervalSeconds: 3600, clock: () => now });
    expect(tick.prunedEvents).toBe(1);
    const left = await db.selectFrom('integration_events').select('event_id').where('integration_id', '=', integration.integrationId).execute();
    expect(left.map((row) => row.event_id)).toEqual(['recent']);
  });
});
