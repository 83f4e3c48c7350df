/**
 * Opens orglink's database and brings its schema up to date. Two backends, one SQL:
 * - a PostgreSQL server when `databaseUrl` is given (a `pg` pool; any number of
 *   orglink processes may share it);
 * - otherwise embedded PGlite, in `<dataDir>/pgdata` (one process at a time, enforced by
 *   a lock file) or in memory.
 * Precedence: databaseUrl, then memory, then dataDir.
 */
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { type ClusterInit, ensurePgliteCluster, pgliteStartParams, useBaselineWasmCompiler } from './pglite-cluster.js';
import { PgliteDialect, pgCompatibleParsers } from './pglite-dialect.js';

export interface OpenStoreOptions {
  /** postgres://… — use a PostgreSQL server. */
  databaseUrl?: string;
  /** Directory for the embedded database (created if missing). */
  dataDir?: string;
  /** Embedded database in memory, gone on close (tests, demos). */
  memory?: boolean;
  /** Embedded only: memory settings (see pglite-cluster.ts). */
  embedded?: EmbeddedOptions;
}

/** How the embedded database uses memory. */
export interface EmbeddedOptions {
  /** PostgreSQL's shared_buffers in MB (default DEFAULT_PGLITE_SHARED_BUFFERS_MB). */
  sharedBuffersMb?: number;
  /** Let V8 optimize PGlite's WebAssembly: faster on long queries, ~70–100 MB more RSS (default false). */
  optimizingCompiler?: boolean;
}

/** An open, migrated database. `close()` must be called or the process will not exit. */
export interface Store {
  db: Kysely<Database>;
  dialect: 'pglite' | 'postgres';
  /** Migrations this open applied (empty when the schema was already up to date). */
  appliedMigrations: string[];
  /** Embedded only: the PGlite instance and its connection lock, for code that must share the one connection (the job queue). */
  pglite?: PgliteAccess;
  /** Embedded data directory only: whether this open created the cluster, and the initdb child's peak RSS. */
  clusterInit?: ClusterInit;
  close(): Promise<void>;
}

/** Direct access to the embedded database, taking turns with Kysely on its single connection. */
export interface PgliteAccess {
  instance: PGlite;
  /** Runs `fn` while holding the connection: no Kysely query or transaction interleaves. */
  runExclusive<T>(fn: (pglite: PGlite) => Promise<T>): Promise<T>;
}

/** Subdirectory of the data directory that holds PGlite's PGDATA. */
export const PGLITE_SUBDIR = 'pgdata';

/** Opens the configured database and runs pending migrations before returning it. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return openPostgresStore(options.databaseUrl);
  }
  if (options.embedded?.optimizingCompiler !== true) useBaselineWasmCompiler();
  const startParams = pgliteStartParams(options.embedded?.sharedBuffersMb);
  if (options.memory === true) {
    return storeFromPglite(await PGlite.create({ parsers: pgCompatibleParsers, startParams }));
  }
  if (options.dataDir !== undefined && options.dataDir !== '') {
    return openDataDirStore(options.dataDir, startParams);
  }
  throw new Error('openStore needs one of: databaseUrl, memory: true, or dataDir');
}

/** Wraps an existing PGlite instance (created with `pgCompatibleParsers`) and migrates it. */
export async function storeFromPglite(pglite: PGlite, onClose?: () => Promise<void>): Promise<Store> {
  const dialect = new PgliteDialect({ pglite, ...(onClose === undefined ? {} : { onDestroy: onClose }) });
  const db = new Kysely<Database>({ dialect });
  const store = await finishOpening(db, 'pglite');
  return { ...store, pglite: { instance: pglite, runExclusive: (fn) => dialect.runExclusive(fn) } };
}

async function openDataDirStore(dataDir: string, startParams: string[]): Promise<Store> {
  const absolute = resolve(dataDir);
  await mkdir(absolute, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(absolute);
  const pgdata = join(absolute, PGLITE_SUBDIR);
  let pglite: PGlite;
  let clusterInit: ClusterInit;
  try {
    clusterInit = await ensurePgliteCluster(pgdata, startParams);
    pglite = await PGlite.create({ dataDir: pgdata, parsers: pgCompatibleParsers, startParams });
  } catch (error) {
    await lock.release();
    throw new Error(`cannot open the embedded database in ${absolute}: ${describe(error)}`, { cause: error });
  }
  return { ...(await storeFromPglite(pglite, () => lock.release())), clusterInit };
}

async function openPostgresStore(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({ ...postgresConnectionConfig(databaseUrl), max: 10 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(databaseUrl)}: ${describe(error)}`, {
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return finishOpening(db, 'postgres');
}

async function finishOpening(db: Kysely<Database>, dialect: Store['dialect']): Promise<Store> {
  let appliedMigrations: string[];
  try {
    appliedMigrations = await migrateToLatest(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    db,
    dialect,
    appliedMigrations,
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}

/**
 * node-postgres connection settings for a URL. Like libpq, a URL without a user name
 * connects as PGUSER or else the operating-system user (node-postgres alone would read
 * only $USER, which is unset in many containers and services).
 */
export function postgresConnectionConfig(databaseUrl: string): pg.ClientConfig {
  if (!URL.canParse(databaseUrl)) return { connectionString: databaseUrl };
  const url = new URL(databaseUrl);
  if (url.username !== '' || process.env.PGUSER || process.env.USER) return { connectionString: databaseUrl };
  // The URL's fields override a separate `user` option in node-postgres, so set it in the URL.
  url.username = encodeURIComponent(userInfo().username);
  return { connectionString: url.toString() };
}

/** The URL with any password replaced, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}
