/**
 * AWS integrations (kind aws_organization) at tenant or org level: create, list, show,
 * modify and delete. Every mutation runs in one transaction with its audit entry.
 * Order of refusals: 404 (invisible scope or object), 403 (plan rule), 400 (input), 409 (clash).
 */
import { InputError, NotFoundError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { assertCanManageIntegration } from '../core/plan-rules.js';
import type { Integration, Org, PermissionMode, RegionsSetting } from '../store/database.js';
import {
  canSeeOrg,
  loadOrgAccess,
  loadTenantAccess,
  seesWholeTenant,
  type TenantAccess,
} from './access-control.js';
import { writeAudit } from './audit-service.js';
import { type Actor, type Db, type ServiceDeps, inTransaction } from './context.js';
import { deleteIntegrationCascade, type CascadeCounts } from './integration-cascade.js';
import { type IntegrationSettingsInput, validateIntegrationSettings } from './integration-settings.js';
import { integrationView, settingsColumns, settingsInputOf, type IntegrationView } from './integration-view.js';
import {
  assertExternalIdFree,
  assertIntegrationHandleFree,
  assertWorkspacesInScope,
  rethrowAsConflict,
} from './uniqueness-checks.js';

/** Where an integration is created: the tenant itself, or one of its orgs. */
export type IntegrationScope = { kind: 'tenant'; tenantId: string } | { kind: 'org'; orgId: string };

/** A PATCH: every part optional; the merged result is validated as a whole. */
export interface IntegrationPatch {
  handle?: string;
  discovery?: { roleName?: string; externalId?: string; roleArn?: string | null };
  connections?: { handlePrefix?: string | null; regions?: RegionsSetting; advanced?: unknown };
  capabilities?: string[];
  customPolicyArns?: string[];
  extraActions?: string[];
  permissions?: { mode: PermissionMode; workspaceIds?: string[] };
  sync?: { intervalSeconds: number | null };
}

/** Applies the plan rule for managing an integration at the given scope (org null = tenant level). */
export function assertMayManage(access: TenantAccess, org: Org | null): void {
  const { actor, tenant, tenantRole } = access;
  if (org === null) {
    assertCanManageIntegration({ scope: 'tenant', tenantPlan: tenant.plan, tenantRole, isAdmin: actor.isAdmin });
  } else {
    const orgRole = access.orgRoles.get(org.id) ?? null;
    assertCanManageIntegration({ scope: 'org', orgPlan: org.plan, orgRole, tenantRole, isAdmin: actor.isAdmin });
  }
}

async function resolveScope(trx: Db, actor: Actor, scope: IntegrationScope): Promise<{ access: TenantAccess; org: Org | null }> {
  if (scope.kind === 'tenant') return { access: await loadTenantAccess(trx, actor, scope.tenantId), org: null };
  const { access, org } = await loadOrgAccess(trx, actor, scope.orgId);
  return { access, org };
}

function visible(access: TenantAccess, row: Pick<Integration, 'org_id'>): boolean {
  return row.org_id === null ? seesWholeTenant(access) : canSeeOrg(access, row.org_id);
}

/** Finds an integration of the tenant by id or handle; 404 when absent or invisible to the actor. */
export async function resolveIntegration(trx: Db, access: TenantAccess, ref: string): Promise<Integration> {
  // An id wins over a handle that happens to look like one.
  const byId = await trx.selectFrom('integrations').selectAll().where('tenant_id', '=', access.tenant.id).where('id', '=', ref).executeTakeFirst();
  const row =
    byId ??
    (await trx.selectFrom('integrations').selectAll().where('tenant_id', '=', access.tenant.id).where('handle', '=', ref).executeTakeFirst());
  if (!row || !visible(access, row)) throw new NotFoundError('integration_not_found', `Integration '${ref}' not found`);
  return row;
}

async function loadOrgRow(trx: Db, orgId: string | null): Promise<Org | null> {
  if (orgId === null) return null;
  return trx.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}

/** Creates an integration after every rule passes. */
export async function createIntegration(
  deps: ServiceDeps,
  actor: Actor,
  scope: IntegrationScope,
  input: IntegrationSettingsInput,
): Promise<IntegrationView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const { access, org } = await resolveScope(trx, actor, scope);
    assertMayManage(access, org);
    const tenantId = access.tenant.id;
    const settings = validateIntegrationSettings(input, org?.id ?? tenantId);
    await assertWorkspacesInScope(trx, { tenantId, orgId: org?.id ?? null }, settings.permissionWorkspaceIds);
    await assertIntegrationHandleFree(trx, tenantId, settings.handle);
    await assertExternalIdFree(trx, settings.externalId, 'discovery.externalId');
    const row = await trx
      .insertInto('integrations')
      .values({
        id: newId('i'),
        tenant_id: tenantId,
        org_id: org?.id ?? null,
        kind: 'aws_organization',
        ...settingsColumns(settings),
        webhook_secret_enc: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => rethrowAsConflict(error, 'discovery.externalId'));
    const view = integrationView(row);
    await writeAudit(trx, actor, now, { tenantId, action: 'integration.create', targetKind: 'integration', targetId: row.id, before: null, after: view });
    return view;
  });
}

