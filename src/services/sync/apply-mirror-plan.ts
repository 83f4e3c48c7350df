/**
 * Applies a mirror plan and health updates to the database, inside the caller's
 * transaction, in MIRROR_OP_ORDER (the planner already sorted the ops that way). Rows are
 * moved, renamed and re-handled in place, never deleted and recreated, so a custom handle
 * (handle_is_custom) and the permissions on a folder or connection survive a move.
 * Removed folders and connections take their permissions with them: a removed connection
 * is detached from every workspace.
 */
import { newId } from '../../core/ids.js';
import type { MirrorOp, MirrorOpType, MirrorPlan } from '../../core/mirror/mirror-plan.js';
import type { MirrorSnapshot } from '../../core/mirror/mirror-snapshot.js';
import type { HealthUpdate, HealthVerdict } from './health-changes.js';
import type { SyncDb, SyncIntegrationRow } from './sync-tables.js';

export type ApplyIntegration = Pick<SyncIntegrationRow, 'id' | 'tenant_id' | 'org_id' | 'permission_mode' | 'permission_workspace_ids'>;

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
async function grantRootPermissions(trx: SyncDb, integration: ApplyIntegration, folderId: string, now: Date): Promise<number> {
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

async function removePermissions(trx: SyncDb, kind: 'folder' | 'connection', id: string): Promise<number> {
  const result = await trx.deleteFrom('permissions').where('target_kind', '=', kind).where('target_id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Applies one op; returns permission rows added and removed. */
async function applyOp(trx: SyncDb, input: ApplyInput, folders: FolderIds, op: MirrorOp): Promise<{ added: number; removed: number }> {
  const { integration, now } = input;
  const none = { added: 0, removed: 0 };
  switch (op.op) {
    case 'add-folder': {
      const id = newId('f');
      await trx
        .insertInto('folders')
        .values({
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
        })
        .execute();
      folders.set(op.awsId, id);
      return op.kind === 'root' ? { added: await grantRootPermissions(trx, integration, id, now), removed: 0 } : none;
    }
    case 'move-folder':
      await trx.updateTable('folders').set({ parent_id: folders.resolve(op.toParentAwsId), updated_at: now }).where('id', '=', op.folderId).execute();
      return none;
    case 'move-connection':
      await trx.updateTable('connections').set({ folder_id: folders.resolve(op.toParentAwsId), updated_at: now }).where('id', '=', op.connectionId).execute();
      return none;
    case 'add-connection': {
      const health = input.newHealth.get(op.awsAccountId);
      await trx
        .insertInto('connections')
        .values({
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
        })
        .execute();
      return none;
    }
    case 'rename': {
      const table = op.target === 'folder' ? 'folders' : 'connections';
      await trx.updateTable(table).set({ title: op.toTitle, updated_at: now }).where('id', '=', op.id).execute();
      return none;
    }
    case 'rehandle': {
      const table = op.target === 'folder' ? 'folders' : 'connections';
      await trx.updateTable(table).set({ handle: op.toHandle, updated_at: now }).where('id', '=', op.id).execute();
      return none;
    }
    case 'state-change':
      await trx
        .updateTable('connections')
        .set({ state: op.toState, aws_state: op.toAwsState, updated_at: now })
        .where('id', '=', op.connectionId)
        .execute();
      return none;
    case 'remove-connection': {
      const removed = await removePermissions(trx, 'connection', op.connectionId);
      await trx.deleteFrom('connections').where('id', '=', op.connectionId).where('integration_id', '=', integration.id).execute();
      return { added: 0, removed };
    }
    case 'remove-folder': {
      const removed = await removePermissions(trx, 'folder', op.folderId);
      await trx.deleteFrom('folders').where('id', '=', op.folderId).where('integration_id', '=', integration.id).execute();
      return { added: 0, removed };
    }
  }
}

/** Applies the plan's ops (in order) and the health updates; call inside one transaction. */
export async function applyMirrorPlan(trx: SyncDb, input: ApplyInput): Promise<ApplyCounts> {
  const folders = new FolderIds(input.snapshot);
  let permissionsAdded = 0;
  let permissionsRemoved = 0;
  for (const op of input.plan.ops) {
    const { added, removed } = await applyOp(trx, input, folders, op);
    permissionsAdded += added;
    permissionsRemoved += removed;
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
