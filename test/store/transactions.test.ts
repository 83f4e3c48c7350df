/**
 * Nothing is ever half-written: a transaction that fails leaves no trace. On PGlite (one
 * connection) a transaction also holds that connection until it ends, so a query from
 * elsewhere never runs inside it and never sees its uncommitted rows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/open-store.js';
import { isUniqueViolation } from '../../src/store/pg-errors.js';
import { testDatabases } from '../support/databases.js';
import { integrationRow, seedIds, seedTenant } from './seed.js';

class Deliberate extends Error {}

describe.each(testDatabases)('$name', (tdb) => {
  let store: Store;
  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function tenantExists(id: string): Promise<boolean> {
    return (await store.db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  it('rolls back every write when the callback throws', async () => {
    const ids = seedIds('tx1');
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: ids.tenant, name: 'Tx', plan: 'standard' }).execute();
        await trx.insertInto('orgs').values({ id: ids.org, tenant_id: ids.tenant, name: 'Tx', plan: 'free' }).execute();
        throw new Deliberate('stop here');
      }),
    ).rejects.toBeInstanceOf(Deliberate);
    expect(await tenantExists(ids.tenant)).toBe(false);
    expect(await store.db.selectFrom('orgs').select('id').where('id', '=', ids.org).execute()).toEqual([]);
  });

  it('rolls back earlier writes when a later statement violates a constraint', async () => {
    const existing = await seedTenant(store.db, 'tx2');
    const { external_id } = await store.db
      .selectFrom('integrations')
      .select('external_id')
      .where('id', '=', existing.integration)
      .executeTakeFirstOrThrow();
    const ids = seedIds('tx2b');
    const failure = await store.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: ids.tenant, name: 'Tx', plan: 'enterprise' }).execute();
        await trx.insertInto('integrations').values(integrationRow(ids, { org_id: null, external_id })).execute();
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isUniqueViolation(failure, 'integrations_external_id_key')).toBe(true);
    expect(await tenantExists(ids.tenant)).toBe(false);
  });

  it('rolls back to a savepoint and commits the rest', async () => {
    const kept = seedIds('tx3a');
    const undone = seedIds('tx3b');
    const trx = await store.db.startTransaction().execute();
    try {
      await trx.insertInto('tenants').values({ id: kept.tenant, name: 'Kept', plan: 'standard' }).execute();
      const savepoint = await trx.savepoint('before_second').execute();
      await savepoint.insertInto('tenants').values({ id: undone.tenant, name: 'Undone', plan: 'standard' }).execute();
      const back = await savepoint.rollbackToSavepoint('before_second').execute();
      await back.releaseSavepoint('before_second').execute();
      await trx.commit().execute();
    } catch (error) {
      await trx.rollback().execute();
      throw error;
    }
    expect(await tenantExists(kept.tenant)).toBe(true);
    expect(await tenantExists(undone.tenant)).toBe(false);
  });

  it('never shows a query outside a transaction the rows that transaction later rolls back', async () => {
    const ids = seedIds('tx4');
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const transaction = store.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: ids.tenant, name: 'Phantom', plan: 'standard' }).execute();
        inserted();
        await gate;
        throw new Deliberate('roll back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Deliberate)) throw error;
      });
    await insertDone;
    // Issued while the transaction is open: on PGlite it must wait for the rollback.
    const outside = store.db.selectFrom('tenants').select('id').where('id', '=', ids.tenant).execute();
    await sleep(50); // give a wrongly shared connection the chance to run the query now
    finish();
    await transaction;
    expect(await outside).toEqual([]);
    expect(await tenantExists(ids.tenant)).toBe(false);
  });

  it('completes many concurrent transactions and plain queries, none lost', async () => {
    const count = 12;
    const work = Array.from({ length: count }, (_, index) =>
      store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('audit_log')
          .values({ action: 'tx.concurrent', target_kind: 'test', target_id: `n${index}`, after: JSON.stringify({ index }) })
          .execute();
        const { total } = await trx
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<string>().as('total'))
          .where('action', '=', 'tx.concurrent')
          .executeTakeFirstOrThrow();
        return Number(total);
      }),
    );
    const reads = Array.from({ length: count }, () => store.db.selectFrom('tenants').select('id').limit(1).execute());
    const seen = await Promise.all(work);
    await Promise.all(reads);
    expect(seen.every((total) => total >= 1 && total <= count)).toBe(true);
    const rows = await store.db.selectFrom('audit_log').select('target_id').where('action', '=', 'tx.concurrent').execute();
    expect(rows.map((row) => row.target_id).sort()).toEqual(Array.from({ length: count }, (_, index) => `n${index}`).sort());
  });

  it('refuses queries after close, and close is idempotent', async () => {
    const own = await tdb.open();
    await own.close();
    await own.close();
    await expect(own.db.selectFrom('tenants').select('id').execute()).rejects.toThrow();
  });
});
