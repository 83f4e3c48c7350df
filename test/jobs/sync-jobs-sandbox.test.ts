/**
 * The real sync through the queue, on PGlite and PostgreSQL: a job runs runIntegrationSync
 * against a sandbox organization over HTTP, its queued run row ends succeeded, and the
 * mirror matches the organization. A second job with nothing changed writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type JobRuntime, startJobRuntime } from '../../src/jobs/job-runtime.js';
import { syncRunnerFor } from '../../src/jobs/sync-worker.js';
import { testDatabases } from '../support/databases.js';
import { type SyncWorld, actualMirror, databaseFingerprint, expectedMirror, startSyncWorld } from '../sync/sync-harness.js';
import { runRow, storeDatabaseUrl, syncJobs } from './fixtures/job-queries.js';
import { waitFor } from './fixtures/wait-for.js';

describe.each(testDatabases)('queued syncs against the sandbox on $name', (tdb) => {
  let world: SyncWorld | undefined;
  let runtime: JobRuntime | undefined;

  afterEach(async () => {
    await runtime?.close({ timeoutMs: 10_000 });
    await world?.close();
    runtime = undefined;
    world = undefined;
  });

  it('mirrors the organization through a job, and a second job writes nothing', async () => {
    world = await startSyncWorld(tdb, { sandbox: { seed: 11, accounts: 7, ous: 3 } });
    const databaseUrl = await storeDatabaseUrl(world.store);
    runtime = await startJobRuntime({
      store: world.store,
      runSync: syncRunnerFor(world.deps),
      concurrency: 2,
      queue: { pollingIntervalSeconds: 0.5 },
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
    });
    const target = { tenantId: world.tenantId, integrationId: world.integrationId };
    const store = world.store;

    const first = await runtime.enqueueSync({ ...target, trigger: 'create' });
    await waitFor(async () => (await runRow(store, first.runId))?.status === 'succeeded', { what: 'the first run to succeed', timeoutMs: 60_000 });
    expect(await actualMirror(store, world.integrationId)).toEqual(expectedMirror(world.sandbox));
    const job = await waitFor(async () => (await syncJobs(store)).find((j) => j.id === first.jobId && j.state === 'completed'), { what: 'the job to complete' });
    expect(job.output).toMatchObject({ runId: first.runId, status: 'succeeded' });

    const before = await databaseFingerprint(store);
    const second = await runtime.enqueueSync({ ...target, trigger: 'schedule' });
    await waitFor(async () => (await runRow(store, second.runId))?.status === 'succeeded', { what: 'the second run to succeed', timeoutMs: 60_000 });
    expect(await databaseFingerprint(store)).toEqual(before);
  });
});
