/**
 * Applies a mirror plan and health updates to the database, inside the caller's
 * transaction, in MIRROR_OP_ORDER (the planner already sorted the ops that way). Rows are
 * moved, renamed and re-handled in place, never deleted and recreated, so a custom handle
 * (handle_is_custom) and the permissions on a folder or connection survive a move.
 * Removed folders and connections take their permissions with them: a removed connection
 * is detached from every workspace.
 */
import { newId } from '../../core/ids.js';
import { MIRROR_OP_ORDER, type MirrorOp, type MirrorOpType, type MirrorPlan } from '../../core/mirror/mirror-plan.js';
import type { MirrorSnapshot } from '../../core/mirror/mirror-snapshot.js';
import type { HealthUpdate, HealthVerdict } from './health-changes.js';
import type { Integration } from '../../store/database.js';
import type { Db } from '../context.js';

export type ApplyIntegration = Pick<Integration, 'id' | 'tenant_id' | 'org_id' | 'permission_mode' | 'permission_workspace_ids'>;

export interface ApplyInput {
  integration: ApplyIntegration;
  /** The mirror the plan was made against: it resolves existing folders' AWS ids. */
  snapshot: MirrorSnapshot;
  plan: MirrorPlan;
  healthUpdates: readonly HealthUpdate[];
  /** Health for connections the plan adds, by account id (unknown when absent). */
  newHealth: ReadonlyMap<string, HealthVerdict>;
  now: Date;
}

export interface ApplyCounts {
  ops: Record<MirrorOpType, number>;
  healthUpdated: number;
  permissionsAdded: number;
  permissionsRemoved: number;
}

/** True when applying would write nothing: no op and no health change. */
export function isNoopApply(plan: MirrorPlan, healthUpdates: readonly HealthUpdate[]): boolean {
  return plan.ops.length === 0 && healthUpdates.length === 0;
}

class FolderIds {
  readonly #byAwsId: Map<string, string>;

  constructor(snapshot: MirrorSnapshot) {
    this.#byAwsId = new Map(snapshot.folders.map((f) => [f.awsId, f.id]));
  }

  set(awsId: string, id: string): void {
    this.#byAwsId.set(awsId, id);
  }

  /** The folder id of an AWS parent; the plan guarantees it exists by the time it is needed. */
  resolve(awsId: string | null): string | null {
    if (awsId === null) return null;
    const id = this.#byAwsId.get(awsId);
    if (id === undefined) throw new Error(`mirror plan references folder ${awsId} before it exists`);
    return id;
  }
}

/** Root folders inherit the integration's permission mode: all workspaces, specific ones, or none. */
async function grantRootPermissions(trx: Db, integration: ApplyIntegration, folderId: string, now: Date): Promise<number> {
  const grantees: Array<{ kind: 'all_workspaces' | 'workspace'; id: string | null }> =
    integration.permission_mode === 'all'
      ? [{ kind: 'all_workspaces', id: null }]
      : integration.permission_mode === 'specific'
        ? integration.permission_workspace_ids.map((id) => ({ kind: 'workspace' as const, id }))
        : [];
  if (grantees.length === 0) return 0;
  await trx
    .insertInto('permissions')
    .values(
      grantees.map((g) => ({
        id: newId('p'),
        tenant_id: integration.tenant_id,
        target_kind: 'folder' as const,
        target_id: folderId,
        grantee_kind: g.kind,
        grantee_id: g.id,
        created_at: now,
      })),
    )
    .execute();
  return grantees.length;
}

/** Rows per multi-row statement: large enough that a 10,000-account first sync is a few dozen statements. */
const BATCH = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

type OpOf<K extends MirrorOp['op']> = Extract<MirrorOp, { op: K }>;

/** Inserts folders (parents first: the plan orders additions by depth) and grants root permissions. */
async function addFolders(trx: Db, input: ApplyInput, folders: FolderIds, ops: ReadonlyArray<OpOf<'add-folder'>>): Promise<number> {
  const { integration, now } = input;
  const rows = ops.map((op) => {
    const id = newId('f');
    const row = {
      id,
      tenant_id: integration.tenant_id,
      integration_id: integration.id,
      parent_id: folders.resolve(op.parentAwsId),
      kind: op.kind,
      aws_id: op.awsId,
      handle: op.handle,
      handle_is_custom: false,
      title: op.title,
      created_at: now,
      updated_at: now,
    };
    folders.set(op.awsId, id);
    return row;
  });
  for (const chunk of chunks(rows)) await trx.insertInto('folders').values(chunk).execute();
  let granted = 0;
  for (const row of rows) if (row.kind === 'root') granted += await grantRootPermissions(trx, integration, row.id, now);
  return granted;
}

