/**
 * Who may see and do what inside a tenant. Anyone without a membership in a tenant gets a
 * 404 for everything in it, exactly as if it did not exist; 403 is kept for callers who can
 * see the object but whose role or plan refuses the action (the code names the rule).
 */
import { ForbiddenError, NotFoundError } from '../core/errors.js';
import type { MemberRole, Org, Tenant } from '../store/database.js';
import type { Actor, Db } from './context.js';

/** What the actor is allowed inside one tenant. */
export interface TenantAccess {
  tenant: Tenant;
  actor: Actor;
  /** Role at tenant scope, if any. */
  tenantRole: MemberRole | null;
  /** Roles at org scope, by org id. */
  orgRoles: Map<string, MemberRole>;
}

const RANK: Record<MemberRole, number> = { member: 1, admin: 2, owner: 3 };

/** The stronger of two roles (null when neither is set). */
export function strongerRole(a: MemberRole | null, b: MemberRole | null): MemberRole | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** Loads the tenant and the actor's roles in it; 404 when it is missing or invisible to the actor. */
export async function loadTenantAccess(db: Db, actor: Actor, tenantId: string): Promise<TenantAccess> {
  const tenant = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  const notFound = new NotFoundError('tenant_not_found', `Tenant '${tenantId}' not found`);
  if (!tenant) throw notFound;
  const memberships = await db
    .selectFrom('memberships')
    .select(['scope_kind', 'scope_id', 'role'])
    .where('user_id', '=', actor.userId)
    .where('tenant_id', '=', tenantId)
    .execute();
  if (memberships.length === 0 && !actor.isAdmin) throw notFound;
  let tenantRole: MemberRole | null = null;
  const orgRoles = new Map<string, MemberRole>();
  for (const m of memberships) {
    if (m.scope_kind === 'tenant') tenantRole = strongerRole(tenantRole, m.role);
    else orgRoles.set(m.scope_id, strongerRole(orgRoles.get(m.scope_id) ?? null, m.role) ?? m.role);
  }
  return { tenant, actor, tenantRole, orgRoles };
}

/** True when the actor sees everything in the tenant (installation admin or any tenant-scope role). */
export function seesWholeTenant(access: TenantAccess): boolean {
  return access.actor.isAdmin || access.tenantRole !== null;
}

/** True when the actor may see the org (and its workspaces and org-level objects). */
export function canSeeOrg(access: TenantAccess, orgId: string): boolean {
  return seesWholeTenant(access) || access.orgRoles.has(orgId);
}

/** The actor's effective role in an org: a tenant role carries down to every org of the tenant. */
export function effectiveOrgRole(access: TenantAccess, orgId: string): MemberRole | null {
  return strongerRole(access.tenantRole, access.orgRoles.get(orgId) ?? null);
}

/** Loads an org of this tenant that the actor may see, else 404. */
export async function loadVisibleOrg(db: Db, access: TenantAccess, orgId: string): Promise<Org> {
  const org = await db
    .selectFrom('orgs')
    .selectAll()
    .where('id', '=', orgId)
    .where('tenant_id', '=', access.tenant.id)
    .executeTakeFirst();
  if (!org || !canSeeOrg(access, org.id)) throw new NotFoundError('org_not_found', `Org '${orgId}' not found`);
  return org;
}

/** Loads an org by id anywhere, with the actor's access to its tenant; 404 unless visible. */
export async function loadOrgAccess(db: Db, actor: Actor, orgId: string): Promise<{ org: Org; access: TenantAccess }> {
  const notFound = new NotFoundError('org_not_found', `Org '${orgId}' not found`);
  const row = await db.selectFrom('orgs').select('tenant_id').where('id', '=', orgId).executeTakeFirst();
  if (!row) throw notFound;
  let access: TenantAccess;
  try {
    access = await loadTenantAccess(db, actor, row.tenant_id);
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound;
    throw error;
  }
  return { org: await loadVisibleOrg(db, access, orgId), access };
}

function isManager(role: MemberRole | null): boolean {
  return role === 'owner' || role === 'admin';
}

/** Refuses unless the actor is the installation admin or a tenant owner/admin. */
export function requireTenantManager(access: TenantAccess, code: string, what: string): void {
  if (access.actor.isAdmin || isManager(access.tenantRole)) return;
  throw new ForbiddenError(code, `${what} requires a tenant owner or admin`);
}

/** Refuses unless the actor is the installation admin or an owner/admin of the org (or its tenant). */
export function requireOrgManager(access: TenantAccess, orgId: string, code: string, what: string): void {
  if (access.actor.isAdmin || isManager(effectiveOrgRole(access, orgId))) return;
  throw new ForbiddenError(code, `${what} requires an org owner or admin`);
}
