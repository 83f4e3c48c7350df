/**
 * What `serve` runs in-process, on both backends: the scheduler finds a never-synced
 * integration, the worker syncs it with AWS access from the environment (AWS_ENDPOINT_URL
 * and platform keys, as in production), and the mirror matches the sandbox organization.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { loadConfig } from '../../src/config/config.js';
import type { JobRuntime } from '../../src/jobs/job-runtime.js';
import { startServerJobs } from '../../src/jobs/server-jobs.js';
import { withSyncTables } from '../../src/services/sync/sync-tables.js';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, expectedMirror, seedIntegration } from '../sync/sync-harness.js';
import { storeDatabaseUrl } from './fixtures/job-queries.js';
import { waitFor } from './fixtures/wait-for.js';

describe.each(testDatabases)('server jobs on $name', (tdb) => {
  let sandbox: RunningSandbox | undefined;
  let store: Store | undefined;
  let jobs: JobRuntime | undefined;

  afterEach(async () => {
    await jobs?.close({ timeoutMs: 10_000 });
    await store?.close();
    await sandbox?.close();
    vi.unstubAllEnvs();
    jobs = undefined;
    store = undefined;
    sandbox = undefined;
  });

  it('schedules and runs the first sync of a new integration', async () => {
    sandbox = await startSandbox({ seed: 5, accounts: 5, ous: 2 });
    vi.stubEnv('AWS_ENDPOINT_URL', sandbox.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', sandbox.platform.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', sandbox.platform.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    store = await tdb.open();
    const databaseUrl = await storeDatabaseUrl(store);
    const { integrationId } = await seedIntegration(store, sandbox, { permissionMode: 'none' });
    const config = loadConfig({ env: {}, file: { aws: { region: sandbox.region } }, ...(databaseUrl === undefined ? {} : { flags: { databaseUrl, secretKey: Buffer.alloc(32, 7).toString('base64') } }) });
    jobs = await startServerJobs({ store, config });

    const db = withSyncTables(store.db);
    const integration = await waitFor(
      async () => {
        const row = await db.selectFrom('integrations').select(['last_sync_status', 'last_synced_at']).where('id', '=', integrationId).executeTakeFirstOrThrow();
        return row.last_sync_status !== null ? row : undefined;
      },
      { what: 'the scheduled sync to finish', timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(integration.last_sync_status).toBe('succeeded');
    const runs = await db.selectFrom('sync_runs').select(['trigger', 'status']).where('integration_id', '=', integrationId).execute();
    expect(runs).toEqual([{ trigger: 'schedule', status: 'succeeded' }]);
    expect(await actualMirror(store, integrationId)).toEqual(expectedMirror(sandbox));
  });
});
