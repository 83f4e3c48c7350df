/**
 * What every service function receives: narrow dependencies (the database and a clock,
 * never a global config) and the Actor on whose behalf it acts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.js';

/** Who is acting: the user behind the API token, and whether they operate the installation. */
export interface Actor {
  userId: string;
  /** The API token used; null for internal callers such as bootstrap and demo seeding. */
  tokenId: string | null;
  /** The installation admin (bootstrap token) may do everything except bypass plan rules. */
  isAdmin: boolean;
  /** Correlates audit entries with request logs. */
  requestId?: string;
}

/** The dependencies of most services. */
export interface ServiceDeps {
  db: Kysely<Database>;
  clock: () => Date;
}

/** A database handle that may already be inside a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one transaction: the mutation and its audit entry commit or roll back together. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
