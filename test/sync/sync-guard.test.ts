/**
 * The delete guard (share and count) with approvals, auto-approve, overrides that survive
 * moves and prefix changes, and dry runs that write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccountToOrganization, moveAccount, removeAccountFromOrganization } from '../../packages/sandbox/src/organization-state.js';
import { ConflictError } from '../../src/core/errors.js';
import { newId } from '../../src/core/ids.js';
import { integrationView } from '../../src/services/integration-view.js';
import { approveSyncRun, runIntegrationSync } from '../../src/services/sync/sync-service.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, databaseFingerprint, expectedMirror, startSyncWorld, type SyncWorld } from './sync-harness.js';

describe.each(testDatabases)('delete guard and approvals ($name)', (tdb) => {
  let w: SyncWorld;

  beforeAll(async () => {
    // A count limit of 2 and a share limit that never trips: the count rule alone is tested here.
    w = await startSyncWorld(tdb, { sandbox: { accounts: 30, ous: 3, depth: 1, seed: 21 }, guard: { maxShare: 1, maxCount: 2 } });
    expect((await w.sync()).run.status).toBe('succeeded');
  });
  afterAll(async () => {
    await w.close();
  });

  const members = () => {
    const org = w.sandbox.world.organization;
    return [...(org?.childAccounts.values() ?? [])].flat().filter((id) => id !== w.sandbox.managementAccountId).sort();
  };
  const syncRuns = () => w.store.db.selectFrom('sync_runs').selectAll().where('integration_id', '=', w.integrationId).orderBy('created_at').execute();
  // The integration's public view, as the API and `integration show` present it.
  const syncView = async () =>
    integrationView(await w.store.db.selectFrom('integrations').selectAll().where('id', '=', w.integrationId).executeTakeFirstOrThrow()).sync;

  it('holds a plan deleting more than the count limit, and applies it once approved', async () => {
    for (const id of members().slice(0, 3)) removeAccountFromOrganization(w.sandbox.world, id);
    const before = await databaseFingerprint(w.store);
    const waiting = await w.sync();
    expect(waiting.run.status).toBe('awaiting_approval');
    expect(waiting.run.summary?.guard).toMatchObject({ code: 'delete_count_exceeded', removals: 3 });
    expect(await databaseFingerprint(w.store)).toEqual(before);
    const stored = (await syncRuns()).find((r) => r.id === waiting.run.id);
    expect(stored?.plan).toMatchObject({ counts: { 'remove-connection': 3 } });
    expect(await syncView()).toMatchObject({ lastSyncStatus: 'awaiting_approval' });

    const approved = await approveSyncRun(w.deps, { tenantId: w.tenantId, runId: waiting.run.id });
    expect(approved.run.status).toBe('succeeded');
    expect(await syncView()).toMatchObject({ lastSyncStatus: 'succeeded' });
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    await expect(approveSyncRun(w.deps, { tenantId: w.tenantId, runId: waiting.run.id })).rejects.toBeInstanceOf(ConflictError);
  });

  it('asks again when the removals grew since the approval was asked for', async () => {
    const [a, b, c, d] = members();
    for (const id of [a, b, c]) removeAccountFromOrganization(w.sandbox.world, id as string);
    const waiting = await w.sync();
    expect(waiting.run.status).toBe('awaiting_approval');
    removeAccountFromOrganization(w.sandbox.world, d as string);
    const again = await approveSyncRun(w.deps, { tenantId: w.tenantId, runId: waiting.run.id });
    expect(again.run.status).toBe('awaiting_approval');
    expect(again.run.summary?.guard.removals).toBe(4);
    const old = (await syncRuns()).find((r) => r.id === waiting.run.id);
    expect(old?.status).toBe('superseded');
    const done = await approveSyncRun(w.deps, { tenantId: w.tenantId, runId: again.run.id });
    expect(done.run.status).toBe('succeeded');
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });

  it('applies at once with auto-approve', async () => {
    for (const id of members().slice(0, 3)) removeAccountFromOrganization(w.sandbox.world, id);
    const result = await w.sync({ autoApprove: true });
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.guard.reason).toContain('auto-approve');
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });
});

describe.each(testDatabases)('share limit, overrides and dry runs ($name)', (tdb) => {
  let w: SyncWorld;

  beforeAll(async () => {
    w = await startSyncWorld(tdb, { sandbox: { accounts: 8, ous: 2, depth: 1, seed: 3 }, handlePrefix: 'aws-', permissionMode: 'specific' });
    expect((await w.sync()).run.status).toBe('succeeded');
  });
  afterAll(async () => {
    await w.close();
  });

  const org = () => {
    const o = w.sandbox.world.organization;
    if (o === null) throw new Error('no org');
    return o;
  };

  it('gives root folders one permission per chosen workspace', async () => {
    const root = await w.store.db.selectFrom('folders').select('id').where('integration_id', '=', w.integrationId).where('kind', '=', 'root').executeTakeFirstOrThrow();
    const grants = await w.store.db.selectFrom('permissions').selectAll().where('target_id', '=', root.id).execute();
    expect(grants.map((g) => [g.grantee_kind, g.grantee_id])).toEqual([['workspace', w.workspaceId]]);
  });

  it('holds a plan deleting more than the share limit (25 %)', async () => {
    const ids = [...org().childAccounts.values()].flat().filter((id) => id !== w.sandbox.managementAccountId).sort();
    for (const id of ids.slice(0, 3)) removeAccountFromOrganization(w.sandbox.world, id);
    const result = await w.sync();
    expect(result.run.status).toBe('awaiting_approval');
    expect(result.run.summary?.guard.code).toBe('delete_share_exceeded');
    await approveSyncRun(w.deps, { tenantId: w.tenantId, runId: result.run.id });
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });

  it('keeps a custom handle and a permission through a move and a prefix change', async () => {
    const accountId = [...org().childAccounts.values()].flat().find((id) => id !== w.sandbox.managementAccountId) as string;
    const from = w.sandbox.world.accounts.get(accountId)?.parentId as string;
    const row = await w.store.db.selectFrom('connections').selectAll().where('aws_account_id', '=', accountId).executeTakeFirstOrThrow();
    await w.store.db.updateTable('connections').set({ handle: 'my-billing', handle_is_custom: true }).where('id', '=', row.id).execute();
    const permissionId = newId('p');
    await w.store.db
      .insertInto('permissions')
      .values({ id: permissionId, tenant_id: w.tenantId, target_kind: 'connection', target_id: row.id, grantee_kind: 'workspace', grantee_id: w.workspaceId })
      .execute();
    const to = [org().rootId, ...org().ous.keys()].find((id) => id !== from) as string;
    moveAccount(w.sandbox.world, accountId, from, to);
    await w.store.db.updateTable('integrations').set({ handle_prefix: 'cloud-' }).where('id', '=', w.integrationId).execute();

    const result = await w.sync();
    expect(result.run.status).toBe('succeeded');
    expect(result.plan?.counts['move-connection']).toBe(1);
    const after = await w.store.db.selectFrom('connections').selectAll().where('aws_account_id', '=', accountId).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ id: row.id, handle: 'my-billing', handle_is_custom: true });
    expect(await w.store.db.selectFrom('permissions').select('id').where('id', '=', permissionId).executeTakeFirst()).toEqual({ id: permissionId });
    const others = await w.store.db.selectFrom('connections').select('handle').where('integration_id', '=', w.integrationId).where('id', '<>', row.id).execute();
    expect(others.every((o) => o.handle.startsWith('cloud-'))).toBe(true);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    // The prefix is now recorded: the next sync has nothing to do.
    expect((await w.sync()).plan?.ops).toEqual([]);
  });

  it('dry run returns the plan and writes nothing, not even a run row', async () => {
    const added = addAccountToOrganization(w.sandbox.world, { name: 'dry-run-new', email: 'dry@example.com', joinedMethod: 'CREATED', parentId: org().rootId });
    const before = await databaseFingerprint(w.store);
    const runsBefore = await w.store.db.selectFrom('sync_runs').select('id').execute();
    const integrationBefore = await w.store.db.selectFrom('integrations').selectAll().where('id', '=', w.integrationId).executeTakeFirstOrThrow();
    const phases: string[] = [];
    const result = await runIntegrationSync(w.deps, {
      tenantId: w.tenantId, integrationId: w.integrationId, trigger: 'manual', dryRun: true, onProgress: (p) => phases.push(p.phase),
    });
    expect(result.run).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(result.plan?.ops).toContainEqual(expect.objectContaining({ op: 'add-connection', awsAccountId: added.id, handle: 'cloud-dry-run-new' }));
    expect(await databaseFingerprint(w.store)).toEqual(before);
    expect(await w.store.db.selectFrom('sync_runs').select('id').execute()).toEqual(runsBefore);
    expect(await w.store.db.selectFrom('integrations').selectAll().where('id', '=', w.integrationId).executeTakeFirstOrThrow()).toEqual(integrationBefore);
    expect([...new Set(phases)]).toEqual(['assume', 'walk', 'probe', 'plan', 'apply']);
  });
});
