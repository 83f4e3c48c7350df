/** Tenants: created by the installation admin, visible to their members. */
import { ForbiddenError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Tenant, TenantPlan } from '../store/database.js';
import { loadTenantAccess } from './access-control.js';
import { writeAudit } from './audit-service.js';
import { type Actor, type ServiceDeps, inTransaction } from './context.js';
import { findOrCreateUser } from './user-records.js';

/** The public shape of a tenant. */
export interface TenantView {
  id: string;
  name: string;
  plan: TenantPlan;
  createdAt: string;
}

/** Maps a tenant row to its public shape. */
export function tenantView(row: Tenant): TenantView {
  return { id: row.id, name: row.name, plan: row.plan, createdAt: new Date(row.created_at).toISOString() };
}

export interface CreateTenantInput {
  name: string;
  plan: TenantPlan;
  owner?: { email: string; name: string };
}

/** Creates a tenant (installation admin only), optionally with its first owner. */
export async function createTenant(deps: ServiceDeps, actor: Actor, input: CreateTenantInput): Promise<TenantView> {
  if (!actor.isAdmin) {
    throw new ForbiddenError('tenant_create_requires_installation_admin', 'Only the installation admin can create tenants');
  }
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const row = await trx
      .insertInto('tenants')
      .values({ id: newId('t'), name: input.name, plan: input.plan, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = tenantView(row);
    let owner: { userId: string; email: string } | null = null;
    if (input.owner) {
      const { user } = await findOrCreateUser(trx, input.owner, now);
      await trx
        .insertInto('memberships')
        .values({ user_id: user.id, tenant_id: row.id, scope_kind: 'tenant', scope_id: row.id, role: 'owner', created_at: now })
        .execute();
      owner = { userId: user.id, email: user.email };
    }
    await writeAudit(trx, actor, now, {
      tenantId: row.id,
      action: 'tenant.create',
      targetKind: 'tenant',
      targetId: row.id,
      before: null,
      after: { ...view, owner },
    });
    return view;
  });
}

/** Tenants the actor belongs to (all of them for the installation admin). */
export async function listTenants(deps: Pick<ServiceDeps, 'db'>, actor: Actor): Promise<TenantView[]> {
  let query = deps.db.selectFrom('tenants').selectAll();
  if (!actor.isAdmin) {
    query = query.where('id', 'in', deps.db.selectFrom('memberships').select('tenant_id').where('user_id', '=', actor.userId));
  }
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(tenantView);
}

/** One tenant, or 404 when it is missing or the actor has no membership in it. */
export async function getTenant(deps: Pick<ServiceDeps, 'db'>, actor: Actor, tenantId: string): Promise<TenantView> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  return tenantView(access.tenant);
}
