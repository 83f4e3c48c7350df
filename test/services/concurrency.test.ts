import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { createIntegration } from '../../src/services/integration-service.js';
import { createTenant } from '../../src/services/tenant-service.js';
import { bootstrapAdmin } from '../../src/services/bootstrap.js';
import type { Actor, ServiceDeps } from '../../src/services/context.js';
import type { Store } from '../../src/store/open-store.js';
import { isDomainError } from '../../src/core/errors.js';

describe.each(testDatabases)('services under concurrent writes on $name', (tdb) => {
  let store: Store;
  let deps: ServiceDeps;
  let admin: Actor;
  beforeAll(async () => {
    store = await tdb.open();
    deps = { db: store.db, clock: () => new Date() };
    const boot = await bootstrapAdmin({ db: store.db });
    admin = { userId: boot.userId, tokenId: null, isAdmin: true };
  });
  afterAll(async () => {
    await store.close();
  });

  it('lets exactly one of two racing creates take a handle; the other gets 409 handle_taken', async () => {
    const tenant = await createTenant(deps, admin, { name: 'Race', plan: 'enterprise' });
    const scope = { kind: 'tenant' as const, tenantId: tenant.id };
    const results = await Promise.allSettled([
      createIntegration(deps, admin, scope, { handle: 'racer', discovery: { roleName: 'R' } }),
      createIntegration(deps, admin, scope, { handle: 'racer', discovery: { roleName: 'R' } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && isDomainError(rejected.reason) ? rejected.reason.code : rejected).toBe('handle_taken');
    const rows = await store.db.selectFrom('integrations').select('id').where('handle', '=', 'racer').execute();
    expect(rows).toHaveLength(1);
    const audit = await store.db.selectFrom('audit_log').select('id').where('action', '=', 'integration.create').where('tenant_id', '=', tenant.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('lets exactly one of two racing creates take an External ID', async () => {
    const tenant = await createTenant(deps, admin, { name: 'Race 2', plan: 'enterprise' });
    const scope = { kind: 'tenant' as const, tenantId: tenant.id };
    const externalId = `${tenant.id}:Racing01`;
    const results = await Promise.allSettled([
      createIntegration(deps, admin, scope, { handle: 'one', discovery: { roleName: 'R', externalId } }),
      createIntegration(deps, admin, scope, { handle: 'two', discovery: { roleName: 'R', externalId } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && isDomainError(rejected.reason) ? rejected.reason.code : rejected).toBe('external_id_taken');
  });
});
