/**
 * The schema's own guarantees: unique handles and External IDs, foreign keys, and the
 * cascade that removes a tenant's (or an integration's) rows and nothing else.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import type { Store } from '../../src/store/open-store.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../src/store/pg-errors.js';
import { testDatabases } from '../support/databases.js';
import { integrationRow, seedIds, seedTenant } from './seed.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe.each(testDatabases)('$name', (tdb) => {
  let store: Store;
  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('refuses a second integration with the same handle in the same tenant, even from another org', async () => {
    const ids = await seedTenant(store.db, 'uq1');
    await store.db.insertInto('orgs').values({ id: 'o_uq1other0001', tenant_id: ids.tenant, name: 'Other', plan: 'team' }).execute();
    const existing = await store.db.selectFrom('integrations').select('handle').where('id', '=', ids.integration).executeTakeFirstOrThrow();
    const error = await rejection(
      store.db
        .insertInto('integrations')
        .values(
          integrationRow(ids, {
            id: 'i_uq1second001',
            org_id: 'o_uq1other0001',
            handle: existing.handle,
            external_id: 'o_uq1other0001:Qw3rTy12',
          }),
        )
        .execute(),
    );
    expect(isUniqueViolation(error, 'integrations_tenant_id_handle_key')).toBe(true);
  });

  it('allows the same integration handle in another tenant', async () => {
    const first = await seedTenant(store.db, 'uq2a');
    const firstHandle = await store.db.selectFrom('integrations').select('handle').where('id', '=', first.integration).executeTakeFirstOrThrow();
    const second = seedIds('uq2b');
    await store.db.insertInto('tenants').values({ id: second.tenant, name: 'Other', plan: 'enterprise' }).execute();
    await store.db
      .insertInto('integrations')
      .values(integrationRow(second, { org_id: null, handle: firstHandle.handle, external_id: `${second.tenant}:Aa1Bb2Cc` }))
      .execute();
    const handles = await store.db.selectFrom('integrations').select('tenant_id').where('handle', '=', firstHandle.handle).execute();
    expect(handles.map((row) => row.tenant_id).sort()).toEqual([first.tenant, second.tenant].sort());
  });

  it('refuses an External ID already used by an integration of another tenant', async () => {
    const first = await seedTenant(store.db, 'uq3a');
    const { external_id } = await store.db.selectFrom('integrations').select('external_id').where('id', '=', first.integration).executeTakeFirstOrThrow();
    const second = seedIds('uq3b');
    await store.db.insertInto('tenants').values({ id: second.tenant, name: 'Other', plan: 'enterprise' }).execute();
    const error = await rejection(
      store.db.insertInto('integrations').values(integrationRow(second, { org_id: null, external_id })).execute(),
    );
    expect(isUniqueViolation(error, 'integrations_external_id_key')).toBe(true);
  });

  const duplicates: Array<[string, (db: Kysely<Database>) => Promise<unknown>]> = [
    ['users_email_key', (db) => db.insertInto('users').values({ id: 'u_dupemail0001', email: 'owner-uq4@example.com', name: 'Dup', is_admin: false }).execute()],
    [
      'api_tokens_token_hash_key',
      (db) => db.insertInto('api_tokens').values({ id: 'tok_duphash001', user_id: 'u_000000000uq4', name: 'x', token_hash: 'hash-uq4' }).execute(),
    ],
    [
      'workspaces_org_id_handle_key',
      (db) =>
        db
          .insertInto('workspaces')
          .values({ id: 'w_dupwksp0001', tenant_id: 't_000000000uq4', org_id: 'o_000000000uq4', handle: 'prod', name: 'Again' })
          .execute(),
    ],
  ];
  it.each(duplicates)('enforces %s', async (constraint, insertDuplicate) => {
    if (!(await store.db.selectFrom('tenants').select('id').where('id', '=', 't_000000000uq4').executeTakeFirst())) {
      await seedTenant(store.db, 'uq4');
    }
    expect(isUniqueViolation(await rejection(insertDuplicate(store.db)), constraint)).toBe(true);
  });

  it('refuses a standalone connection reusing another connection\'s External ID', async () => {
    const ids = await seedTenant(store.db, 'uq5');
    const error = await rejection(
      store.db
        .insertInto('connections')
        .values({
          id: 'c_uq5dupext001',
          tenant_id: ids.tenant,
          handle: 'dup-external',
          handle_is_custom: false,
          title: 'Dup',
          role_name: 'r',
          external_id: `${ids.tenant}:Zz9yX8wV`,
          state: 'active',
          health: 'unknown',
          updated_at: new Date(),
        })
        .execute(),
    );
    expect(isUniqueViolation(error, 'connections_external_id_key')).toBe(true);
  });

  it('refuses an org for a tenant that does not exist', async () => {
    const error = await rejection(
      store.db.insertInto('orgs').values({ id: 'o_orphan000001', tenant_id: 't_missing00001', name: 'x', plan: 'free' }).execute(),
    );
    expect(isForeignKeyViolation(error, 'orgs_tenant_id_fkey')).toBe(true);
  });

  it('deleting a tenant removes all its rows and leaves other tenants and users intact', async () => {
    const doomed = await seedTenant(store.db, 'cas1');
    const kept = await seedTenant(store.db, 'cas2');
    const result = await store.db.deleteFrom('tenants').where('id', '=', doomed.tenant).executeTakeFirst();
    expect(result.numDeletedRows).toBe(1n);
    const tenantTables = ['orgs', 'workspaces', 'memberships', 'integrations', 'folders', 'connections', 'permissions'] as const;
    for (const table of tenantTables) {
      const left = await store.db.selectFrom(table).select('tenant_id').where('tenant_id', '=', doomed.tenant).execute();
      expect({ table, left: left.length }).toEqual({ table, left: 0 });
      const other = await store.db.selectFrom(table).select('tenant_id').where('tenant_id', '=', kept.tenant).execute();
      expect({ table, kept: other.length > 0 }).toEqual({ table, kept: true });
    }
    // Users belong to the installation, not to a tenant; their tokens stay with them.
    expect(await store.db.selectFrom('users').select('id').where('id', '=', doomed.user).executeTakeFirst()).toBeDefined();
    expect(await store.db.selectFrom('api_tokens').select('id').where('id', '=', doomed.token).executeTakeFirst()).toBeDefined();
    // The audit log is history: it keeps the deleted tenant's entries.
    const audit = await store.db.selectFrom('audit_log').select('id').where('tenant_id', '=', doomed.tenant).execute();
    expect(audit.length).toBe(1);
  });

  it('deleting an integration removes its folders and connections but not standalone connections', async () => {
    const ids = await seedTenant(store.db, 'cas3');
    await store.db.deleteFrom('integrations').where('id', '=', ids.integration).execute();
    expect(await store.db.selectFrom('folders').select('id').where('integration_id', '=', ids.integration).execute()).toEqual([]);
    expect(await store.db.selectFrom('connections').select('id').where('id', '=', ids.connection).execute()).toEqual([]);
    expect(await store.db.selectFrom('connections').select('id').where('id', '=', ids.standalone).execute()).toEqual([
      { id: ids.standalone },
    ]);
  });

  it('deleting a user removes their memberships and tokens', async () => {
    const ids = await seedTenant(store.db, 'cas4');
    await store.db.deleteFrom('users').where('id', '=', ids.user).execute();
    expect(await store.db.selectFrom('memberships').select('id').where('user_id', '=', ids.user).execute()).toEqual([]);
    expect(await store.db.selectFrom('api_tokens').select('id').where('user_id', '=', ids.user).execute()).toEqual([]);
  });
});
