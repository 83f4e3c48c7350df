/** Workspaces: belong to one org; their handle is unique within it. */
import { ConflictError } from '../core/errors.js';
import { validateHandle } from '../core/handle.js';
import { newId } from '../core/ids.js';
import type { Workspace } from '../store/database.js';
import { loadOrgAccess, requireOrgManager } from './access-control.js';
import { writeAudit } from './audit-service.js';
import { type Actor, type ServiceDeps, inTransaction } from './context.js';

/** The public shape of a workspace. */
export interface WorkspaceView {
  id: string;
  tenantId: string;
  orgId: string;
  handle: string;
  name: string;
  createdAt: string;
}

/** Maps a workspace row to its public shape. */
export function workspaceView(row: Workspace): WorkspaceView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    orgId: row.org_id,
    handle: row.handle,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Creates a workspace in an org (org owner/admin, tenant owner/admin, or installation admin). */
export async function createWorkspace(
  deps: ServiceDeps,
  actor: Actor,
  orgId: string,
  input: { handle: string; name: string },
): Promise<WorkspaceView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const { org, access } = await loadOrgAccess(trx, actor, orgId);
    requireOrgManager(access, org.id, 'workspace_create_requires_org_owner_or_admin', 'Creating a workspace');
    const handle = validateHandle(input.handle, 'handle');
    const clash = await trx.selectFrom('workspaces').select('id').where('org_id', '=', orgId).where('handle', '=', handle).executeTakeFirst();
    if (clash) {
      throw new ConflictError('handle_taken', `Handle '${handle}' is already used by a workspace of org '${org.name}'`, {
        field: 'handle',
        details: { where: { kind: 'workspace', id: clash.id, orgId: org.id, orgName: org.name } },
      });
    }
    const row = await trx
      .insertInto('workspaces')
      .values({ id: newId('w'), tenant_id: org.tenant_id, org_id: orgId, handle, name: input.name, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = workspaceView(row);
    await writeAudit(trx, actor, now, {
      tenantId: org.tenant_id,
      action: 'workspace.create',
      targetKind: 'workspace',
      targetId: row.id,
      before: null,
      after: view,
    });
    return view;
  });
}

/** The org's workspaces, or 404 unless the actor can see the org. */
export async function listWorkspaces(deps: Pick<ServiceDeps, 'db'>, actor: Actor, orgId: string): Promise<WorkspaceView[]> {
  await loadOrgAccess(deps.db, actor, orgId);
  const rows = await deps.db.selectFrom('workspaces').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map(workspaceView);
}
