/**
 * `orglink worker` as a subprocess: it refuses what it cannot run (no PostgreSQL, bad flags,
 * bad job timings), and takes its job timings from the config, flags over file over env.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { testDatabases } from '../support/databases.js';
import { storeDatabaseUrl } from './fixtures/job-queries.js';
import { startWorkerProcess } from './fixtures/worker-process.js';

const ENTRY = fileURLToPath(new URL('../../bin/orglink.mjs', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'orglink-worker-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** This process's environment without orglink's own variables. */
function baseEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ORGLINK_') && key !== 'DATABASE_URL')) as Record<string, string>;
}

function runWorker(args: string[], env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [ENTRY, 'worker', ...args], { cwd, env: { ...baseEnv(), ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr };
}

const SHARED = { DATABASE_URL: 'postgres://127.0.0.1:5432/none', ORGLINK_SECRET_KEY: randomBytes(32).toString('base64') };

describe('orglink worker', () => {
  it.each([
    ['without DATABASE_URL', [], {}, '[database_url_required]'],
    ['with --concurrency 0', ['--concurrency', '0'], SHARED, "--concurrency must be an integer of at least 1, got '0' (field: concurrency) [invalid_flag_value]"],
    ['with --tick-seconds soon', ['--tick-seconds', 'soon'], {}, "--tick-seconds must be an integer of at least 1, got 'soon' (field: tick-seconds) [invalid_flag_value]"],
    // Past what pg-boss accepts (under 24 hours): refused by the config schema, whatever the source.
    ['with --job-expire-seconds 86400', ['--job-expire-seconds', '86400'], SHARED, 'jobs.expireSeconds (command-line flag): must be at most 86399'],
    ['with ORGLINK_JOBS_CONCURRENCY=0', [], { ...SHARED, ORGLINK_JOBS_CONCURRENCY: '0' }, 'jobs.concurrency (ORGLINK_JOBS_CONCURRENCY): must be at least 1'],
  ])('refuses to start %s', (_name, args, env, message) => {
    const result = runWorker(args, env);
    expect(result.stderr).toContain(message);
    expect(result.status).toBe(EXIT.usage);
    // Refused before anything was written: no embedded-mode secret key appeared.
    expect(existsSync(join(cwd, '.orglink'))).toBe(false);
  });
});

const postgres = testDatabases.find((tdb) => tdb.name === 'postgres');
if (postgres === undefined) throw new Error('the postgres test database is missing');

describe('orglink worker job timings', () => {
  it('come from the config: flags over the config file over the environment', async () => {
    const store = await postgres.open();
    try {
      const databaseUrl = await storeDatabaseUrl(store);
      if (databaseUrl === undefined) throw new Error('no database URL');
      const configPath = join(cwd, 'orglink.yaml');
      writeFileSync(configPath, 'jobs:\n  concurrency: 3\n  expireSeconds: 600\n');
      const worker = await startWorkerProcess(['--config', configPath, '--concurrency', '1', '--job-retry-delay-seconds', '7'], {
        ...baseEnv(),
        DATABASE_URL: databaseUrl,
        ORGLINK_SECRET_KEY: randomBytes(32).toString('base64'),
        ORGLINK_JOBS_CONCURRENCY: '5',
        ORGLINK_JOBS_EXPIRE_SECONDS: '300',
        ORGLINK_JOBS_RETRY_LIMIT: '6',
        ORGLINK_JOBS_RETRY_DELAY_SECONDS: '99',
      });
      try {
        expect(worker.stdout()).toContain('running: 1 sync(s) at once'); // flag over file (3) over env (5)
        // This worker created the fresh database's sync queue, with its job policy.
        const { rows } = await sql<{ expire_seconds: number; retry_limit: number; retry_delay: number }>`
          SELECT expire_seconds, retry_limit, retry_delay FROM pgboss.queue WHERE name = 'integration-sync'`.execute(store.db);
        expect(rows).toEqual([{ expire_seconds: 600, retry_limit: 6, retry_delay: 7 }]); // file, env, flag
      } finally {
        worker.child.kill('SIGTERM');
        expect(await worker.waitForExit()).toBe(0);
      }
    } finally {
      await store.close();
    }
  });
});
