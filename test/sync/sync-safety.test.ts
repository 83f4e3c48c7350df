/**
 * Failures end with no spurious deletion: the discovery role's trust removed (the run
 * fails, the mirror is untouched), listings denied mid-walk (adds and changes apply,
 * removals wait), and credentials that see less (the removals go through the guard).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { externalIdTrustPolicy } from '../../packages/sandbox/src/generator-identities.js';
import { addAccountToOrganization, moveAccount, removeAccountFromOrganization } from '../../packages/sandbox/src/organization-state.js';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import type { OrganizationSpec } from '../../packages/sandbox/src/generator-spec.js';
import type { IamRole } from '../../packages/sandbox/src/world.js';
import { approveSyncRun, runIntegrationSync } from '../../src/services/sync/sync-service.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, databaseFingerprint, expectedMirror, sandboxSyncDeps, startSyncWorld, type SyncWorld } from './sync-harness.js';

function discoveryRole(sandbox: RunningSandbox): IamRole {
  const name = sandbox.discoveryRoleArn.split('/').pop() as string;
  const role = sandbox.world.iam.get(sandbox.managementAccountId)?.roles.get(name);
  if (role === undefined) throw new Error('discovery role missing');
  return role;
}

describe.each(testDatabases)('sync safety ($name)', (tdb) => {
  let w: SyncWorld;

  beforeAll(async () => {
    w = await startSyncWorld(tdb, { sandbox: { accounts: 16, ous: 4, depth: 2, seed: 11 } });
    expect((await w.sync()).run.status).toBe('succeeded');
  });
  afterAll(async () => {
    await w.close();
  });
  afterEach(() => {
    const role = discoveryRole(w.sandbox);
    role.trustPolicy = externalIdTrustPolicy(w.sandbox.platform.principalArn, w.sandbox.externalId);
    role.inlinePolicies.delete('DenyListing');
  });

  it('fails with a typed error and changes nothing when the discovery role no longer trusts orglink', async () => {
    const org = w.sandbox.world.organization;
    const victim = [...(org?.childAccounts.get(org.rootId) ?? [])].find((id) => id !== w.sandbox.managementAccountId) as string;
    removeAccountFromOrganization(w.sandbox.world, victim);
    discoveryRole(w.sandbox).trustPolicy = externalIdTrustPolicy('arn:aws:iam::999999999999:root', w.sandbox.externalId);
    const before = await databaseFingerprint(w.store);
    const result = await w.sync();
    expect(result.run.status).toBe('failed');
    expect(result.run.error?.code).toBe('discovery_role_assume_denied');
    expect(result.plan).toBeNull();
    expect(await databaseFingerprint(w.store)).toEqual(before);
    const integration = await w.store.db.selectFrom('integrations').selectAll().where('id', '=', w.integrationId).executeTakeFirstOrThrow();
    expect(integration).toMatchObject({ last_sync_status: 'failed' });
  });

  it('applies adds but withholds removals when listings are denied mid-walk', async () => {
    // The victim of the previous test is still mirrored; a new account appears in the root.
    const org = w.sandbox.world.organization;
    if (org === null) throw new Error('no org');
    const added = addAccountToOrganization(w.sandbox.world, { name: 'mid-walk-new', email: 'mid@example.com', joinedMethod: 'CREATED', parentId: org.rootId });
    const countsBefore = await w.store.db.selectFrom('connections').select('id').where('integration_id', '=', w.integrationId).execute();
    let denied = false;
    const result = await w.sync({
      onProgress: (p) => {
        // After the root's listings, refuse every further OU listing: the subtrees below are unknown.
        if (p.phase === 'walk' && p.walk !== undefined && p.walk.listingsDone >= 2 && !denied) {
          denied = true;
          discoveryRole(w.sandbox).inlinePolicies.set('DenyListing', {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'], Resource: '*' }],
          });
        }
      },
    });
    expect(denied).toBe(true);
    expect(result.run.status).toBe('succeeded');
    expect(result.run.summary?.complete).toBe(false);
    expect(result.run.summary?.warnings.map((x) => x.code)).toContain('discovery_incomplete');
    expect(result.run.summary?.withheldRemovals).toBeGreaterThan(0);
    expect(result.plan?.ops.some((op) => op.op === 'remove-connection' || op.op === 'remove-folder')).toBe(false);
    const after = await w.store.db.selectFrom('connections').select(['id', 'aws_account_id']).where('integration_id', '=', w.integrationId).execute();
    expect(after.length).toBe(countsBefore.length + 1);
    expect(after.map((c) => c.aws_account_id)).toContain(added.id);
  });

  it('rechecks an account that moved during the walk instead of deleting it', async () => {
    const org = w.sandbox.world.organization;
    if (org === null) throw new Error('no org');
    const [ouId, accounts] = [...org.childAccounts.entries()].find(([parent, ids]) => parent !== org.rootId && ids.length > 0) ?? [];
    const accountId = accounts?.[0];
    if (ouId === undefined || accountId === undefined) throw new Error('no account in an OU');
    const before = await w.store.db.selectFrom('connections').select('id').where('aws_account_id', '=', accountId).executeTakeFirstOrThrow();
    let moved = false;
    const result = await w.sync({
      onProgress: (p) => {
        // Both root listings are done and no OU listing has started: move the account up into the root.
        if (p.phase === 'walk' && p.walk?.listingsDone === 2 && !moved) {
          moved = true;
          moveAccount(w.sandbox.world, accountId, ouId, org.rootId);
        }
      },
    });
    expect(moved).toBe(true);
    expect(result.run.summary?.complete).toBe(true);
    expect(result.plan?.ops).toContainEqual(expect.objectContaining({ op: 'move-connection', awsAccountId: accountId, toParentAwsId: org.rootId }));
    expect(result.plan?.ops.some((op) => op.op === 'remove-connection' && op.awsAccountId === accountId)).toBe(false);
    expect((await w.store.db.selectFrom('connections').select('id').where('aws_account_id', '=', accountId).executeTakeFirst())?.id).toBe(before.id);
  });

  it('a complete run afterwards repairs everything', async () => {
    const result = await w.sync();
    expect(result.run.summary?.complete).toBe(true);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });
});

/** Two sandboxes share org, root and OU ids (same seed and spec); the second has fewer accounts. */
function spec(externalId: string, accounts: number): OrganizationSpec {
  const ids = Array.from({ length: 12 }, (_, i) => `2000000000${String(i).padStart(2, '0')}`);
  const account = (i: number) => ({ name: `team-${i}`, id: ids[i] as string });
  const upTo = (from: number, to: number) => Array.from({ length: Math.max(0, Math.min(to, accounts) - from) }, (_, k) => account(from + k));
  return {
    seed: 5,
    externalId,
    management: { id: '200000000099' },
    root: {
      accounts: upTo(0, 4),
      ous: [
        { name: 'Prod', accounts: upTo(4, 8) },
        { name: 'Dev', accounts: upTo(8, 12) },
      ],
    },
  };
}

