/**
 * Jobs across machines, shown with processes: two real `orglink worker` processes on one
 * fresh PostgreSQL database and one sandbox organization (AWS_ENDPOINT_URL and platform
 * keys in their environment, as in production). The test process only enqueues.
 * - Both workers take jobs; each job is done by exactly one of them; no integration is
 *   ever synced by two at once (checked on the workers' own start/finish log lines).
 * - A worker SIGKILLed in the middle of a sync: its job expires and the other worker
 *   retries and completes it, continuing the same run row.
 * - SIGTERM stops a worker cleanly.
 * The sandbox's latency (control API) makes syncs slow enough to kill one mid-run.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { type JobQueue, createJobQueue } from '../../src/jobs/queue.js';
import { enqueueSync } from '../../src/jobs/sync-jobs.js';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, expectedMirror, seedIntegration } from '../sync/sync-harness.js';
import { type JobRow, queueIdle, runRow, storeDatabaseUrl, syncJobs } from './fixtures/job-queries.js';
import { addSandboxIntegration } from './fixtures/sandbox-integrations.js';
import { waitFor } from './fixtures/wait-for.js';
import { type WorkerLogLine, type WorkerProcess, startWorkerProcess } from './fixtures/worker-process.js';

const postgres = testDatabases.find((tdb) => tdb.name === 'postgres');
if (postgres === undefined) throw new Error('the postgres test database is missing');

/** Short enough for a test, longer than any sync here: a job still active after this belongs to a dead worker. */
const EXPIRE_SECONDS = 12;
const JOB_FLAGS = ['--concurrency', '1', '--poll-seconds', '1', '--maintenance-seconds', '1', '--job-expire-seconds', String(EXPIRE_SECONDS), '--job-retry-delay-seconds', '1', '--shutdown-timeout-seconds', '10'];

let sandbox: RunningSandbox;
let store: Store;
let queue: JobQueue;
let integrations: Array<{ tenantId: string; integrationId: string }>;
const workers: WorkerProcess[] = [];

async function setLatency(ms: number): Promise<void> {
  const response = await fetch(`${sandbox.endpoint}/_sandbox/realism`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latency: ms === 0 ? { distribution: 'none' } : { distribution: 'fixed', ms } }),
  });
  if (!response.ok) throw new Error(`sandbox realism update failed: ${response.status} ${await response.text()}`);
}

function workerEnv(databaseUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_') && !key.startsWith('ORGLINK_') && key !== 'DATABASE_URL') env[key] = value;
  }
  return {
    ...env,
    DATABASE_URL: databaseUrl,
    ORGLINK_SECRET_KEY: randomBytes(32).toString('base64'),
    ORGLINK_LOG_LEVEL: 'info',
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.platform.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.platform.secretAccessKey,
    AWS_REGION: sandbox.region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

type JobEvent = WorkerLogLine & { kind: 'start' | 'end' };

/** Start and finish lines of sync jobs from every worker, in time order. */
function jobEvents(): JobEvent[] {
  const events: JobEvent[] = [];
  for (const worker of workers) {
    for (const line of worker.logs) {
      if (line.msg === 'sync job started') events.push({ ...line, kind: 'start' });
      if (line.msg === 'sync job finished') events.push({ ...line, kind: 'end' });
    }
  }
  return events.sort((a, b) => a.time - b.time || (a.kind === 'end' ? -1 : 1));
}

/** Most syncs of one integration running at once, from the workers' logs (a killed worker's sync runs until `killedAt`). */
function maxOverlapPerIntegration(killed?: { name: string; at: number }): number {
  const events = jobEvents().flatMap((event): JobEvent[] => {
    if (killed === undefined || event.worker !== killed.name || event.kind !== 'start') return [event];
    const finished = jobEvents().some((other) => other.kind === 'end' && other.jobId === event.jobId && other.worker === killed.name);
    return finished ? [event] : [event, { ...event, kind: 'end', time: killed.at }];
  });
  events.sort((a, b) => a.time - b.time || (a.kind === 'end' ? -1 : 1));
  const running = new Map<string, number>();
  let max = 0;
  for (const event of events) {
    const key = event.integrationId ?? '?';
    const count = (running.get(key) ?? 0) + (event.kind === 'start' ? 1 : -1);
    running.set(key, count);
    max = Math.max(max, count);
  }
  return max;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 21, accounts: 6, ous: 2 });
  store = await postgres.open();
  const databaseUrl = await storeDatabaseUrl(store);
  if (databaseUrl === undefined) throw new Error('no database URL');
  integrations = [await seedIntegration(store, sandbox, { handle: 'org-0', permissionMode: 'none' })];
  for (let index = 1; index < 5; index += 1) integrations.push(await addSandboxIntegration(store, sandbox, index));
  queue = await createJobQueue(store, {
    databaseUrl,
    syncJobs: { expireInSeconds: EXPIRE_SECONDS, retryDelaySeconds: 1, retryLimit: 3 },
    maintenanceIntervalSeconds: 1,
    pollingIntervalSeconds: 1,
  });
  await setLatency(60);
  const env = workerEnv(databaseUrl);
  workers.push(...(await Promise.all([startWorkerProcess(JOB_FLAGS, env), startWorkerProcess(JOB_FLAGS, env)])));
});

