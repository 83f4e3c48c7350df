/**
 * Migrations are applied and every table round-trips its values with the same types on
 * both backends: jsonb parsed, timestamptz as Date, bigserial and count(*) as strings.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';
import { seedIds, seedTenant } from './seed.js';

const TABLES = [
  'api_tokens',
  'audit_log',
  'connections',
  'folders',
  'integrations',
  'memberships',
  'orgs',
  'permissions',
  'tenants',
  'users',
  'workspaces',
];

describe.each(testDatabases)('$name', (tdb) => {
  let store: Store;
  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('reports its dialect', () => {
    expect(store.dialect).toBe(tdb.name);
  });

  it('has applied every bundled migration, in order, and has nothing left to apply', async () => {
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(store.db)).toEqual([]);
  });

  it('has every table of the foundation schema', async () => {
    const tables = await store.db.introspection.getTables();
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(TABLES));
  });

  it('round-trips a tenant with a database-defaulted timestamptz as a Date', async () => {
    const before = Date.now();
    await store.db.insertInto('tenants').values({ id: 't_roundtrip001', name: 'Zeta', plan: 'standard' }).execute();
    const tenant = await store.db.selectFrom('tenants').selectAll().where('id', '=', 't_roundtrip001').executeTakeFirstOrThrow();
    expect(tenant).toMatchObject({ id: 't_roundtrip001', name: 'Zeta', plan: 'standard' });
    expect(tenant.created_at).toBeInstanceOf(Date);
    // Clocks of the test process and the server agree to well within a minute.
    expect(Math.abs(tenant.created_at.getTime() - before)).toBeLessThan(60_000);
  });

  it('round-trips every table of a seeded tenant', async () => {
    const ids = await seedTenant(store.db, 'rt1');
    const db = store.db;
    expect(await db.selectFrom('orgs').selectAll().where('id', '=', ids.org).executeTakeFirst()).toMatchObject({
      tenant_id: ids.tenant,
      plan: 'team',
    });
    expect(await db.selectFrom('workspaces').selectAll().where('id', '=', ids.workspace).executeTakeFirst()).toMatchObject({
      org_id: ids.org,
      handle: 'prod',
    });
    const user = await db.selectFrom('users').selectAll().where('id', '=', ids.user).executeTakeFirstOrThrow();
    expect(user.is_admin).toBe(false);
    const membership = await db.selectFrom('memberships').selectAll().where('user_id', '=', ids.user).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ scope_kind: 'tenant', role: 'owner' });
    expect(typeof membership.id).toBe('number'); // serial is int4: a number on both backends
    const token = await db.selectFrom('api_tokens').selectAll().where('id', '=', ids.token).executeTakeFirstOrThrow();
    expect(token).toMatchObject({ token_hash: 'hash-rt1', last_used_at: null, revoked_at: null });
    expect(await db.selectFrom('folders').selectAll().where('id', '=', ids.folder).executeTakeFirst()).toMatchObject({
      kind: 'root',
      handle_is_custom: false,
    });
    expect(await db.selectFrom('permissions').selectAll().where('id', '=', ids.permission).executeTakeFirst()).toMatchObject({
      grantee_kind: 'all_workspaces',
      grantee_id: null,
    });
  });

  it('writes jsonb as JSON strings and reads it back parsed', async () => {
    const ids = seedIds('rtjson');
    await seedTenant(store.db, 'rtjson');
    const integration = await store.db.selectFrom('integrations').selectAll().where('id', '=', ids.integration).executeTakeFirstOrThrow();
    expect(integration.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(integration.advanced).toEqual({ maxErrorRetryAttempts: 3, ignoreErrorCodes: ['AccessDenied'] });
    expect(integration.capabilities).toEqual(['discovery', 'read_only']);
    expect(integration.custom_policy_arns).toEqual([]);
    expect(integration.extra_actions).toEqual(['s3:Get*']);
    const standalone = await store.db.selectFrom('connections').selectAll().where('id', '=', ids.standalone).executeTakeFirstOrThrow();
    expect(standalone.regions).toBe('all'); // a JSON string value stays a string
    expect(standalone.account_scope).toEqual(['111122223333', '444455556666']);
    expect(standalone.advanced).toEqual({ defaultRegion: 'eu-west-1' });
    const attached = await store.db.selectFrom('connections').selectAll().where('id', '=', ids.connection).executeTakeFirstOrThrow();
    expect(attached.account_scope).toBeNull();
    expect(attached.health).toBe('unknown');
  });

  it('updates jsonb and timestamptz columns and reads the new values', async () => {
    const ids = seedIds('rtupd');
    await seedTenant(store.db, 'rtupd');
    const at = new Date('2027-03-04T05:06:07.089Z');
    const result = await store.db
      .updateTable('integrations')
      .set({ regions: JSON.stringify('all'), advanced: JSON.stringify({ nested: { deep: [1, 'two', null] } }), updated_at: at })
      .where('id', '=', ids.integration)
      .executeTakeFirst();
    expect(result.numUpdatedRows).toBe(1n);
    const integration = await store.db.selectFrom('integrations').selectAll().where('id', '=', ids.integration).executeTakeFirstOrThrow();
    expect(integration.regions).toBe('all');
    expect(integration.advanced).toEqual({ nested: { deep: [1, 'two', null] } });
    expect(integration.updated_at).toBeInstanceOf(Date);
    expect(integration.updated_at.toISOString()).toBe(at.toISOString());
  });

  it('accepts timestamptz written as an ISO string with an offset', async () => {
    const ids = seedIds('rtiso');
    await seedTenant(store.db, 'rtiso');
    await store.db
      .updateTable('api_tokens')
      .set({ last_used_at: '2026-06-01T12:00:00.123+02:00' })
      .where('id', '=', ids.token)
      .execute();
    const token = await store.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', ids.token).executeTakeFirstOrThrow();
    expect(token.last_used_at?.toISOString()).toBe('2026-06-01T10:00:00.123Z');
  });

  it('reads bigserial ids as increasing decimal strings', async () => {
    const rows = [];
    for (const action of ['a.one', 'a.two']) {
      rows.push(
        await store.db
          .insertInto('audit_log')
          .values({ action, target_kind: 'test', target_id: 'x', before: null, after: JSON.stringify({ action }) })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    }
    const [first, second] = rows;
    expect(typeof first?.id).toBe('string');
    expect(first?.id).toMatch(/^\d+$/);
    expect(BigInt(second?.id ?? '0')).toBeGreaterThan(BigInt(first?.id ?? '0'));
    expect(second?.after).toEqual({ action: 'a.two' });
    expect(second?.before).toBeNull();
    expect(second?.at).toBeInstanceOf(Date);
  });

  it('reads count(*) as a string, like node-postgres', async () => {
    const { count } = await store.db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    expect(typeof count).toBe('string');
  });

  it('binds arrays, booleans, nulls and numbers as parameters', async () => {
    const ids = seedIds('rtparams');
    await seedTenant(store.db, 'rtparams');
    const found = await store.db
      .selectFrom('connections')
      .select('id')
      .where('id', 'in', [ids.connection, ids.standalone])
      .where('handle_is_custom', 'in', [true, false])
      .where(sql<boolean>`${sql.val(null)}::text IS NULL`)
      .where(sql<boolean>`${sql.val(2)} > 1`)
      .orderBy('id')
      .execute();
    expect(found.map((row) => row.id).sort()).toEqual([ids.connection, ids.standalone].sort());
    const any = await sql<{ id: string }>`SELECT id FROM connections WHERE id = ANY(${[ids.connection]}::text[])`.execute(store.db);
    expect(any.rows).toEqual([{ id: ids.connection }]);
  });

  it('rejects a row that breaks a CHECK constraint', async () => {
    await expect(
      sql`INSERT INTO tenants (id, name, plan) VALUES ('t_rtcheck00001', 'Bad', 'gold')`.execute(store.db),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
