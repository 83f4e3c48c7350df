/**
 * The databases every storage-touching suite runs on:
 *   describe.each(testDatabases)('$name', (tdb) => { ... const store = await tdb.open(); ... })
 * Each `open()` gives a fresh, migrated database that no other test sees; `close()` on the
 * returned store disposes of it.
 *
 * - pglite: a migrated instance is dumped once (cached on disk under the OS temp dir, keyed
 *   by the migrations and PGlite version) and each open() loads that dump into a new
 *   in-memory instance (much faster than a fresh initdb plus migrations).
 * - postgres: TEST_DATABASE_URL (default postgres://127.0.0.1:5432/test) is the admin
 *   connection. A migrated template database, named after a hash of the migrations, is
 *   built once (under an advisory lock, so parallel workers don't race) and each open()
 *   runs CREATE DATABASE orglink_t_<random> TEMPLATE it; close() drops that database.
 *   An unreachable server fails the suite loudly: CI must never skip PostgreSQL silently.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrations } from '../../src/store/migrations/index.js';
import {
  type Store,
  openStore,
  postgresConnectionConfig,
  redactUrl,
  storeFromPglite,
} from '../../src/store/open-store.js';
import { pgErrorFields } from '../../src/store/pg-errors.js';
import { pgliteStartParams, useBaselineWasmCompiler } from '../../src/store/pglite-cluster.js';
import { pgCompatibleParsers } from '../../src/store/pglite-dialect.js';

// The same engine settings as `orglink serve` (src/store/pglite-cluster.ts), so tests run what ships.
useBaselineWasmCompiler();

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, isolated database; close the store when done. */
  open(): Promise<Store>;
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://127.0.0.1:5432/test';

/**
 * Fingerprint of the bundled migrations: a changed migration gets a new template. Hashes
 * the source files (named after the migrations) rather than `up.toString()`, which differs
 * between the TypeScript transforms of vitest and tsx.
 */
export const migrationsFingerprint: string = createHash('sha256')
  .update(
    Object.keys(migrations)
      .map((name) => `${name}\n${readFileSync(new URL(`../../src/store/migrations/${name}.ts`, import.meta.url), 'utf8')}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);

// --- PGlite -----------------------------------------------------------------------------

let pgliteDump: Promise<Blob> | null = null;

const pgliteVersion = (
  JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
/**
 * vitest isolates every test file in its own module context, so a per-process memo would
 * still migrate a fresh PGlite once per file; the dump is also cached on disk, keyed by the
 * migrations and the PGlite version, and shared by every file, worker and run.
 */
const dumpCachePath = join(tmpdir(), 'orglink-test-cache', `pglite-${pgliteVersion}-${migrationsFingerprint}.tar`);

async function buildPgliteDump(): Promise<Blob> {
  const pglite = await PGlite.create({ parsers: pgCompatibleParsers });
  const store = await storeFromPglite(pglite);
  try {
    return await pglite.dumpDataDir('none');
  } finally {
    await store.close();
  }
}

async function cachedPgliteDump(): Promise<Blob> {
  try {
    return new Blob([await readFile(dumpCachePath)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const dump = await buildPgliteDump();
  await mkdir(dirname(dumpCachePath), { recursive: true });
  // Write aside and rename: concurrent workers never read a half-written file.
  const partial = `${dumpCachePath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, dumpCachePath);
  return dump;
}

async function openPglite(): Promise<Store> {
  pgliteDump ??= cachedPgliteDump();
  let dump: Blob;
  try {
    dump = await pgliteDump;
  } catch (error) {
    pgliteDump = null;
    throw error;
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ loadDataDir: dump, parsers: pgCompatibleParsers, startParams: pgliteStartParams() });
  } catch (error) {
    // A damaged cache file: forget it, so the next open builds a fresh dump.
    pgliteDump = null;
    await rm(dumpCachePath, { force: true });
    throw error;
  }
  // Migrates nothing when the dump is current; a stale dump would just be brought up to date.
  return storeFromPglite(pglite);
}

// --- PostgreSQL -------------------------------------------------------------------------

const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
const templateName = `orglink_tpl_${migrationsFingerprint}`;
/** Arbitrary constant: the advisory lock that serializes template builds across workers. */
const TEMPLATE_LOCK_KEY = 7_480_001;

let templateReady: Promise<void> | null = null;

/** The URL of `database` on the test server. */
export function testDatabaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(postgresConnectionConfig(adminUrl));
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new Error(
      `PostgreSQL for tests is unreachable at ${redactUrl(adminUrl)} (${reason}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) ' +
        'or set TEST_DATABASE_URL. Storage tests never skip PostgreSQL.',
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function buildTemplate(): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateName]);
      if (exists.rowCount === 1) return;
      // Build under another name and rename at the end, so a crash mid-build never leaves
      // a half-migrated template behind under the real name.
      const building = `${templateName}_build`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      const store = await openStore({ databaseUrl: testDatabaseUrl(building) });
      await store.close();
      await retryWhileInUse(() => admin.query(`ALTER DATABASE ${building} RENAME TO ${templateName}`));
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

/**
 * Retries `run` while PostgreSQL reports the database in use (55006): a backend of a pool
 * that just ended may linger for a moment after the client side closed.
 */
async function retryWhileInUse<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (pgErrorFields(error)?.code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

async function ensureTemplate(): Promise<void> {
  templateReady ??= buildTemplate();
  try {
    await templateReady;
  } catch (error) {
    templateReady = null;
    throw error;
  }
}

async function openPostgres(): Promise<Store> {
  await ensureTemplate();
  const name = `orglink_t_${randomBytes(6).toString('hex')}`;
  const create = (admin: pg.Client) => retryWhileInUse(() => admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`));
  try {
    await withAdmin(create);
  } catch (error) {
    // Someone dropped the template after this worker built it: build it again, once.
    if (pgErrorFields(error)?.code !== '3D000') throw error;
    templateReady = null;
    await ensureTemplate();
    await withAdmin(create);
  }
  let store: Store;
  try {
    store = await openStore({ databaseUrl: testDatabaseUrl(name) });
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
  const closeStore = store.close;
  let closing: Promise<void> | null = null;
  return {
    ...store,
    close() {
      closing ??= closeStore().finally(() => dropDatabase(name));
      return closing;
    },
  };
}

/** An empty database (no migrations) on the test server, for tests of migrating itself. */
export async function createBlankDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `orglink_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  return { name, url: testDatabaseUrl(name), drop: () => dropDatabase(name) };
}

async function dropDatabase(name: string): Promise<void> {
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export const testDatabases: TestDatabase[] = [
  { name: 'pglite', open: openPglite },
  { name: 'postgres', open: openPostgres },
];
