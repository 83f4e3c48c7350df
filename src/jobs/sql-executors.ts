/**
 * The `db: { executeSql }` objects pg-boss runs on, one per backend:
 * - PGlite: through the store's connection lock, so a pg-boss statement never lands inside
 *   a Kysely transaction on the single connection. Text without values may hold several
 *   statements (pg-boss's migrations and its locked maintenance commands): `exec`, whose
 *   last result is what node-postgres would return. With values: `query`.
 * - PostgreSQL: a pool of its own (pg-boss's polling must not starve the API's pool).
 * Both count statements in flight, so closing waits for pg-boss's last writes: pg-boss
 * completes a job without awaiting it, and that write must not be cut off.
 */
import pg from 'pg';
import type { PgliteAccess } from '../store/open-store.js';
import { postgresConnectionConfig } from '../store/open-store.js';

export interface SqlResult {
  rows: unknown[];
}

/** What pg-boss calls, plus an orderly close. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<SqlResult>;
  /** Waits for statements in flight, then releases what the executor owns; later calls are refused. */
  close(): Promise<void>;
}

/** Counts promises in flight so close() can wait for them. */
class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const forget = () => this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}

/** pg-boss on the embedded database, sharing its one connection with Kysely. */
export function pgliteExecutor(access: PgliteAccess): SqlExecutor {
  const inFlight = new InFlight();
  let closed = false;
  return {
    executeSql(text, values) {
      if (closed) return Promise.reject(new Error('the job queue is closed'));
      return inFlight.track(
        access.runExclusive(async (pglite): Promise<SqlResult> => {
          if (values === undefined || values.length === 0) {
            const results = await pglite.exec(text);
            return { rows: results.at(-1)?.rows ?? [] };
          }
          const result = await pglite.query(text, values);
          return { rows: result.rows };
        }),
      );
    },
    async close() {
      closed = true;
      await inFlight.drain();
    },
  };
}

/** pg-boss on a PostgreSQL server, with a small pool of its own. */
export function postgresExecutor(databaseUrl: string, options: { max?: number } = {}): SqlExecutor {
  const pool = new pg.Pool({ ...postgresConnectionConfig(databaseUrl), max: options.max ?? 4, application_name: 'orglink-jobs' });
  // An idle client losing its server must not crash the process; the next statement reports it.
  pool.on('error', () => undefined);
  const inFlight = new InFlight();
  let closed = false;
  let ended: Promise<void> | null = null;
  return {
    executeSql(text, values) {
      if (closed) return Promise.reject(new Error('the job queue is closed'));
      return inFlight.track(pool.query(text, values).then((result) => ({ rows: result.rows as unknown[] })));
    },
    async close() {
      closed = true;
      await inFlight.drain();
      ended ??= pool.end();
      await ended;
    },
  };
}
