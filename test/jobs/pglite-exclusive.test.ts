/**
 * The store's PGlite accessor takes turns with Kysely on the single connection: a
 * statement run through `runExclusive` never lands inside a Kysely transaction, and it
 * is refused once the store is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/open-store.js';
import { testDatabases } from '../support/databases.js';

const pglite = testDatabases.find((tdb) => tdb.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test database is missing');

describe('store.pglite.runExclusive', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('exists only on the embedded backend', async () => {
    store = await pglite.open();
    expect(store.pglite?.instance).toBeDefined();
  });

  it('waits for a Kysely transaction in flight instead of running inside it', async () => {
    store = await pglite.open();
    const access = store.pglite;
    if (access === undefined) throw new Error('no pglite access');
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => {
      releaseTransaction = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const transaction = store.db.transaction().execute(async (trx) => {
      await trx.insertInto('tenants').values({ id: 't_exclusive001', name: 'X', plan: 'standard' }).execute();
      entered();
      await held;
      throw new Error('roll back');
    });
    await inside;
    // Issued while the transaction is open: must see neither the uncommitted row nor be rolled back with it.
    const outside = access.runExclusive(async (db) => {
      await db.query(`INSERT INTO tenants (id, name, plan) VALUES ('t_exclusive002', 'Y', 'standard')`);
      return (await db.query<{ id: string }>(`SELECT id FROM tenants WHERE id LIKE 't_exclusive%' ORDER BY id`)).rows;
    });
    releaseTransaction();
    await expect(transaction).rejects.toThrow('roll back');
    expect(await outside).toEqual([{ id: 't_exclusive002' }]);
  });

  it('refuses work after the store closed', async () => {
    store = await pglite.open();
    const access = store.pglite;
    if (access === undefined) throw new Error('no pglite access');
    await store.close();
    await expect(access.runExclusive(async (db) => db.query('SELECT 1'))).rejects.toThrow('closed');
  });
});
