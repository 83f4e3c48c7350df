/**
 * The ordered list of migrations, bundled in code so that a packaged orglink never
 * reads SQL from disk. Names sort in the order they run; add new ones as
 * `NNNN-what-it-does` and never edit a migration that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as sync from './0002-sync.js';
import * as connectionPermissions from './0003-connection-permissions.js';

/** Every migration by name, in the order they apply. */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': initial,
  '0002-sync': sync,
  '0003-connection-permissions': connectionPermissions,
});

/** Kysely migration provider over the bundled list. */
export const bundledMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...migrations };
  },
};
