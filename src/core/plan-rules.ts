import { ForbiddenError } from './errors.js';
import type { MemberRole, OrgPlan, TenantPlan } from '../store/database.js';

/** Who wants to manage a tenant-level integration, and on what plan. */
export interface TenantIntegrationActor {
  scope: 'tenant';
  tenantPlan: TenantPlan;
  tenantRole: MemberRole | null;
  isAdmin: boolean;
}

/** Who wants to manage an org-level integration, and on what plan. */
export interface OrgIntegrationActor {
  scope: 'org';
  orgPlan: OrgPlan;
  orgRole: MemberRole | null;
  tenantRole: MemberRole | null;
  isAdmin: boolean;
}

/**
 * Refuse with a ForbiddenError naming the rule unless the actor may create, change or delete an integration.
 * Plan first, then role: the plan is a fact of the tenant or org that no one can override, so the
 * installation admin (`isAdmin`) may act on anyone's behalf but is still refused on the wrong plan.
 * - tenant: enterprise tenant; tenant owner (or installation admin). A tenant admin is not enough.
 * - org: team or enterprise org; org owner or org admin, or a tenant owner (who counts as owner of
 *   every org in the tenant), or the installation admin. A tenant admin without an org role is refused.
 */
export function assertCanManageIntegration(actor: TenantIntegrationActor | OrgIntegrationActor): void {
  if (actor.scope === 'tenant') {
    if (actor.tenantPlan !== 'enterprise') {
      throw new ForbiddenError(
        'tenant_integration_requires_enterprise_tenant',
        `Tenant-level integrations require an enterprise tenant (this tenant is on '${actor.tenantPlan}')`,
        { details: { plan: actor.tenantPlan } },
      );
    }
    if (!actor.isAdmin && actor.tenantRole !== 'owner') {
      throw new ForbiddenError(
        'tenant_integration_requires_tenant_owner',
        `Tenant-level integrations can be managed only by a tenant owner (your role: ${actor.tenantRole ?? 'none'})`,
        { details: { role: actor.tenantRole } },
      );
    }
    return;
  }
  if (actor.orgPlan !== 'team' && actor.orgPlan !== 'enterprise') {
    throw new ForbiddenError(
      'org_integration_requires_team_or_enterprise_org',
      `Org-level integrations require a team or enterprise org (this org is on '${actor.orgPlan}')`,
      { details: { plan: actor.orgPlan } },
    );
  }
  const orgRoleAllows = actor.orgRole === 'owner' || actor.orgRole === 'admin';
  if (!actor.isAdmin && !orgRoleAllows && actor.tenantRole !== 'owner') {
    throw new ForbiddenError(
      'org_integration_requires_org_owner_or_admin',
      `Org-level integrations can be managed only by an org owner or admin, or a tenant owner (your org role: ${actor.orgRole ?? 'none'})`,
      { details: { orgRole: actor.orgRole, tenantRole: actor.tenantRole } },
    );
  }
}
