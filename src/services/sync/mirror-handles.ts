/**
 * Custom handles on discovered folders and connections. A custom handle is a user
 * override (handle_is_custom): syncs keep it through AWS renames, moves and prefix changes.
 * Handles stay unique within the tenant, among folders and among connections.
 */
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { validateHandle } from '../../core/handle.js';
import type { Folder } from '../../store/database.js';
import { loadTenantAccess } from '../access-control.js';
import { writeAudit } from '../audit-service.js';
import { resolveConnection } from '../connection-service.js';
import { connectionView, type ConnectionView } from '../connection-view.js';
import { type Actor, type Db, type ServiceDeps, inTransaction } from '../context.js';
import { assertMayManage, resolveIntegration } from '../integration-service.js';
import { assertConnectionHandleFree, rethrowAsConflict } from '../uniqueness-checks.js';

export interface FolderView {
  id: string;
  tenantId: string;
  integrationId: string;
  parentId: string | null;
  kind: 'root' | 'ou';
  awsId: string;
  handle: string;
  handleIsCustom: boolean;
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** The public shape of a folder. */
export function folderView(row: Folder): FolderView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    integrationId: row.integration_id,
    parentId: row.parent_id,
    kind: row.kind,
    awsId: row.aws_id,
    handle: row.handle,
    handleIsCustom: row.handle_is_custom,
    title: row.title,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

async function mayManageIntegration(trx: Db, actor: Actor, tenantId: string, integrationId: string): Promise<void> {
  const access = await loadTenantAccess(trx, actor, tenantId);
  const integration = await resolveIntegration(trx, access, integrationId);
  const org = integration.org_id === null ? null : await trx.selectFrom('orgs').selectAll().where('id', '=', integration.org_id).executeTakeFirstOrThrow();
  assertMayManage(access, org);
}

/** Sets a folder's custom handle. */
export async function setFolderHandle(deps: ServiceDeps, actor: Actor, tenantId: string, ref: string, handleInput: unknown): Promise<FolderView> {
  const handle = validateHandle(handleInput, 'handle');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const row =
      (await trx.selectFrom('folders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', ref).executeTakeFirst()) ??
      (await trx.selectFrom('folders').selectAll().where('tenant_id', '=', tenantId).where('handle', '=', ref).executeTakeFirst());
    if (row === undefined) throw new NotFoundError('folder_not_found', `Folder '${ref}' not found`);
    try {
      await resolveIntegration(trx, access, row.integration_id);
    } catch {
      throw new NotFoundError('folder_not_found', `Folder '${ref}' not found`);
    }
    await mayManageIntegration(trx, actor, tenantId, row.integration_id);
    const clash = await trx.selectFrom('folders').select('id').where('tenant_id', '=', tenantId).where('handle', '=', handle).where('id', '<>', row.id).executeTakeFirst();
    if (clash !== undefined) throw new ConflictError('handle_taken', `Handle '${handle}' is already used by another folder`, { field: 'handle', details: { folderId: clash.id } });
    const updated = await trx
      .updateTable('folders')
      .set({ handle, handle_is_custom: true, updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => rethrowAsConflict(error, 'handle'));
    const after = folderView(updated);
    await writeAudit(trx, actor, now, { tenantId, action: 'folder.update', targetKind: 'folder', targetId: row.id, before: folderView(row), after });
    return after;
  });
}

/** Sets a connection's custom handle (discovered or standalone). */
export async function setConnectionHandle(deps: ServiceDeps, actor: Actor, tenantId: string, ref: string, handleInput: unknown): Promise<ConnectionView> {
  const handle = validateHandle(handleInput, 'handle');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const row = await resolveConnection(trx, access, ref);
    if (row.integration_id !== null) {
      await mayManageIntegration(trx, actor, tenantId, row.integration_id);
    } else {
      const org = row.org_id === null ? null : await trx.selectFrom('orgs').selectAll().where('id', '=', row.org_id).executeTakeFirstOrThrow();
      assertMayManage(access, org);
    }
    await assertConnectionHandleFree(trx, tenantId, handle, row.id);
    const updated = await trx
      .updateTable('connections')
      .set({ handle, handle_is_custom: true, updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => rethrowAsConflict(error, 'handle'));
    const after = connectionView(updated);
    await writeAudit(trx, actor, now, { tenantId, action: 'connection.update', targetKind: 'connection', targetId: row.id, before: connectionView(row), after });
    return after;
  });
}
