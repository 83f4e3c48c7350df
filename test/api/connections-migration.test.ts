/**
 * Migration 0003 on seeded data: standalone connections created before it keep the template they
 * had (the read_only member role), discovered ones stay null (they inherit), and down() undoes it.
 */
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { bundledMigrationProvider } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';

async function migrateTo(db: Kysely<Database>, target: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: bundledMigrationProvider }).migrateTo(target);
  if (error !== undefined) throw error;
}

async function connectionColumns(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_name = 'connections' ORDER BY column_name
  `.execute(db);
  return result.rows.map((row) => row.column_name);
}

describe.each(testDatabases)('migration 0003-connection-permissions on $name', (tdb) => {
  let store: Store;

  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('backfills standalone connections with read_only and leaves discovered ones null', async () => {
    const { db } = store;
    await migrateTo(db, '0002-sync');
    expect(await connectionColumns(db)).not.toContain('capabilities');

    // Raw SQL: at 0002 the Database type already names columns that do not exist yet.
    await sql`
      INSERT INTO tenants (id, name, plan) VALUES ('t_migration001', 'M', 'enterprise');
      INSERT INTO integrations (id, tenant_id, kind, handle, role_name, external_id, regions, advanced, capabilities,
        custom_policy_arns, extra_actions, permission_mode, permission_workspace_ids, updated_at)
      VALUES ('i_migration001', 't_migration001', 'aws_organization', 'int', 'R', 't_migration001:Abcd1234', '"all"', '{}',
        '["discovery"]', '[]', '[]', 'none', '[]', now());
      INSERT INTO connections (id, tenant_id, integration_id, handle, title, aws_account_id, role_name, external_id, state, updated_at)
      VALUES ('c_standalone01', 't_migration001', NULL, 'alone', 'Alone', '123456789012', 'R', 't_migration001:Efgh5678', 'active', now()),
             ('c_discovered01', 't_migration001', 'i_migration001', 'found', 'Found', '210987654321', NULL, NULL, 'active', now());
    `.execute(db);

    await migrateTo(db, '0003-connection-permissions');
    const rows = await db
      .selectFrom('connections')
      .select(['id', 'capabilities', 'custom_policy_arns', 'extra_actions'])
      .where('tenant_id', '=', 't_migration001')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'c_discovered01', capabilities: null, custom_policy_arns: null, extra_actions: null },
      { id: 'c_standalone01', capabilities: ['read_only'], custom_policy_arns: [], extra_actions: [] },
    ]);

    await migrateTo(db, '0002-sync');
    expect(await connectionColumns(db)).not.toContain('extra_actions');
    await migrateTo(db, '0003-connection-permissions');
    expect(await connectionColumns(db)).toEqual(expect.arrayContaining(['capabilities', 'custom_policy_arns', 'extra_actions']));
  });
});
