import { describe, expect, it } from 'vitest';
import { canSeeOrg, effectiveOrgRole, seesWholeTenant, strongerRole, type TenantAccess } from '../../src/services/access-control.js';
import type { MemberRole } from '../../src/store/database.js';

function access(tenantRole: MemberRole | null, orgRoles: Record<string, MemberRole> = {}, isAdmin = false): TenantAccess {
  return {
    tenant: { id: 't_aaaaaaaaaaaa', name: 'T', plan: 'enterprise', created_at: new Date(0) },
    actor: { userId: 'u_aaaaaaaaaaaa', tokenId: null, isAdmin },
    tenantRole,
    orgRoles: new Map(Object.entries(orgRoles)),
  };
}

describe('access control', () => {
  it.each([
    [null, null, null],
    ['member', null, 'member'],
    [null, 'admin', 'admin'],
    ['member', 'owner', 'owner'],
    ['owner', 'admin', 'owner'],
    ['admin', 'member', 'admin'],
  ] as const)('strongerRole(%s, %s) = %s', (a, b, expected) => {
    expect(strongerRole(a, b)).toBe(expected);
  });

  it.each([
    ['installation admin', access(null, {}, true), true, true],
    ['tenant member', access('member'), true, true],
    ['org-only member', access(null, { o_mine: 'member' }), false, false],
  ])('%s: sees whole tenant %s, sees a sibling org %s', (_label, a, whole, sibling) => {
    expect(seesWholeTenant(a)).toBe(whole);
    expect(canSeeOrg(a, 'o_sibling')).toBe(sibling);
    if (a.orgRoles.size > 0) expect(canSeeOrg(a, 'o_mine')).toBe(true);
  });

  it('a tenant role carries down to every org, and the stronger role wins', () => {
    expect(effectiveOrgRole(access('owner'), 'o_any')).toBe('owner');
    expect(effectiveOrgRole(access('member', { o_x: 'admin' }), 'o_x')).toBe('admin');
    expect(effectiveOrgRole(access(null, { o_x: 'admin' }), 'o_y')).toBeNull();
  });
});