async function addConnections(trx: Db, input: ApplyInput, folders: FolderIds, ops: ReadonlyArray<OpOf<'add-connection'>>): Promise<void> {
  const { integration, now } = input;
  const rows = ops.map((op) => {
    const health = input.newHealth.get(op.awsAccountId);
    return {
      id: newId('c'),
      tenant_id: integration.tenant_id,
      org_id: integration.org_id,
      integration_id: integration.id,
      folder_id: folders.resolve(op.parentAwsId),
      handle: op.handle,
      handle_is_custom: false,
      title: op.title,
      aws_account_id: op.awsAccountId,
      // Role, External ID, regions and advanced options are inherited from the integration (null here).
      state: op.state,
      aws_state: op.awsState,
      health: health?.health ?? 'unknown',
      health_reason: health?.reason ?? null,
      health_checked_at: health === undefined ? null : now,
      created_at: now,
      updated_at: now,
    };
  });
  for (const chunk of chunks(rows)) await trx.insertInto('connections').values(chunk).execute();
}

/** Deletes targets and their permissions (no foreign key links a permission to its target). */
async function removeTargets(trx: Db, integrationId: string, kind: 'folder' | 'connection', ids: readonly string[]): Promise<number> {
  let removed = 0;
  for (const chunk of chunks(ids)) {
    const result = await trx.deleteFrom('permissions').where('target_kind', '=', kind).where('target_id', 'in', chunk).executeTakeFirst();
    removed += Number(result.numDeletedRows);
    const table = kind === 'folder' ? 'folders' : 'connections';
    await trx.deleteFrom(table).where('id', 'in', chunk).where('integration_id', '=', integrationId).execute();
  }
  return removed;
}

/** Applies one op that changes a row in place. */
async function updateInPlace(trx: Db, input: ApplyInput, folders: FolderIds, op: OpOf<'move-folder' | 'move-connection' | 'rename' | 'rehandle' | 'state-change'>): Promise<void> {
  const { now } = input;
  switch (op.op) {
    case 'move-folder':
      await trx.updateTable('folders').set({ parent_id: folders.resolve(op.toParentAwsId), updated_at: now }).where('id', '=', op.folderId).execute();
      return;
    case 'move-connection':
      await trx.updateTable('connections').set({ folder_id: folders.resolve(op.toParentAwsId), updated_at: now }).where('id', '=', op.connectionId).execute();
      return;
    case 'rename':
      await trx.updateTable(op.target === 'folder' ? 'folders' : 'connections').set({ title: op.toTitle, updated_at: now }).where('id', '=', op.id).execute();
      return;
    case 'rehandle':
      await trx.updateTable(op.target === 'folder' ? 'folders' : 'connections').set({ handle: op.toHandle, updated_at: now }).where('id', '=', op.id).execute();
      return;
    case 'state-change':
      await trx.updateTable('connections').set({ state: op.toState, aws_state: op.toAwsState, updated_at: now }).where('id', '=', op.connectionId).execute();
      return;
  }
}

const ofType = <K extends MirrorOp['op']>(ops: readonly MirrorOp[], type: K): Array<OpOf<K>> => ops.filter((op): op is OpOf<K> => op.op === type);

/**
 * Applies the plan's ops and the health updates; call inside one transaction. Ops run type by
 * type in MIRROR_OP_ORDER (the order the planner sorted them in), additions and removals as
 * multi-row statements, in-place changes one row each.
 */
export async function applyMirrorPlan(trx: Db, input: ApplyInput): Promise<ApplyCounts> {
  const folders = new FolderIds(input.snapshot);
  const ops = input.plan.ops;
  let permissionsAdded = 0;
  let permissionsRemoved = 0;
  for (const type of MIRROR_OP_ORDER) {
    if (input.plan.counts[type] === 0) continue;
    if (type === 'add-folder') permissionsAdded += await addFolders(trx, input, folders, ofType(ops, 'add-folder'));
    else if (type === 'add-connection') await addConnections(trx, input, folders, ofType(ops, 'add-connection'));
    else if (type === 'remove-connection') permissionsRemoved += await removeTargets(trx, input.integration.id, 'connection', ofType(ops, 'remove-connection').map((op) => op.connectionId));
    else if (type === 'remove-folder') permissionsRemoved += await removeTargets(trx, input.integration.id, 'folder', ofType(ops, 'remove-folder').map((op) => op.folderId));
    else for (const op of ofType(ops, type)) await updateInPlace(trx, input, folders, op);
  }
  for (const update of input.healthUpdates) {
    await trx
      .updateTable('connections')
      .set({ health: update.to, health_reason: update.reason, health_checked_at: input.now })
      .where('id', '=', update.connectionId)
      .execute();
  }
  return { ops: { ...input.plan.counts }, healthUpdated: input.healthUpdates.length, permissionsAdded, permissionsRemoved };
}
