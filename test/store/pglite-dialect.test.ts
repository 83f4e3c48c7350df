/**
 * The PGlite dialect's own promises, beyond what every backend shares: transactions are
 * strictly serialized on the single connection, multi-statement SQL works like
 * node-postgres, and closing waits for the transaction in flight.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';

const pglite = testDatabases.find((tdb) => tdb.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test database is missing');

describe('pglite dialect', () => {
  let store: Store;
  beforeAll(async () => {
    store = await pglite.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('runs concurrent transactions one after another: each sees all the ones before it', async () => {
    const count = 8;
    const seen = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        store.db.transaction().execute(async (trx) => {
          const { total } = await trx
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<string>().as('total'))
            .where('action', '=', 'serial.test')
            .executeTakeFirstOrThrow();
          // Yield between read and write: an interleaved transaction would read the same total.
          await new Promise((resolve) => setImmediate(resolve));
          await trx.insertInto('audit_log').values({ action: 'serial.test', target_kind: 't', target_id: `n${index}` }).execute();
          return Number(total);
        }),
      ),
    );
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, index) => index));
  });

  it('runs several statements in one parameterless query, as node-postgres does', async () => {
    await sql`CREATE TEMP TABLE multi (n int); INSERT INTO multi VALUES (1), (2); INSERT INTO multi VALUES (3)`.execute(store.db);
    const { rows } = await sql<{ total: string }>`SELECT sum(n) AS total FROM multi`.execute(store.db);
    expect(rows).toEqual([{ total: '6' }]);
  });

  it('reports affected rows of updates and deletes', async () => {
    await store.db
      .insertInto('tenants')
      .values([
        { id: 't_affected0001', name: 'A', plan: 'standard' },
        { id: 't_affected0002', name: 'B', plan: 'standard' },
      ])
      .execute();
    const updated = await store.db.updateTable('tenants').set({ plan: 'enterprise' }).where('id', 'like', 't_affected%').executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await store.db.deleteFrom('tenants').where('id', '=', 't_affected0001').executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
  });

  it('streams results in chunks', async () => {
    const chunks: string[] = [];
    for await (const row of store.db.selectFrom('audit_log').select('target_id').where('action', '=', 'serial.test').stream(3)) {
      chunks.push(row.target_id);
    }
    expect(chunks).toHaveLength(8);
  });

  it('keeps working after a failed statement inside a transaction', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`SELECT * FROM no_such_table`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '42P01' });
    expect(await store.db.selectFrom('tenants').select('id').where('id', '=', 't_affected0002').execute()).toHaveLength(1);
  });

  it('on close, lets the open transaction finish first, then refuses new queries', async () => {
    const own = await pglite.open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const inside = new Promise<void>((resolve) => {
      started = resolve;
    });
    const transaction = own.db.transaction().execute(async (trx) => {
      started();
      await gate;
      await trx.insertInto('tenants').values({ id: 't_closing00001', name: 'C', plan: 'standard' }).execute();
      return 'committed';
    });
    await inside;
    const closing = own.close();
    release();
    expect(await transaction).toBe('committed');
    await closing;
    await expect(own.db.selectFrom('tenants').select('id').execute()).rejects.toThrow();
  });
});