afterAll(async () => {
  for (const worker of workers) {
    if (worker.exitCode() === undefined) worker.child.kill('SIGKILL');
    await worker.waitForExit(10_000).catch(() => undefined);
  }
  await queue?.close({ timeoutMs: 5000 });
  await store?.close();
  await sandbox?.close();
});

describe('orglink worker processes on PostgreSQL', () => {
  it('share the work: every job done once, by one of them, never one integration twice at once', async () => {
    const first = await Promise.all(integrations.map((target) => enqueueSync(queue, { ...target, trigger: 'manual' })));
    // Requests while those run: follow-ups and joins, never a second concurrent sync.
    await waitFor(() => jobEvents().some((event) => event.kind === 'start'), { what: 'a first sync to start', timeoutMs: 60_000 });
    await Promise.all(integrations.flatMap((target) => [1, 2].map(() => enqueueSync(queue, { ...target, trigger: 'event' }))));
    await waitFor(() => queueIdle(store), { what: 'every job to finish', timeoutMs: 120_000, intervalMs: 250 });

    const jobs = await syncJobs(store);
    expect(jobs.length).toBeGreaterThanOrEqual(integrations.length);
    expect(jobs.every((job) => job.state === 'completed' && job.retry_count === 0)).toBe(true);
    const names = workers.map((worker) => worker.name);
    expect(jobs.every((job) => job.output?.worker !== undefined && names.includes(job.output.worker))).toBe(true);
    expect(new Set(jobs.map((job) => job.output?.worker))).toEqual(new Set(names));
    // Exactly one start per job across both workers.
    const starts = jobEvents().filter((event) => event.kind === 'start');
    expect(starts.map((event) => event.jobId).sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(maxOverlapPerIntegration()).toBe(1);

    for (const [index, target] of integrations.entries()) {
      expect((await runRow(store, first[index]?.runId ?? ''))?.status).toBe('succeeded');
      expect(await actualMirror(store, target.integrationId)).toEqual(expectedMirror(sandbox));
    }
  });

  it('retries the job of a worker killed mid-sync on the other worker', async () => {
    const target = integrations[0];
    if (target === undefined) throw new Error('no integration');
    await setLatency(700);
    const enqueued = await enqueueSync(queue, { ...target, trigger: 'manual' });
    const started = await waitFor(() => jobEvents().find((event) => event.kind === 'start' && event.jobId === enqueued.jobId), {
      what: 'a worker to start the job',
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    const victim = workers.find((worker) => worker.name === started.worker);
    const survivor = workers.find((worker) => worker.name !== started.worker);
    if (victim === undefined || survivor === undefined) throw new Error(`unknown worker ${String(started.worker)}`);
    expect((await syncJobs(store)).find((job) => job.id === enqueued.jobId)?.state).toBe('active');
    victim.child.kill('SIGKILL');
    await victim.waitForExit(10_000);
    const killedAt = Date.now();
    expect(jobEvents().some((event) => event.kind === 'end' && event.jobId === enqueued.jobId)).toBe(false);
    await setLatency(0);

    const done: JobRow = await waitFor(
      async () => (await syncJobs(store)).find((job) => job.id === enqueued.jobId && job.state === 'completed'),
      { what: 'the killed job to be retried and completed', timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(done.retry_count).toBeGreaterThanOrEqual(1);
    expect(done.output).toMatchObject({ runId: enqueued.runId, status: 'succeeded', worker: survivor.name });
    const retried = survivor.logs.find((line) => line.msg === 'sync job started' && line.jobId === enqueued.jobId);
    expect(retried?.time).toBeGreaterThanOrEqual(killedAt);
    expect(maxOverlapPerIntegration({ name: victim.name, at: killedAt })).toBe(1);
    expect((await runRow(store, enqueued.runId))?.status).toBe('succeeded');
    expect(await actualMirror(store, target.integrationId)).toEqual(expectedMirror(sandbox));
  });

  it('stops on SIGTERM, logging that it stopped', async () => {
    const alive = workers.filter((worker) => worker.exitCode() === undefined);
    expect(alive).toHaveLength(1);
    for (const worker of alive) {
      worker.child.kill('SIGTERM');
      expect(await worker.waitForExit(30_000)).toBe(0);
      expect(worker.logs.some((line) => line.msg === 'worker stopped')).toBe(true);
    }
  });
});
