import { describe, expect, it } from 'vitest';
import type { MemberRole, OrgPlan, TenantPlan } from '../store/database.js';
import { ForbiddenError } from './errors.js';
import { assertCanManageIntegration } from './plan-rules.js';
import { catchDomainError } from './test-helpers.js';

type R = MemberRole | null;

describe('assertCanManageIntegration: tenant scope', () => {
  it.each([
    ['enterprise', 'owner', false, null],
    ['enterprise', null, true, null],
    ['enterprise', 'admin', false, 'tenant_integration_requires_tenant_owner'],
    ['enterprise', 'member', false, 'tenant_integration_requires_tenant_owner'],
    ['enterprise', null, false, 'tenant_integration_requires_tenant_owner'],
    ['standard', 'owner', false, 'tenant_integration_requires_enterprise_tenant'],
    ['standard', null, true, 'tenant_integration_requires_enterprise_tenant'],
    ['standard', 'member', false, 'tenant_integration_requires_enterprise_tenant'],
  ] as [TenantPlan, R, boolean, string | null][])('plan %s, role %s, admin %s → %s', (tenantPlan, tenantRole, isAdmin, code) => {
    const run = () => assertCanManageIntegration({ scope: 'tenant', tenantPlan, tenantRole, isAdmin });
    if (code === null) return expect(run).not.toThrow();
    const error = catchDomainError(run);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.code).toBe(code);
  });
});

describe('assertCanManageIntegration: org scope', () => {
  it.each([
    ['team', 'owner', null, false, null],
    ['team', 'admin', null, false, null],
    ['enterprise', 'admin', 'member', false, null],
    ['enterprise', null, 'owner', false, null],
    ['team', null, null, true, null],
    ['team', 'member', null, false, 'org_integration_requires_org_owner_or_admin'],
    ['team', null, 'admin', false, 'org_integration_requires_org_owner_or_admin'],
    ['team', null, 'member', false, 'org_integration_requires_org_owner_or_admin'],
    ['team', null, null, false, 'org_integration_requires_org_owner_or_admin'],
    ['free', 'owner', 'owner', false, 'org_integration_requires_team_or_enterprise_org'],
    ['free', null, null, true, 'org_integration_requires_team_or_enterprise_org'],
  ] as [OrgPlan, R, R, boolean, string | null][])(
    'plan %s, org role %s, tenant role %s, admin %s → %s',
    (orgPlan, orgRole, tenantRole, isAdmin, code) => {
      const run = () => assertCanManageIntegration({ scope: 'org', orgPlan, orgRole, tenantRole, isAdmin });
      if (code === null) return expect(run).not.toThrow();
      const error = catchDomainError(run);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.code).toBe(code);
    },
  );

  it('names the rule in the message', () => {
    const error = catchDomainError(() =>
      assertCanManageIntegration({ scope: 'org', orgPlan: 'free', orgRole: 'owner', tenantRole: null, isAdmin: false }),
    );
    expect(error.message).toMatch(/team or enterprise org/);
  });
});
