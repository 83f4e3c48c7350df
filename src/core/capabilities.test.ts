import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  CAPABILITY_DEFINITIONS,
  DEFAULT_CAPABILITIES,
  capabilitiesForRole,
  validateCapabilities,
  type Capability,
  type RoleKind,
} from './capabilities.js';
import { catchDomainError } from './test-helpers.js';

describe('CAPABILITY_DEFINITIONS', () => {
  it.each(CAPABILITIES)('%s gives a reason for every action and managed policy', (id) => {
    const definition = CAPABILITY_DEFINITIONS[id];
    expect(definition.id).toBe(id);
    for (const statement of definition.statements) {
      expect(statement.sid).toMatch(/^[A-Za-z0-9]+$/);
      for (const { action, reason } of statement.actions) {
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        expect(reason.length).toBeGreaterThan(10);
      }
    }
    for (const policy of definition.managedPolicies) expect(policy.reason.length).toBeGreaterThan(10);
  });

  it('discovery holds only Organizations List and Describe actions', () => {
    const actions = CAPABILITY_DEFINITIONS.discovery.statements.flatMap((s) => s.actions.map((a) => a.action));
    expect(actions).toContain('organizations:ListDelegatedAdministrators');
    expect(actions).toContain('organizations:DescribeOrganization');
    for (const action of actions) expect(action).toMatch(/^organizations:(List|Describe)/);
  });

  it('identity_read carries every read action of the ConductorOne policy', () => {
    const actions = CAPABILITY_DEFINITIONS.identity_read.statements.flatMap((s) => s.actions.map((a) => a.action));
    expect(actions).toEqual(
      expect.arrayContaining(['iam:GetGroup', 'identitystore:ListGroupMemberships', 'sso:ListAccountAssignments', 'sso:ListInstances']),
    );
    expect(actions).toHaveLength(15);
  });
});

describe('capabilitiesForRole', () => {
  it.each([
    [['read_only'], 'discovery', ['discovery', 'read_only']],
    [['read_only'], 'member', ['read_only']],
    [['discovery', 'security_audit', 'identity_read'], 'member', ['security_audit']],
    [['identity_provision', 'identity_read', 'view_only'], 'discovery', ['discovery', 'view_only', 'identity_read', 'identity_provision']],
    [[], 'member', []],
  ] as [Capability[], RoleKind, Capability[]][])('%j on the %s role → %j', (chosen, role, expected) => {
    expect(capabilitiesForRole(chosen, role)).toEqual(expected);
  });
});

describe('validateCapabilities', () => {
  it.each([
    [[], []],
    [['read_only', 'discovery', 'read_only'], ['discovery', 'read_only']],
    [[...DEFAULT_CAPABILITIES], ['discovery', 'read_only']],
    [[...CAPABILITIES].reverse(), [...CAPABILITIES]],
  ])('%j → %j', (value, expected) => {
    expect(validateCapabilities(value)).toEqual(expected);
  });

  it.each([
    [['read_only', 'admin'], 'capability_unknown', 'capabilities.1'],
    [['ReadOnly'], 'capability_unknown', 'capabilities.0'],
    [[3], 'invalid_type', 'capabilities.0'],
    ['read_only', 'invalid_type', 'capabilities'],
  ])('refuses %j with %s at %s', (value, code, field) => {
    const error = catchDomainError(() => validateCapabilities(value, 'capabilities'));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
  });
});
