/**
 * The pure planner fed by real walks: a first sync, a resync with no change, then AWS-side
 * changes (moves, renames, suspension, closure, removal, a new OU) each planned exactly.
 * The plan is applied to an in-memory snapshot here (the DB apply belongs to the sync service).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAccount,
  createOrganizationalUnit,
  moveAccount,
  removeAccountFromOrganization,
  renameOrganizationalUnit,
  setAccountState,
} from '../../packages/sandbox/src/organization-state.js';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { validateHandle } from '../../src/core/handle.js';
import type { DiscoveredTree } from '../../src/core/mirror/discovered-tree.js';
import { isEmptyPlan, type MirrorPlan } from '../../src/core/mirror/mirror-plan.js';
import type { MirrorSnapshot } from '../../src/core/mirror/mirror-snapshot.js';
import { planMirror } from '../../src/core/mirror/plan-mirror.js';
import { createAwsClientFactory } from '../../src/aws/aws-clients.js';
import { createCredentialCache } from '../../src/aws/credential-cache.js';
import { walkOrganization } from '../../src/aws/org-walker.js';
import { createRateLimiter } from '../../src/aws/rate-limiter.js';
import { startTestSandbox, worldTree } from './aws-test-harness.js';

let sandbox: RunningSandbox;
let walk: () => Promise<DiscoveredTree>;
const options = { handlePrefix: 'acme_', takenHandles: { folders: new Set<string>(), connections: new Set(['acme_management']) } };

beforeAll(async () => {
  ({ sandbox } = await startTestSandbox({ accounts: 120, ous: 15, depth: 3, seed: 17 }));
  const factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
  });
  const limiter = createRateLimiter({ rate: 1000 });
  const cache = createCredentialCache({ sts: factory.sts({ limiter }) });
  const credentials = cache.provider({ roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId, sessionName: 'orglink-acme' });
  walk = () => walkOrganization({ organizations: factory.organizations({ credentials, limiter }), sts: factory.sts({ credentials, limiter }) });
});

afterAll(async () => {
  await sandbox.close();
});

/** Applies a plan to a snapshot the way the sync service applies it to rows. */
function applyPlan(snapshot: MirrorSnapshot, plan: MirrorPlan): MirrorSnapshot {
  const folders = new Map(snapshot.folders.map((f) => [f.id, { ...f }]));
  const connections = new Map(snapshot.connections.map((c) => [c.id, { ...c }]));
  const folderIdOf = (awsId: string | null): string | null => (awsId === null ? null : ([...folders.values()].find((f) => f.awsId === awsId)?.id ?? null));
  for (const op of plan.ops) {
    switch (op.op) {
      case 'add-folder':
        folders.set(`f_${op.awsId}`, { id: `f_${op.awsId}`, awsId: op.awsId, parentId: folderIdOf(op.parentAwsId), kind: op.kind, handle: op.handle, handleIsCustom: false, title: op.title });
        break;
      case 'add-connection':
        connections.set(`c_${op.awsAccountId}`, { id: `c_${op.awsAccountId}`, awsAccountId: op.awsAccountId, folderId: folderIdOf(op.parentAwsId), handle: op.handle, handleIsCustom: false, title: op.title, state: op.state, awsState: op.awsState });
        break;
      case 'move-folder':
        Object.assign(folders.get(op.folderId) ?? {}, { parentId: folderIdOf(op.toParentAwsId) });
        break;
      case 'move-connection':
        Object.assign(connections.get(op.connectionId) ?? {}, { folderId: folderIdOf(op.toParentAwsId) });
        break;
      case 'rename':
        Object.assign((op.target === 'folder' ? folders : connections).get(op.id) ?? {}, { title: op.toTitle });
        break;
      case 'rehandle':
        Object.assign((op.target === 'folder' ? folders : connections).get(op.id) ?? {}, { handle: op.toHandle });
        break;
      case 'state-change':
        Object.assign(connections.get(op.connectionId) ?? {}, { state: op.toState, awsState: op.toAwsState });
        break;
      case 'remove-connection':
        connections.delete(op.connectionId);
        break;
      case 'remove-folder':
        folders.delete(op.folderId);
        break;
    }
  }
  return { folders: [...folders.values()], connections: [...connections.values()] };
}

function expectMirrorMatchesSandbox(mirror: MirrorSnapshot): void {
  const truth = worldTree(sandbox);
  const awsIdOf = new Map(mirror.folders.map((f) => [f.id, f.awsId]));
  expect(mirror.folders.map((f) => [f.awsId, f.parentId === null ? null : awsIdOf.get(f.parentId), f.title]).sort()).toEqual(
    [[truth.roots[0]?.id, null, 'Root'], ...truth.ous.map((o) => [o.id, o.parentId, o.name])].sort(),
  );
  const live = truth.accounts.filter((a) => a.state !== 'CLOSED');
  expect(mirror.connections.map((c) => [c.awsAccountId, c.folderId === null ? null : awsIdOf.get(c.folderId), c.title, c.awsState]).sort()).toEqual(
    live.map((a) => [a.id, a.parentId, a.name, a.state]).sort(),
  );
  const handles = mirror.connections.map((c) => c.handle);
  expect(new Set(handles).size).toBe(handles.length);
  for (const h of [...handles, ...mirror.folders.map((f) => f.handle)]) expect(validateHandle(h)).toBe(h);
  expect(handles).not.toContain('acme_management');
}

describe('planMirror from real walks', () => {
  let mirror: MirrorSnapshot = { folders: [], connections: [] };

  it('mirrors a first walk exactly, and a resync with no change plans nothing', async () => {
    const plan = planMirror(mirror, await walk(), options);
    expect(plan.counts['add-folder']).toBe(16);
    mirror = applyPlan(mirror, plan);
    expectMirrorMatchesSandbox(mirror);
    expect(isEmptyPlan(planMirror(mirror, await walk(), options))).toBe(true);
  });

  it('follows moves, renames, a new OU, suspension, closure and removal, then settles', async () => {
    const truth = worldTree(sandbox);
    const members = truth.accounts.filter((a) => a.id !== sandbox.managementAccountId);
    const [toMove, toSuspend, toClose, toRemove] = members;
    if (!toMove || !toSuspend || !toClose || !toRemove) throw new Error('need four members');
    const ou = truth.ous[0];
    if (ou === undefined) throw new Error('need an OU');
    const newOu = createOrganizationalUnit(sandbox.world, ou.id, 'Brand New');
    moveAccount(sandbox.world, toMove.id, toMove.parentId, newOu.id);
    renameOrganizationalUnit(sandbox.world, ou.id, 'Renamed Unit');
    setAccountState(sandbox.world, toSuspend.id, 'SUSPENDED');
    closeAccount(sandbox.world, toClose.id);
    setAccountState(sandbox.world, toClose.id, 'CLOSED');
    removeAccountFromOrganization(sandbox.world, toRemove.id);

    const plan = planMirror(mirror, await walk(), options);
    expect(plan.ops.map((o) => o.op).sort()).toEqual(
      ['add-folder', 'move-connection', 'remove-connection', 'remove-connection', 'rename', 'state-change'].sort(),
    );
    const renamed = mirror.folders.find((f) => f.awsId === ou.id);
    mirror = applyPlan(mirror, plan);
    expect(mirror.folders.find((f) => f.awsId === ou.id)?.handle).toBe(renamed?.handle);
    expectMirrorMatchesSandbox(mirror);
    expect(isEmptyPlan(planMirror(mirror, await walk(), options))).toBe(true);
  });
});
