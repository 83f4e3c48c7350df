/**
 * The sync queue on PGlite (in-process, through the store's lock) and on PostgreSQL:
 * a job round trip, one integration never syncing twice at once while other integrations
 * keep going, graceful shutdown. The sync itself is a fake here: these are the queue's
 * properties (test/jobs/sync-jobs-sandbox.test.ts runs the real sync).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type JobQueue, createJobQueue } from '../../src/jobs/queue.js';
import { queueEnqueueSync } from '../../src/jobs/api-enqueuer.js';
import { FOLLOW_UP_PRIORITY, enqueueSync } from '../../src/jobs/sync-jobs.js';
import { insertRun, newSyncRunId } from '../../src/services/sync/sync-runs.js';
import { type JobRuntime, startJobRuntime } from '../../src/jobs/job-runtime.js';
import { type SyncWorker, startSyncWorker } from '../../src/jobs/sync-worker.js';
import { type Store, openStore } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';
import { createFakeSync } from './fixtures/fake-sync.js';
import { queueIdle, runRow, storeDatabaseUrl, syncJobs } from './fixtures/job-queries.js';
import { seedIntegrations } from './fixtures/seed-integrations.js';
import { waitFor } from './fixtures/wait-for.js';

const FAST = { pollingIntervalSeconds: 0.5 };

describe.each(testDatabases)('sync queue on $name', (tdb) => {
  let store: Store | undefined;
  let queue: JobQueue | undefined;
  let worker: SyncWorker | undefined;
  let runtime: JobRuntime | undefined;

  afterEach(async () => {
    await worker?.stop();
    await runtime?.close({ timeoutMs: 5000 });
    await queue?.close({ timeoutMs: 5000 });
    await store?.close();
    worker = undefined;
    runtime = undefined;
    queue = undefined;
    store = undefined;
  });

  async function openQueue(): Promise<{ store: Store; queue: JobQueue }> {
    store = await tdb.open();
    const databaseUrl = await storeDatabaseUrl(store);
    queue = await createJobQueue(store, { ...FAST, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
    return { store, queue };
  }

  it('runs an enqueued sync once, with its tenant, integration, trigger and queued run row', async () => {
    const { store, queue } = await openQueue();
    const [target] = await seedIntegrations(store, 1);
    if (target === undefined) throw new Error('no integration');
    const fake = createFakeSync();
    worker = await startSyncWorker({ queue, runSync: fake.runSync, concurrency: 1, name: 'test-worker' });

    const enqueued = await enqueueSync(queue, { ...target, trigger: 'manual' });
    expect(enqueued.joined).toBe(false);
    const row = await runRow(store, enqueued.runId);
    expect(row).toMatchObject({ integration_id: target.integrationId, trigger: 'manual' });
    expect(['queued', 'running', 'succeeded']).toContain(row?.status);

    const job = await waitFor(
      async () => (await syncJobs(store)).find((candidate) => candidate.id === enqueued.jobId && candidate.state === 'completed'),
      { what: 'the job to complete' },
    );
    expect(job.output).toEqual({ runId: enqueued.runId, status: 'succeeded', worker: 'test-worker' });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ ...target, trigger: 'manual', runId: enqueued.runId });
  });

  it('never runs one integration twice at once; requests join the waiting job; other integrations keep going', async () => {
    const { store, queue } = await openQueue();
    const [a, b, c] = await seedIntegrations(store, 3);
    if (a === undefined || b === undefined || c === undefined) throw new Error('no integrations');
    const fake = createFakeSync();
    // Two loops: while A holds one, a single loop fetches, so nothing can slip past a blocked job by luck.
    worker = await startSyncWorker({ queue, runSync: fake.runSync, concurrency: 2 });

    fake.hold(a.integrationId);
    await enqueueSync(queue, { ...a, trigger: 'manual' });
    await waitFor(() => fake.starts(a.integrationId) === 1, { what: 'the first sync of A to start' });

    // Ten concurrent requests while A runs: one follow-up job, the other nine join it.
    const requests = await Promise.all(Array.from({ length: 10 }, () => enqueueSync(queue!, { ...a, trigger: 'manual' })));
    expect(new Set(requests.map((request) => request.jobId)).size).toBe(1);
    expect(requests.filter((request) => !request.joined)).toHaveLength(1);
    const followUp = (await syncJobs(store)).find((job) => job.id === requests[0]?.jobId);
    expect(followUp).toMatchObject({ state: 'created', priority: FOLLOW_UP_PRIORITY });

    // The follow-up of A is older than B's and C's jobs, yet does not hold them back.
    await enqueueSync(queue, { ...b, trigger: 'manual' });
    await enqueueSync(queue, { ...c, trigger: 'schedule' });
    await waitFor(() => fake.finishes(b.integrationId) === 1 && fake.finishes(c.integrationId) === 1, { what: 'B and C to sync while A runs' });
    expect(fake.starts(a.integrationId)).toBe(1);

    fake.release(a.integrationId);
    await waitFor(() => fake.finishes(a.integrationId) === 2, { what: 'A to sync again after its first sync' });
    await waitFor(() => queueIdle(store), { what: 'the queue to drain' });
    expect(fake.maxConcurrentPerIntegration()).toBe(1);
    expect(fake.maxConcurrentOverall()).toBeGreaterThanOrEqual(2);
    // Only the winning request left a run row; the nine that joined left none.
    const runs = await store.db.selectFrom('sync_runs').select('id').execute();
    expect(runs).toHaveLength(4);
  });

  it('keeps one sync per integration under bursts of concurrent requests', async () => {
    const { store, queue } = await openQueue();
    const targets = await seedIntegrations(store, 3);
    const fake = createFakeSync({ durationMs: () => 5 + Math.floor(Math.random() * 40) });
    worker = await startSyncWorker({ queue, runSync: fake.runSync, concurrency: 4 });
    for (let burst = 0; burst < 8; burst += 1) {
      await Promise.all(targets.flatMap((target) => [1, 2, 3].map(() => enqueueSync(queue, { ...target, trigger: 'event' }))));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await waitFor(() => queueIdle(store), { what: 'the queue to drain', timeoutMs: 60_000 });
    expect(fake.maxConcurrentPerIntegration()).toBe(1);
    for (const target of targets) expect(fake.finishes(target.integrationId)).toBeGreaterThanOrEqual(1);
    // Every job completed exactly once: no job ran twice, none was lost.
    const jobs = await syncJobs(store);
    expect(jobs.every((job) => job.state === 'completed')).toBe(true);
    expect(fake.calls.map((call) => call.runId).sort()).toEqual(jobs.map((job) => job.data.runId).sort());
  });

  it('backs the API seam: runs the queued row of the route, and a duplicate request supersedes its own row', async () => {
    store = await tdb.open();
    const databaseUrl = await storeDatabaseUrl(store);
    const [target] = await seedIntegrations(store, 1);
    if (target === undefined) throw new Error('no integration');
    const fake = createFakeSync();
    runtime = await startJobRuntime({ store, runSync: fake.runSync, concurrency: 1, queue: FAST, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
    const enqueue = queueEnqueueSync(runtime);
    const routeRow = async (): Promise<string> => {
      const runId = newSyncRunId();
      await insertRun(store!.db, { id: runId, ...target, trigger: 'manual', status: 'queued', autoApprove: false, approvesRunId: null, now: new Date() });
      return runId;
    };
    fake.hold(target.integrationId);
    const actor = { userId: 'u_actor0000001', tokenId: null, isAdmin: false, requestId: 'req-1' };
    const first = await routeRow();
    await enqueue({ ...target, runId: first, trigger: 'manual', autoApprove: true, actor });
    await waitFor(() => fake.starts(target.integrationId) === 1, { what: 'the first sync to start' });
    expect(fake.calls[0]).toMatchObject({ runId: first, autoApprove: true, actor });

    const second = await routeRow();
    await enqueue({ ...target, runId: second, trigger: 'manual', autoApprove: false });
    const third = await routeRow();
    await enqueue({ ...target, runId: third, trigger: 'manual', autoApprove: false });
    expect(await runRow(store, second)).toMatchObject({ status: 'queued' });
    expect(await runRow(store, third)).toMatchObject({ status: 'superseded', error: { code: 'sync_joined_waiting_run', details: { runId: second } } });

    fake.release(target.integrationId);
    await waitFor(() => fake.finishes(target.integrationId) === 2, { what: 'both syncs to finish' });
    expect(fake.calls.map((call) => call.runId)).toEqual([first, second]);
  });

  it('aborts a sync that runs into its job expiry, before another worker could get the job', async () => {
    store = await tdb.open();
    const databaseUrl = await storeDatabaseUrl(store);
    queue = await createJobQueue(store, { ...FAST, syncJobs: { expireInSeconds: 2 }, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
    const [target] = await seedIntegrations(store, 1);
    if (target === undefined) throw new Error('no integration');
    const reasons: unknown[] = [];
    worker = await startSyncWorker({
      queue,
      concurrency: 1,
      runSync: (request) =>
        new Promise((resolve) => {
          request.signal.addEventListener('abort', () => {
            reasons.push(request.signal.reason);
            resolve({ run: { id: request.runId, status: 'failed' } });
          });
        }),
    });
    const { jobId } = await enqueueSync(queue, { ...target, trigger: 'manual' });
    const job = await waitFor(async () => (await syncJobs(store!)).find((j) => j.id === jobId && j.state === 'completed'), { what: 'the job to end' });
    expect(job.output).toMatchObject({ status: 'failed' });
    expect(job.retry_count).toBe(0);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ name: 'AbortError' });
  });

  it('on close, lets the sync in hand finish before the queue lets go of the database', async () => {
    store = await tdb.open();
    const databaseUrl = await storeDatabaseUrl(store);
    const [target] = await seedIntegrations(store, 1);
    if (target === undefined) throw new Error('no integration');
    const fake = createFakeSync();
    runtime = await startJobRuntime({
      store,
      runSync: fake.runSync,
      concurrency: 1,
      queue: FAST,
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
    });
    fake.hold(target.integrationId);
    const { jobId } = await runtime.enqueueSync({ ...target, trigger: 'manual' });
    await waitFor(() => fake.starts(target.integrationId) === 1, { what: 'the sync to start' });
    const closing = runtime.close({ timeoutMs: 20_000 });
    fake.release(target.integrationId);
    await closing;
    expect(fake.finishes(target.integrationId)).toBe(1);
    const job = (await syncJobs(store)).find((candidate) => candidate.id === jobId);
    expect(job?.state).toBe('completed');
  });
});

describe('sync queue on postgres, several starters', () => {
  it('starts on a fresh database from several processes at once (schema and queue creation race)', async () => {
    const postgres = testDatabases.find((tdb) => tdb.name === 'postgres');
    if (postgres === undefined) throw new Error('the postgres test database is missing');
    const store = await postgres.open();
    const databaseUrl = await storeDatabaseUrl(store);
    if (databaseUrl === undefined) throw new Error('no database URL');
    const others = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl })));
    try {
      const queues = await Promise.all([store, ...others].map((each) => createJobQueue(each, { databaseUrl })));
      expect(await queues[0]?.boss.getQueue('integration-sync')).toMatchObject({ policy: 'stately' });
      for (const each of queues) await each.close();
    } finally {
      for (const each of others) await each.close();
      await store.close();
    }
  });
});
