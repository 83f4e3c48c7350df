import { describe, expect, it } from 'vitest';
import type { Capability, RoleKind } from './capabilities.js';
import type { Partition } from './arn.js';
import { composePermissions, validateExtraActions, validateManagedPolicyArns } from './policy-composition.js';
import { catchDomainError } from './test-helpers.js';

describe('validateManagedPolicyArns', () => {
  it.each([
    [[], []],
    [['arn:aws:iam::aws:policy/ReadOnlyAccess'], ['arn:aws:iam::aws:policy/ReadOnlyAccess']],
    [['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'], ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess']],
    [
      ['arn:aws:iam::123456789012:policy/team/Custom', 'arn:aws-cn:iam::aws:policy/SecurityAudit', 'arn:aws:iam::123456789012:policy/team/Custom'],
      ['arn:aws-cn:iam::aws:policy/SecurityAudit', 'arn:aws:iam::123456789012:policy/team/Custom'],
    ],
    [['arn:aws-us-gov:iam::123456789012:policy/A+=,.@-_'], ['arn:aws-us-gov:iam::123456789012:policy/A+=,.@-_']],
  ])('%j → %j', (value, expected) => {
    expect(validateManagedPolicyArns(value)).toEqual(expected);
  });

  it.each([
    [['ReadOnlyAccess'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [['arn:aws:iam::aws:role/ReadOnlyAccess'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [['arn:aws:iam::12345:policy/X'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [['arn:aws-iso:iam::aws:policy/X'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [['arn:aws:s3:::bucket'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [['arn:aws:iam::aws:policy/'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [['arn:aws:iam::aws:policy/a//B'], 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:policy/P${i}`), 'managed_policy_arns_too_many', 'customPolicyArns'],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'invalid_type', 'customPolicyArns'],
  ])('refuses %j with %s at %s', (value, code, field) => {
    const error = catchDomainError(() => validateManagedPolicyArns(value));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
  });
});

describe('validateExtraActions', () => {
  it.each([
    [[], []],
    [['s3:GetObject'], ['s3:GetObject']],
    [['S3:GetObject'], ['s3:GetObject']],
    [['ec2:Describe*', 's3:GetObject', 'ec2:Describe*'], ['ec2:Describe*', 's3:GetObject']],
    [['s3:GetObject', 's3:getobject'], ['s3:GetObject']],
    [['s3:*', 'cognito-idp:ListUsers', 'iam:Get?ser'], ['cognito-idp:ListUsers', 'iam:Get?ser', 's3:*']],
  ])('%j → %j', (value, expected) => {
    expect(validateExtraActions(value)).toEqual(expected);
  });

  it.each([
    [['*'], 'extraActions.0', 'every action'],
    [['*:*'], 'extraActions.0', 'every action'],
    [['s3:GetObject', 's3'], 'extraActions.1', "'service:Action'"],
    [['s3:'], 'extraActions.0', 'service prefix'],
    [[':GetObject'], 'extraActions.0', 'service prefix'],
    [['*:GetObject'], 'extraActions.0', 'service prefix'],
    [['s3:Get-Object'], 'extraActions.0', 'service prefix'],
    [['s3:Get Object'], 'extraActions.0', 'service prefix'],
    [['s3:GetObject:x'], 'extraActions.0', 'service prefix'],
    [['s_3:GetObject'], 'extraActions.0', 'service prefix'],
  ])('refuses %j with extra_action_invalid at %s', (value, field, fragment) => {
    const error = catchDomainError(() => validateExtraActions(value));
    expect(error.code).toBe('extra_action_invalid');
    expect(error.field).toBe(field);
    expect(error.message).toContain(fragment);
    expect(error.details).toEqual({ value: value[Number(field.split('.')[1])] });
  });

  it.each([
    [Array.from({ length: 101 }, (_, i) => `s3:Action${i}`), 'extra_actions_too_many'],
    ['s3:GetObject', 'invalid_type'],
  ])('refuses %#: %s', (value, code) => {
    expect(catchDomainError(() => validateExtraActions(value)).code).toBe(code);
  });
});

const base = { customPolicyArns: [] as string[], extraActions: [] as string[], partition: 'aws' as Partition };

describe('composePermissions', () => {
  it.each([
    [['read_only'], 'member', ['arn:aws:iam::aws:policy/ReadOnlyAccess'], []],
    [['read_only'], 'discovery', ['arn:aws:iam::aws:policy/ReadOnlyAccess'], ['OrglinkDiscovery']],
    [[], 'discovery', [], ['OrglinkDiscovery']],
    [[], 'member', [], []],
    [
      ['security_audit', 'view_only'],
      'member',
      ['arn:aws:iam::aws:policy/SecurityAudit', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      [],
    ],
    [['identity_read', 'identity_provision'], 'member', [], []],
    [
      ['identity_read', 'identity_provision'],
      'discovery',
      [],
      ['OrglinkDiscovery', 'OrglinkIdentityRead', 'OrglinkIdentityProvision', 'OrglinkIdentityProvisionSsoRoles', 'OrglinkIdentityProvisionSamlProvider'],
    ],
  ] as [Capability[], RoleKind, string[], string[]][])('%j on the %s role → %j and statements %j', (capabilities, role, managed, sids) => {
    const composed = composePermissions({ ...base, capabilities, role });
    expect(composed.managedPolicyArns).toEqual(managed);
    expect(composed.statements.map((s) => s.Sid)).toEqual(sids);
  });

  it.each(['aws', 'aws-cn', 'aws-us-gov'] as Partition[])('puts the %s partition into every ARN', (partition) => {
    const composed = composePermissions({ ...base, partition, capabilities: ['read_only', 'identity_provision'], role: 'discovery' });
    expect(composed.managedPolicyArns).toEqual([`arn:${partition}:iam::aws:policy/ReadOnlyAccess`]);
    const resources = composed.statements.map((s) => s.Resource).filter((r) => r !== '*');
    expect(resources).toEqual([
      `arn:${partition}:iam::*:role/aws-reserved/sso.amazonaws.com/*`,
      `arn:${partition}:iam::*:saml-provider/AWSSSO_*_DO_NOT_DELETE`,
    ]);
  });

  it('grants each action once per resource, with sorted actions', () => {
    const composed = composePermissions({
      ...base,
      capabilities: ['identity_read', 'identity_provision'],
      extraActions: ['iam:ListRoles', 's3:GetObject', 'organizations:ListRoots'],
      role: 'discovery',
    });
    const star = composed.statements.filter((s) => s.Resource === '*').flatMap((s) => s.Action);
    expect(new Set(star).size).toBe(star.length);
    for (const s of composed.statements) expect(s.Action).toEqual([...s.Action].sort());
    const byId = Object.fromEntries(composed.statements.map((s) => [s.Sid, s.Action]));
    expect(byId.OrglinkDiscovery).toContain('organizations:ListAccounts');
    expect(byId.OrglinkIdentityRead).not.toContain('organizations:ListAccounts');
    expect(byId.OrglinkIdentityProvision).not.toContain('iam:ListRoles');
    expect(byId.OrglinkExtraActions).toEqual(['s3:GetObject']);
  });

  it('puts custom policies and extra actions on member roles too, merged with capability policies', () => {
    const composed = composePermissions({
      ...base,
      capabilities: ['read_only'],
      customPolicyArns: ['arn:aws:iam::123456789012:policy/Custom', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      extraActions: ['s3:GetObject'],
      role: 'member',
    });
    expect(composed).toEqual({
      managedPolicyArns: ['arn:aws:iam::123456789012:policy/Custom', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      statements: [{ Sid: 'OrglinkExtraActions', Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }],
    });
  });

  it('is deterministic whatever the input order', () => {
    const a = composePermissions({ ...base, capabilities: ['view_only', 'read_only'], extraActions: ['b:B', 'a:A'], role: 'member' });
    const b = composePermissions({ ...base, capabilities: ['read_only', 'view_only'], extraActions: ['a:A', 'b:B'], role: 'member' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('refuses an inline policy larger than IAM allows', () => {
    const extraActions = Array.from({ length: 100 }, (_, i) => `service-${i}:${'A'.repeat(100)}`);
    const error = catchDomainError(() => composePermissions({ ...base, capabilities: [], extraActions, role: 'member' }));
    expect(error.code).toBe('inline_policy_too_large');
    expect(error.field).toBe('extraActions');
  });

  it('keeps the largest realistic policy (every capability, 100 extra actions) within IAM limits', () => {
    const extraActions = Array.from({ length: 100 }, (_, i) => `ec2:DescribeSomething${i}`);
    const capabilities: Capability[] = ['discovery', 'read_only', 'identity_read', 'identity_provision'];
    expect(() => composePermissions({ ...base, capabilities, extraActions, role: 'discovery' })).not.toThrow();
  });

  it('refuses a role with more than 10 managed policies', () => {
    const customPolicyArns = Array.from({ length: 8 }, (_, i) => `arn:aws:iam::123456789012:policy/P${i}`);
    const run = () =>
      composePermissions({ ...base, capabilities: ['read_only', 'security_audit', 'view_only'], customPolicyArns, role: 'member' });
    const error = catchDomainError(run);
    expect(error.code).toBe('managed_policy_limit_exceeded');
    expect(error.field).toBe('customPolicyArns');
  });
});