describe.each(testDatabases)('changed credentials that see less ($name)', (tdb) => {
  let before: SyncWorld;
  let smaller: RunningSandbox;

  beforeAll(async () => {
    before = await startSyncWorld(tdb, { sandbox: { spec: spec('t_sandbox00001:AAAAAAAA', 12) } });
    smaller = await startSandbox({ spec: spec('t_sandbox00001:BBBBBBBB', 6) });
  });
  afterAll(async () => {
    await before.close();
    await smaller.close();
  });

  it('deletes what the new credentials no longer see, but only through the guard', async () => {
    expect((await before.sync()).run.status).toBe('succeeded');
    expect(smaller.organizationId).toBe(before.sandbox.organizationId);
    // PATCH-like change of credentials: new External ID; the platform now reaches the smaller view.
    await before.store.db.updateTable('integrations').set({ external_id: smaller.externalId, role_arn: smaller.discoveryRoleArn }).where('id', '=', before.integrationId).execute();
    const deps = sandboxSyncDeps(before.store, smaller);
    const request = { tenantId: before.tenantId, integrationId: before.integrationId, trigger: 'manual' as const };
    const snapshot = await databaseFingerprint(before.store);

    const waiting = await runIntegrationSync(deps, request);
    expect(waiting.run.status).toBe('awaiting_approval');
    expect(waiting.run.summary?.guard).toMatchObject({ needsApproval: true, code: 'delete_share_exceeded', removals: 6 });
    expect(await databaseFingerprint(before.store)).toEqual(snapshot);

    const approved = await approveSyncRun(deps, { tenantId: before.tenantId, runId: waiting.run.id });
    expect(approved.run).toMatchObject({ status: 'succeeded', trigger: 'approval', approvesRunId: waiting.run.id });
    expect(await actualMirror(before.store, before.integrationId)).toEqual(expectedMirror(smaller));
    const old = await before.store.db.selectFrom('sync_runs').selectAll().where('id', '=', waiting.run.id).executeTakeFirstOrThrow();
    expect(old.status).toBe('superseded');
  });
});
