/**
 * Standalone connections: created by hand, without an Organization, at tenant level or in
 * one org. Discovered connections (created by integrations) are listed and shown here too,
 * but are changed only through their integration.
 */
import { ConflictError, InputError, NotFoundError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Connection, Org, RegionsSetting } from '../store/database.js';
import { canSeeOrg, loadTenantAccess, loadVisibleOrg, seesWholeTenant, type TenantAccess } from './access-control.js';
import { writeAudit } from './audit-service.js';
import { connectionColumns, type ConnectionSettingsInput, validateConnectionSettings } from './connection-settings.js';
import { connectionView, type ConnectionView } from './connection-view.js';
import { type Actor, type Db, type ServiceDeps, inTransaction } from './context.js';
import { assertMayManage } from './integration-service.js';
import { assertConnectionHandleFree, assertExternalIdFree, rethrowAsConflict } from './uniqueness-checks.js';

/** Create input: the settings plus the optional owning org. */
export interface CreateConnectionInput extends ConnectionSettingsInput {
  orgId?: string;
}

/** A PATCH of a standalone connection; the merged result is validated as a whole. */
export interface ConnectionPatch {
  handle?: string;
  title?: string;
  accountId?: string | null;
  accountScope?: 'all' | string[] | null;
  roleName?: string;
  externalId?: string;
  regions?: RegionsSetting;
  advanced?: unknown;
  capabilities?: string[];
  customPolicyArns?: string[];
  extraActions?: string[];
}

function visible(access: TenantAccess, row: Pick<Connection, 'org_id'>): boolean {
  return row.org_id === null ? seesWholeTenant(access) : canSeeOrg(access, row.org_id);
}

/** Finds a connection of the tenant by id or handle; 404 when absent or invisible. */
export async function resolveConnection(trx: Db, access: TenantAccess, ref: string): Promise<Connection> {
  // An id wins over a handle that happens to look like one.
  const byId = await trx.selectFrom('connections').selectAll().where('tenant_id', '=', access.tenant.id).where('id', '=', ref).executeTakeFirst();
  const row =
    byId ??
    (await trx.selectFrom('connections').selectAll().where('tenant_id', '=', access.tenant.id).where('handle', '=', ref).executeTakeFirst());
  if (!row || !visible(access, row)) throw new NotFoundError('connection_not_found', `Connection '${ref}' not found`);
  return row;
}

async function orgOf(trx: Db, orgId: string | null): Promise<Org | null> {
  if (orgId === null) return null;
  return trx.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}

function requireStandalone(row: Connection): void {
  if (row.integration_id !== null) {
    throw new ConflictError('connection_managed_by_integration', `Connection '${row.handle}' was created by an integration; change it there`, {
      details: { integrationId: row.integration_id },
    });
  }
}

/** Creates a standalone connection after every rule passes (plan rules as for integrations at that scope). */
export async function createConnection(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  input: CreateConnectionInput,
): Promise<ConnectionView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const org = input.orgId === undefined ? null : await loadVisibleOrg(trx, access, input.orgId);
    assertMayManage(access, org);
    const settings = validateConnectionSettings(input, org?.id ?? tenantId);
    await assertConnectionHandleFree(trx, tenantId, settings.handle);
    await assertExternalIdFree(trx, settings.externalId, 'externalId');
    const row = await trx
      .insertInto('connections')
      .values({
        id: newId('c'),
        tenant_id: tenantId,
        org_id: org?.id ?? null,
        integration_id: null,
        folder_id: null,
        handle_is_custom: true,
        ...connectionColumns(settings),
        state: 'active',
        health: 'unknown',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => rethrowAsConflict(error, 'externalId'));
    const view = connectionView(row);
    await writeAudit(trx, actor, now, { tenantId, action: 'connection.create', targetKind: 'connection', targetId: row.id, before: null, after: view });
    return view;
  });
}

