/** Orgs: belong to one tenant; created by tenant owners and admins. */
import { newId } from '../core/ids.js';
import type { Org, OrgPlan } from '../store/database.js';
import { canSeeOrg, loadOrgAccess, loadTenantAccess, requireTenantManager } from './access-control.js';
import { writeAudit } from './audit-service.js';
import { type Actor, type ServiceDeps, inTransaction } from './context.js';

/** The public shape of an org. */
export interface OrgView {
  id: string;
  tenantId: string;
  name: string;
  plan: OrgPlan;
  createdAt: string;
}

/** Maps an org row to its public shape. */
export function orgView(row: Org): OrgView {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, plan: row.plan, createdAt: new Date(row.created_at).toISOString() };
}

/** Creates an org in a tenant (tenant owner/admin or installation admin). */
export async function createOrg(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  input: { name: string; plan: OrgPlan },
): Promise<OrgView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    requireTenantManager(access, 'org_create_requires_tenant_owner_or_admin', 'Creating an org');
    const row = await trx
      .insertInto('orgs')
      .values({ id: newId('o'), tenant_id: tenantId, name: input.name, plan: input.plan, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = orgView(row);
    await writeAudit(trx, actor, now, { tenantId, action: 'org.create', targetKind: 'org', targetId: row.id, before: null, after: view });
    return view;
  });
}

/** The tenant's orgs the actor can see. */
export async function listOrgs(deps: Pick<ServiceDeps, 'db'>, actor: Actor, tenantId: string): Promise<OrgView[]> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const rows = await deps.db.selectFrom('orgs').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
  return rows.filter((row) => canSeeOrg(access, row.id)).map(orgView);
}

/** One org, or 404 unless the actor can see it. */
export async function getOrg(deps: Pick<ServiceDeps, 'db'>, actor: Actor, orgId: string): Promise<OrgView> {
  const { org } = await loadOrgAccess(deps.db, actor, orgId);
  return orgView(org);
}
