/**
 * `serve` runs the sync worker and the reconcile scheduler in-process, on the embedded
 * database and on PostgreSQL: a scheduler tick queues a never-synced integration, the
 * in-process worker syncs it with AWS access from the environment (AWS_ENDPOINT_URL and
 * platform keys, as in production), and the mirror matches the sandbox organization. Its job
 * timings come from the config's `jobs` section.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { type RunningService, startService } from '../../src/cli/service-runner.js';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, expectedMirror, seedIntegration } from '../sync/sync-harness.js';
import { storeDatabaseUrl } from './fixtures/job-queries.js';
import { waitFor } from './fixtures/wait-for.js';

describe.each(testDatabases)('serve runs the jobs in-process on $name', (tdb) => {
  let sandbox: RunningSandbox | undefined;
  let service: RunningService | undefined;
  let postgresStore: Store | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await service?.close();
    await postgresStore?.close();
    await sandbox?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    vi.unstubAllEnvs();
    service = undefined;
    postgresStore = undefined;
    sandbox = undefined;
    dataDir = undefined;
  });

  it('schedules and runs the first sync of a new integration', async () => {
    sandbox = await startSandbox({ seed: 5, accounts: 5, ous: 2 });
    vi.stubEnv('AWS_ENDPOINT_URL', sandbox.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', sandbox.platform.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', sandbox.platform.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    dataDir = await mkdtemp(join(tmpdir(), 'orglink-serve-jobs-'));
    // Job timings from the config (here the environment), as `orglink worker` reads them.
    const env: Record<string, string> = {
      AWS_REGION: sandbox.region,
      ORGLINK_LOG_LEVEL: 'warn',
      ORGLINK_JOBS_CONCURRENCY: '1',
      ORGLINK_JOBS_EXPIRE_SECONDS: '600',
      ORGLINK_JOBS_RETRY_LIMIT: '5',
      ORGLINK_JOBS_POLL_SECONDS: '1',
    };
    const flags: { dataDir: string; port: string; databaseUrl?: string } = { dataDir, port: '0' };
    if (tdb.name === 'postgres') {
      postgresStore = await tdb.open();
      const databaseUrl = await storeDatabaseUrl(postgresStore);
      if (databaseUrl === undefined) throw new Error('no database URL');
      flags.databaseUrl = databaseUrl;
      env.ORGLINK_SECRET_KEY = randomBytes(32).toString('base64');
    }
    service = await startService({ env, flags, logLevel: 'warn' });
    expect(service.jobs.worker?.concurrency).toBe(1);
    expect(service.jobs.queue.syncJobs).toEqual({ expireInSeconds: 600, retryLimit: 5, retryDelaySeconds: 30 });
    expect(service.jobs.queue.pollingIntervalSeconds).toBe(1);
    const { integrationId } = await seedIntegration(service.store, sandbox, { permissionMode: 'none' });

    const db = service.store.db;
    const scheduler = service.jobs.scheduler;
    if (scheduler === null) throw new Error('serve runs no scheduler');
    await waitFor(
      async () => {
        // What the scheduler's timer does every 30 s, sooner (a busy integration is never queued twice).
        await scheduler.tick();
        const row = await db.selectFrom('integrations').select('last_sync_status').where('id', '=', integrationId).executeTakeFirstOrThrow();
        return row.last_sync_status !== null;
      },
      { what: 'the scheduled sync to finish', timeoutMs: 90_000, intervalMs: 200 },
    );
    const runs = await db.selectFrom('sync_runs').select(['trigger', 'status']).where('integration_id', '=', integrationId).execute();
    expect(runs).toEqual([{ trigger: 'schedule', status: 'succeeded' }]);
    expect(await actualMirror(service.store, integrationId)).toEqual(expectedMirror(sandbox));
  });
});
