/**
 * Memberships: a user's role (owner, admin, member) in a tenant or in one of its orgs.
 * Adding a member creates the user when the email is new.
 */
import { ConflictError, ForbiddenError } from '../core/errors.js';
import type { MemberRole, Membership, ScopeKind } from '../store/database.js';
import {
  effectiveOrgRole,
  loadTenantAccess,
  loadVisibleOrg,
  requireOrgManager,
  requireTenantManager,
  type TenantAccess,
} from './access-control.js';
import { writeAudit } from './audit-service.js';
import { type Actor, type ServiceDeps, inTransaction } from './context.js';
import { findOrCreateUser, type UserView, userView } from './user-records.js';

/** The public shape of a membership. */
export interface MembershipView {
  id: number;
  userId: string;
  tenantId: string;
  scopeKind: ScopeKind;
  scopeId: string;
  role: MemberRole;
  createdAt: string;
}

/** Maps a membership row to its public shape. */
export function membershipView(row: Membership): MembershipView {
  return {
    id: row.id,
    userId: row.user_id,
    tenantId: row.tenant_id,
    scopeKind: row.scope_kind,
    scopeId: row.scope_id,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export interface AddMemberInput {
  email: string;
  name: string;
  role: MemberRole;
  orgId?: string;
}

function requireOwnerToGrantOwner(access: TenantAccess, orgId: string | undefined, role: MemberRole): void {
  if (role !== 'owner' || access.actor.isAdmin) return;
  const actorRole = orgId === undefined ? access.tenantRole : effectiveOrgRole(access, orgId);
  if (actorRole !== 'owner') {
    throw new ForbiddenError('owner_grant_requires_owner', 'Only an owner can make someone an owner');
  }
}

/** Adds a user (created if new) to the tenant or one of its orgs with a role. */
export async function addMember(
  deps: ServiceDeps,
  actor: Actor,
  tenantId: string,
  input: AddMemberInput,
): Promise<{ membership: MembershipView; user: UserView; userCreated: boolean }> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const access = await loadTenantAccess(trx, actor, tenantId);
    let scope: { kind: ScopeKind; id: string } = { kind: 'tenant', id: tenantId };
    if (input.orgId !== undefined) {
      const org = await loadVisibleOrg(trx, access, input.orgId);
      requireOrgManager(access, org.id, 'member_add_requires_owner_or_admin', 'Adding an org member');
      scope = { kind: 'org', id: org.id };
    } else {
      requireTenantManager(access, 'member_add_requires_owner_or_admin', 'Adding a tenant member');
    }
    requireOwnerToGrantOwner(access, input.orgId, input.role);
    const { user, created } = await findOrCreateUser(trx, input, now);
    const existing = await trx
      .selectFrom('memberships')
      .selectAll()
      .where('user_id', '=', user.id)
      .where('scope_kind', '=', scope.kind)
      .where('scope_id', '=', scope.id)
      .executeTakeFirst();
    if (existing) {
      throw new ConflictError('membership_exists', `${user.email} already has the role '${existing.role}' here`, {
        field: 'email',
        details: { where: { scopeKind: scope.kind, scopeId: scope.id }, membershipId: existing.id, role: existing.role },
      });
    }
    const row = await trx
      .insertInto('memberships')
      .values({ user_id: user.id, tenant_id: tenantId, scope_kind: scope.kind, scope_id: scope.id, role: input.role, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const membership = membershipView(row);
    await writeAudit(trx, actor, now, {
      tenantId,
      action: 'membership.create',
      targetKind: 'membership',
      targetId: String(row.id),
      before: null,
      after: { ...membership, email: user.email, userCreated: created },
    });
    return { membership, user: userView(user), userCreated: created };
  });
}

/** The tenant's memberships with their users (any member of the tenant may list them). */
export async function listMembers(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  tenantId: string,
): Promise<Array<{ membership: MembershipView; user: UserView }>> {
  await loadTenantAccess(deps.db, actor, tenantId);
  const rows = await deps.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('memberships')
    .select(['users.email', 'users.name', 'users.is_admin'])
    .where('memberships.tenant_id', '=', tenantId)
    .orderBy('memberships.id')
    .execute();
  return rows.map((row) => ({
    membership: membershipView(row),
    user: { id: row.user_id, email: row.email, name: row.name, isAdmin: row.is_admin },
  }));
}