/** The tenant's connections the actor can see, optionally filtered. */
export async function listConnections(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  tenantId: string,
  filter: { orgId?: string; integrationId?: string; standalone?: boolean } = {},
): Promise<ConnectionView[]> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  let query = deps.db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId);
  if (filter.orgId !== undefined) query = query.where('org_id', '=', filter.orgId);
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  if (filter.standalone === true) query = query.where('integration_id', 'is', null);
  if (filter.standalone === false) query = query.where('integration_id', 'is not', null);
  const rows = await query.orderBy('handle').execute();
  return rows.filter((row) => visible(access, row)).map(connectionView);
}

/** One connection by id or handle. */
export async function getConnection(deps: Pick<ServiceDeps, 'db'>, actor: Actor, tenantId: string, ref: string): Promise<ConnectionView> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  return connectionView(await resolveConnection(deps.db, access, ref));
}

/** Modifies a standalone connection. */
export async function updateConnection(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  ref: string,
  patch: ConnectionPatch,
): Promise<ConnectionView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const row = await resolveConnection(trx, access, ref);
    requireStandalone(row);
    assertMayManage(access, await orgOf(trx, row.org_id));
    if (Object.values(patch).every((value) => value === undefined)) {
      throw new InputError('nothing_to_update', 'The PATCH body names no setting to change', { field: 'body' });
    }
    const before = connectionView(row);
    const switchesAccounts = patch.accountId !== undefined || patch.accountScope !== undefined;
    const merged: ConnectionSettingsInput = {
      handle: patch.handle ?? row.handle,
      title: patch.title ?? row.title,
      accountId: switchesAccounts ? patch.accountId : row.aws_account_id,
      accountScope: switchesAccounts ? patch.accountScope : row.account_scope,
      roleName: patch.roleName ?? row.role_name ?? '',
      externalId: patch.externalId ?? row.external_id,
      regions: patch.regions ?? row.regions ?? 'all',
      advanced: patch.advanced ?? row.advanced ?? {},
      capabilities: patch.capabilities ?? row.capabilities,
      customPolicyArns: patch.customPolicyArns ?? row.custom_policy_arns,
      extraActions: patch.extraActions ?? row.extra_actions,
    };
    const settings = validateConnectionSettings(merged, row.org_id ?? tenantId);
    if (settings.handle !== row.handle) await assertConnectionHandleFree(trx, tenantId, settings.handle, row.id);
    if (settings.externalId !== row.external_id) {
      await assertExternalIdFree(trx, settings.externalId, 'externalId', { kind: 'connection', id: row.id });
    }
    const updated = await trx
      .updateTable('connections')
      .set({ ...connectionColumns(settings), updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => rethrowAsConflict(error, 'externalId'));
    const after = connectionView(updated);
    await writeAudit(trx, actor, now, { tenantId, action: 'connection.update', targetKind: 'connection', targetId: row.id, before, after });
    return after;
  });
}

/** Deletes a standalone connection and its permissions; the handle must be typed back as `confirm`. */
export async function deleteConnection(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  ref: string,
  confirm: string,
): Promise<{ id: string; handle: string; deleted: true; removed: { permissions: number } }> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const row = await resolveConnection(trx, access, ref);
    requireStandalone(row);
    assertMayManage(access, await orgOf(trx, row.org_id));
    if (confirm !== row.handle) {
      throw new InputError('confirmation_mismatch', `Type the connection's handle '${row.handle}' to confirm deletion`, { field: 'confirm' });
    }
    const permissions = await trx
      .deleteFrom('permissions')
      .where('target_kind', '=', 'connection')
      .where('target_id', '=', row.id)
      .executeTakeFirst();
    await trx.deleteFrom('connections').where('id', '=', row.id).execute();
    const removed = { permissions: Number(permissions.numDeletedRows) };
    await writeAudit(trx, actor, now, {
      tenantId,
      action: 'connection.delete',
      targetKind: 'connection',
      targetId: row.id,
      before: connectionView(row),
      after: { deleted: true, removed },
    });
    return { id: row.id, handle: row.handle, deleted: true, removed };
  });
}