/** The tenant's integrations the actor can see (optionally only one org's). */
export async function listIntegrations(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  tenantId: string,
  filter: { orgId?: string } = {},
): Promise<IntegrationView[]> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  let query = deps.db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenantId);
  if (filter.orgId !== undefined) query = query.where('org_id', '=', filter.orgId);
  const rows = await query.orderBy('handle').execute();
  return rows.filter((row) => visible(access, row)).map(integrationView);
}

/** The integrations of one org (404 unless the actor can see the org). */
export async function listOrgIntegrations(deps: Pick<ServiceDeps, 'db'>, actor: Actor, orgId: string): Promise<IntegrationView[]> {
  const { access } = await loadOrgAccess(deps.db, actor, orgId);
  return listIntegrations(deps, actor, access.tenant.id, { orgId });
}

/** One integration by id or handle. */
export async function getIntegration(deps: Pick<ServiceDeps, 'db'>, actor: Actor, tenantId: string, ref: string): Promise<IntegrationView> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  return integrationView(await resolveIntegration(deps.db, access, ref));
}

function mergePatch(base: IntegrationSettingsInput, patch: IntegrationPatch): IntegrationSettingsInput {
  return {
    handle: patch.handle ?? base.handle,
    discovery: { ...base.discovery, ...patch.discovery },
    connections: { ...base.connections, ...patch.connections },
    capabilities: patch.capabilities ?? base.capabilities,
    customPolicyArns: patch.customPolicyArns ?? base.customPolicyArns,
    extraActions: patch.extraActions ?? base.extraActions,
    permissions: patch.permissions ?? base.permissions,
    sync: patch.sync ?? base.sync,
  };
}

/** Modifies handle, handle prefix, credentials, connection settings, capabilities, permissions or the sync interval. */
export async function updateIntegration(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  ref: string,
  patch: IntegrationPatch,
): Promise<IntegrationView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const row = await resolveIntegration(trx, access, ref);
    const org = await loadOrgRow(trx, row.org_id);
    assertMayManage(access, org);
    if (Object.values(patch).every((value) => value === undefined)) {
      throw new InputError('nothing_to_update', 'The PATCH body names no setting to change', { field: 'body' });
    }
    const before = integrationView(row);
    const settings = validateIntegrationSettings(mergePatch(settingsInputOf(before), patch), org?.id ?? tenantId);
    await assertWorkspacesInScope(trx, { tenantId, orgId: row.org_id }, settings.permissionWorkspaceIds);
    if (settings.handle !== row.handle) await assertIntegrationHandleFree(trx, tenantId, settings.handle, row.id);
    if (settings.externalId !== row.external_id) {
      await assertExternalIdFree(trx, settings.externalId, 'discovery.externalId', { kind: 'integration', id: row.id });
    }
    const updated = await trx
      .updateTable('integrations')
      .set({ ...settingsColumns(settings), updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => rethrowAsConflict(error, 'discovery.externalId'));
    const after = integrationView(updated);
    await writeAudit(trx, actor, now, { tenantId, action: 'integration.update', targetKind: 'integration', targetId: row.id, before, after });
    return after;
  });
}

/** Deletes an integration and everything it created; the handle must be typed back as `confirm`. */
export async function deleteIntegration(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  ref: string,
  confirm: string,
): Promise<{ id: string; handle: string; deleted: true; removed: CascadeCounts }> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    const row = await resolveIntegration(trx, access, ref);
    assertMayManage(access, await loadOrgRow(trx, row.org_id));
    if (confirm !== row.handle) {
      throw new InputError('confirmation_mismatch', `Type the integration's handle '${row.handle}' to confirm deletion`, {
        field: 'confirm',
      });
    }
    const removed = await deleteIntegrationCascade(trx, row.id);
    await writeAudit(trx, actor, now, {
      tenantId,
      action: 'integration.delete',
      targetKind: 'integration',
      targetId: row.id,
      before: integrationView(row),
      after: { deleted: true, removed },
    });
    return { id: row.id, handle: row.handle, deleted: true, removed };
  });
}
