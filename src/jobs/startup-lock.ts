/**
 * One pg-boss start-up at a time per PostgreSQL database. pg-boss creates its schema and
 * each queue's partition table with DDL that deadlocks when several processes start on a
 * fresh database at once, so starters queue on a session advisory lock held on a
 * connection of their own. PGlite lives in one process and needs no lock.
 */
import pg from 'pg';
import { postgresConnectionConfig } from '../store/open-store.js';

/** An arbitrary, fixed advisory-lock key for "pg-boss start-up" (the bytes of "olkboss"). */
const STARTUP_LOCK_KEY = 0x6f6c6b626f7373n;

/** Runs `fn` while holding the database-wide start-up lock; `databaseUrl` undefined runs it directly. */
export async function withStartupLock<T>(databaseUrl: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (databaseUrl === undefined) return fn();
  const client = new pg.Client(postgresConnectionConfig(databaseUrl));
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY.toString()]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY.toString()]);
    }
  } finally {
    await client.end();
  }
}
