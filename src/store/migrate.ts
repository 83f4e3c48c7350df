/**
 * Runs the bundled migrations to the latest version. On PostgreSQL, Kysely's adapter
 * holds a session advisory lock for the whole run and applies every pending migration in
 * one transaction, so two orglink processes starting at once serialize: the second sees
 * the first one's work and has nothing to do.
 */
import { type Kysely, Migrator } from 'kysely';
import { bundledMigrationProvider } from './migrations/index.js';

/** Thrown when a migration fails; the database is left at the last good version. */
export class MigrationError extends Error {
  readonly migrationName: string | undefined;

  constructor(message: string, migrationName: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
    this.migrationName = migrationName;
  }
}

/** Applies pending migrations; returns the names it applied (empty when up to date). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: bundledMigrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      failed === undefined ? `database migration failed: ${reason}` : `migration ${failed} failed: ${reason}`,
      failed,
      error,
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
