/**
 * A Kysely dialect for PGlite. PGlite is a single PostgreSQL backend in WASM: one
 * connection, one session. Kysely asks its driver for a connection per query and holds
 * one for the whole of a transaction, so the driver hands out that single connection
 * under a mutex: a transaction owns it from BEGIN to COMMIT/ROLLBACK and every other
 * query waits its turn. Without that, a query issued elsewhere would silently run
 * inside someone else's transaction.
 *
 * Values come back as node-postgres returns them, so queries behave the same on both
 * backends: int8 (count(*), bigserial) and numeric as strings, jsonb parsed,
 * timestamptz as Date.
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  CompiledQuery as Compiled,
} from 'kysely';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Parsers that make PGlite return what node-postgres returns for the same types. */
export const pgCompatibleParsers: Record<number, (value: string) => unknown> = {
  [INT8_OID]: (value) => value,
  [NUMERIC_OID]: (value) => value,
};

export interface PgliteDialectConfig {
  /** The instance to use; the dialect owns it and closes it on destroy. */
  pglite: PGlite;
  /** Runs after the instance is closed (e.g. to release a data-directory lock). */
  onDestroy?: () => Promise<void> | void;
}

/** The single connection and its turn-taking, shared by the Kysely driver and other users (the job queue). */
interface PgliteSession {
  mutex: Mutex;
  destroyed: boolean;
}

/** Kysely dialect over one PGlite instance (PostgreSQL SQL, adapter and introspection). */
export class PgliteDialect implements Dialect {
  readonly #config: PgliteDialectConfig;
  readonly #session: PgliteSession = { mutex: new Mutex(), destroyed: false };

  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }

  /**
   * Runs `fn` on the PGlite instance while holding the connection, exactly as a Kysely
   * query or transaction would: nothing else runs on the connection until it settles.
   * For code that talks to PGlite directly (pg-boss's executeSql adapter).
   */
  async runExclusive<T>(fn: (pglite: PGlite) => Promise<T>): Promise<T> {
    const release = await this.#session.mutex.lock();
    try {
      if (this.#session.destroyed) throw new Error('the PGlite store has been closed');
      return await fn(this.#config.pglite);
    } finally {
      release();
    }
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#config, this.#session);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** FIFO mutex: `lock()` resolves with a release function once every earlier holder released. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    await previous;
    return release;
  }
}

class PgliteDriver implements Driver {
  readonly #config: PgliteDialectConfig;
  readonly #session: PgliteSession;
  readonly #connection: PgliteConnection;
  #release: (() => void) | null = null;

  constructor(config: PgliteDialectConfig, session: PgliteSession) {
    this.#config = config;
    this.#session = session;
    this.#connection = new PgliteConnection(config.pglite);
  }

  async init(): Promise<void> {
    await this.#config.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#session.mutex.lock();
    if (this.#session.destroyed) {
      release();
      throw new Error('the PGlite store has been closed');
    }
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      statement = 'start transaction';
      if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) statement += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(Compiled.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(Compiled.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(Compiled.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(Compiled.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(Compiled.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(Compiled.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    if (this.#session.destroyed) return;
    // Wait for the query or transaction in flight, then refuse everything after it.
    const release = await this.#session.mutex.lock();
    this.#session.destroyed = true;
    try {
      if (!this.#config.pglite.closed) await this.#config.pglite.close();
    } finally {
      release();
      await this.#config.onDestroy?.();
    }
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Like node-postgres: without parameters use the simple protocol, which also accepts
    // several statements at once (migrations rely on that); with parameters, extended.
    const result: Results<R> | undefined =
      compiledQuery.parameters.length === 0
        ? ((await this.#pglite.exec(compiledQuery.sql)).at(-1) as Results<R> | undefined)
        : await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    if (result === undefined) return { rows: [] };
    const command = result.command;
    const counted = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return {
      rows: result.rows,
      ...(counted ? { numAffectedRows: BigInt(result.rowCount ?? result.affectedRows ?? 0) } : {}),
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    // PGlite has no cursors over its JS API; the whole result is in memory anyway.
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) {
      yield { rows: rows.slice(start, start + chunkSize) };
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
