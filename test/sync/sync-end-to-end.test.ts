/**
 * A generated sandbox organization driven through creation, new accounts, moves, OU
 * renames and deletions, suspension, closure and removal, and blocked accounts: after each
 * step one sync makes the mirror match the sandbox exactly, and a sync with nothing to do
 * writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIdTrustPolicy } from '../../packages/sandbox/src/generator-identities.js';
import {
  addAccountToOrganization,
  createOrganizationalUnit,
  deleteOrganizationalUnit,
  moveAccount,
  removeAccountFromOrganization,
  renameOrganizationalUnit,
  setAccountState,
} from '../../packages/sandbox/src/organization-state.js';
import { putRole } from '../../packages/sandbox/src/world-factory.js';
import { newId } from '../../src/core/ids.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, databaseFingerprint, expectedMirror, startSyncWorld, type SyncWorld } from './sync-harness.js';

describe.each(testDatabases)('sync end to end ($name)', (tdb) => {
  let w: SyncWorld;

  beforeAll(async () => {
    w = await startSyncWorld(tdb, { sandbox: { accounts: 20, ous: 5, depth: 3, seed: 7, blocked: 0.1 }, handlePrefix: 'acme-' });
  });
  afterAll(async () => {
    await w.close();
  });

  const org = () => {
    const o = w.sandbox.world.organization;
    if (o === null) throw new Error('no organization');
    return o;
  };
  const connection = (accountId: string) =>
    w.store.db.selectFrom('connections').selectAll().where('integration_id', '=', w.integrationId).where('aws_account_id', '=', accountId).executeTakeFirst();
  const memberIds = () => [...org().childAccounts.values()].flat().filter((id) => id !== w.sandbox.managementAccountId).sort();

  async function syncAndCompare(): Promise<void> {
    const result = await w.sync();
    expect(result.run.error).toBeNull();
    expect(result.run.status).toBe('succeeded');
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  }

  it('first sync mirrors every OU as a folder and every account as a connection', async () => {
    const result = await w.sync();
    expect(result.run).toMatchObject({ status: 'succeeded', trigger: 'manual', dryRun: false });
    expect(result.run.summary?.applied).toBe(true);
    expect(result.run.summary?.complete).toBe(true);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    const handles = await w.store.db.selectFrom('connections').select('handle').where('integration_id', '=', w.integrationId).execute();
    expect(handles.every((h) => h.handle.startsWith('acme-'))).toBe(true);
  });

  it('gives the root folder the integration permissions and records one audit entry', async () => {
    const root = await w.store.db.selectFrom('folders').selectAll().where('integration_id', '=', w.integrationId).where('kind', '=', 'root').executeTakeFirstOrThrow();
    const permissions = await w.store.db.selectFrom('permissions').selectAll().where('target_id', '=', root.id).execute();
    expect(permissions.map((p) => [p.grantee_kind, p.grantee_id])).toEqual([['all_workspaces', null]]);
    const audit = await w.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'integration.sync').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after).toMatchObject({ complete: true, counts: { 'add-folder': 6, 'add-connection': 20 } });
  });

  it('marks blocked accounts blocked, the others ok', async () => {
    const blocked = new Set(w.sandbox.generated.blockedAccounts.map((b) => b.accountId));
    expect(blocked.size).toBeGreaterThan(0);
    const rows = await w.store.db.selectFrom('connections').selectAll().where('integration_id', '=', w.integrationId).execute();
    for (const row of rows) {
      expect([row.aws_account_id, row.health]).toEqual([row.aws_account_id, blocked.has(row.aws_account_id ?? '') ? 'blocked' : 'ok']);
      if (row.health === 'blocked') expect(row.health_reason).toContain('stackset');
    }
  });

  it('writes nothing when nothing changed', async () => {
    const before = await databaseFingerprint(w.store);
    const result = await w.sync();
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.applied).toBe(false);
    expect(result.plan?.ops).toEqual([]);
    expect(await databaseFingerprint(w.store)).toEqual(before);
  });

  it('adds a new account (blocked until its member role exists)', async () => {
    const account = addAccountToOrganization(w.sandbox.world, { name: 'new-team-prod', email: 'new@example.com', joinedMethod: 'CREATED', parentId: org().rootId });
    await syncAndCompare();
    expect((await connection(account.id))?.health).toBe('blocked');
    putRole(w.sandbox.world, account.id, { name: w.sandbox.memberRoleName, trustPolicy: externalIdTrustPolicy(w.sandbox.platform.principalArn, w.sandbox.externalId) });
    await syncAndCompare();
    expect((await connection(account.id))?.health).toBe('ok');
    expect((await connection(account.id))?.health_reason).toBeNull();
  });

  it('moves an account in place (same connection id)', async () => {
    const accountId = memberIds()[0] as string;
    const before = await connection(accountId);
    const account = w.sandbox.world.accounts.get(accountId);
    const target = [...org().ous.keys()].find((id) => id !== account?.parentId) as string;
    moveAccount(w.sandbox.world, accountId, account?.parentId as string, target);
    await syncAndCompare();
    expect((await connection(accountId))?.id).toBe(before?.id);
  });

  it('renames an OU: the title follows, the handle stays', async () => {
    const ou = [...org().ous.values()][0];
    if (ou === undefined) throw new Error('no OU');
    const folderBefore = await w.store.db.selectFrom('folders').selectAll().where('aws_id', '=', ou.id).executeTakeFirstOrThrow();
    renameOrganizationalUnit(w.sandbox.world, ou.id, 'Renamed Workloads');
    await syncAndCompare();
    const folderAfter = await w.store.db.selectFrom('folders').selectAll().where('aws_id', '=', ou.id).executeTakeFirstOrThrow();
    expect(folderAfter.title).toBe('Renamed Workloads');
    expect(folderAfter.handle).toBe(folderBefore.handle);
  });

  it('deletes a folder when its OU is deleted', async () => {
    const ou = createOrganizationalUnit(w.sandbox.world, org().rootId, 'Short-lived', `ou-${org().rootId.slice(2)}-${newId('f').slice(2, 10)}`);
    await syncAndCompare();
    deleteOrganizationalUnit(w.sandbox.world, ou.id);
    await syncAndCompare();
    expect(await w.store.db.selectFrom('folders').select('id').where('aws_id', '=', ou.id).executeTakeFirst()).toBeUndefined();
  });

  it('disables a suspended account', async () => {
    const accountId = memberIds()[1] as string;
    setAccountState(w.sandbox.world, accountId, 'SUSPENDED');
    await syncAndCompare();
    expect(await connection(accountId)).toMatchObject({ state: 'disabled', aws_state: 'SUSPENDED', health: 'unknown' });
  });

  it('deletes a closed account and detaches it from every workspace', async () => {
    const accountId = memberIds()[2] as string;
    const row = await connection(accountId);
    if (row === undefined) throw new Error('connection missing');
    await w.store.db
      .insertInto('permissions')
      .values({ id: newId('p'), tenant_id: w.tenantId, target_kind: 'connection', target_id: row.id, grantee_kind: 'workspace', grantee_id: w.workspaceId })
      .execute();
    setAccountState(w.sandbox.world, accountId, 'CLOSED');
    const result = await w.sync();
    expect(result.plan?.ops).toContainEqual(expect.objectContaining({ op: 'remove-connection', awsAccountId: accountId, reason: 'closed' }));
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    expect(await connection(accountId)).toBeUndefined();
    expect(await w.store.db.selectFrom('permissions').select('id').where('target_id', '=', row.id).execute()).toEqual([]);
    expect(result.run.summary?.permissions.removed).toBe(1);
  });

  it('deletes an account removed from the organization', async () => {
    const accountId = memberIds()[3] as string;
    removeAccountFromOrganization(w.sandbox.world, accountId);
    await syncAndCompare();
    expect(await connection(accountId)).toBeUndefined();
  });

  it('notices a member role that stops trusting the platform', async () => {
    const accountId = memberIds().find((id) => !w.sandbox.generated.blockedAccounts.some((b) => b.accountId === id) && w.sandbox.world.accounts.get(id)?.state === 'ACTIVE') as string;
    w.sandbox.world.iam.get(accountId)?.roles.delete(w.sandbox.memberRoleName);
    await syncAndCompare();
    expect(await connection(accountId)).toMatchObject({ health: 'blocked' });
  });
});
