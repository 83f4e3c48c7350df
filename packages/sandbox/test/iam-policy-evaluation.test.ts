import { describe, expect, it } from 'vitest';
import { awsManagedPolicy, AWS_MANAGED_POLICIES } from '../src/managed-policies.js';
import { conditionsHold, evaluatePolicies, wildcardMatch } from '../src/policy-evaluation.js';
import { evaluateTrustPolicy } from '../src/trust-policy.js';
import type { PolicyDocument, Principal } from '../src/world.js';

describe('wildcardMatch', () => {
  it.each([
    ['*', 'anything', false, true],
    ['iam:Get*', 'iam:GetRole', false, true],
    ['iam:Get*', 'iam:ListRoles', false, false],
    ['iam:get*', 'IAM:GetRole', true, true],
    ['iam:get*', 'iam:GetRole', false, false],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:role/x', false, true],
    ['arn:aws:iam::1234567890?2:role/x', 'arn:aws:iam::123456789012:role/x', false, true],
    ['a*b*c', 'aXXbYYc', false, true],
    ['a*b*c', 'aXXbYY', false, false],
    ['*:Describe*', 'organizations:DescribeAccount', false, true],
    ['a'.repeat(30) + '*b', 'a'.repeat(5000), false, false],
  ])('%s matches %s (ignore case %s) → %s', (pattern, value, ignoreCase, expected) => {
    expect(wildcardMatch(pattern, value, ignoreCase)).toBe(expected);
  });
});

const allow = (action: string | string[], resource: string | string[] = '*'): PolicyDocument => ({ Statement: { Effect: 'Allow', Action: action, Resource: resource } });
const deny = (action: string | string[], resource: string | string[] = '*'): PolicyDocument => ({ Statement: [{ Effect: 'Deny', Action: action, Resource: resource }] });

describe('evaluatePolicies', () => {
  it.each([
    ['no policies', [], 'iam:GetRole', '*', 'implicit-deny'],
    ['an exact allow', [allow('iam:GetRole')], 'iam:GetRole', '*', 'allow'],
    ['case-insensitive actions', [allow('IAM:getrole')], 'iam:GetRole', '*', 'allow'],
    ['explicit deny wins', [allow('*'), deny('iam:*')], 'iam:GetRole', '*', 'explicit-deny'],
    ['deny elsewhere does not apply', [allow('*'), deny('iam:*', 'arn:aws:iam::1:role/other')], 'iam:GetRole', 'arn:aws:iam::1:role/mine', 'allow'],
    ['resource glob', [allow('iam:GetRole', 'arn:aws:iam::*:role/orglink/*')], 'iam:GetRole', 'arn:aws:iam::1:role/orglink/x', 'allow'],
    ['resource glob misses', [allow('iam:GetRole', 'arn:aws:iam::*:role/orglink/*')], 'iam:GetRole', 'arn:aws:iam::1:role/x', 'implicit-deny'],
    ['NotAction', [{ Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } } as PolicyDocument], 'sts:AssumeRole', '*', 'allow'],
    ['NotAction excludes', [{ Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } } as PolicyDocument], 'iam:GetRole', '*', 'implicit-deny'],
    ['a list of actions', [allow(['sts:AssumeRole', 'iam:List*'])], 'iam:ListRoles', '*', 'allow'],
  ])('%s', (_name, documents, action, resource, expected) => {
    expect(evaluatePolicies(documents, { action, resource })).toBe(expected);
  });
});

describe('conditions', () => {
  it.each([
    ['StringEquals holds', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:externalid': 'abc' }, true],
    ['StringEquals is case-sensitive', { StringEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:externalid': 'ABC' }, false],
    ['StringEquals with a missing key', { StringEquals: { 'sts:ExternalId': 'abc' } }, {}, false],
    ['keys are case-insensitive', { StringEquals: { 'STS:EXTERNALID': 'abc' } }, { 'sts:externalid': 'abc' }, true],
    ['values are ORed', { StringEquals: { 'sts:ExternalId': ['x', 'abc'] } }, { 'sts:externalid': 'abc' }, true],
    ['StringLike', { StringLike: { 'sts:ExternalId': 'o_*:??' } }, { 'sts:externalid': 'o_1:ab' }, true],
    ['StringNotEquals', { StringNotEquals: { 'sts:ExternalId': 'abc' } }, { 'sts:externalid': 'abd' }, true],
    ['StringEqualsIfExists without the key', { StringEqualsIfExists: { 'sts:ExternalId': 'abc' } }, {}, true],
    ['Null true when absent', { Null: { 'sts:ExternalId': 'true' } }, {}, true],
    ['Null false when present', { Null: { 'sts:ExternalId': 'false' } }, { 'sts:externalid': 'x' }, true],
    ['ForAnyValue:StringEquals', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:tagkeys': ['b', 'a'] }, true],
    ['every operator block must hold', { StringEquals: { 'sts:ExternalId': 'abc' }, StringLike: { 'aws:PrincipalArn': '*:user/*' } }, { 'sts:externalid': 'abc', 'aws:principalarn': 'arn:aws:iam::1:role/x' }, false],
    ['an unknown operator never holds', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:multifactorauthage': '10' }, false],
  ])('%s', (_name, condition, context, expected) => {
    expect(conditionsHold(condition, context)).toBe(expected);
  });
});

describe('AWS managed policies, by action pattern', () => {
  const decide = (name: string, action: string) => {
    const policy = AWS_MANAGED_POLICIES.find((p) => p.name === name);
    if (!policy) throw new Error(`no ${name}`);
    return evaluatePolicies([policy.document], { action, resource: '*' });
  };
  it.each([
    ['AdministratorAccess', 'organizations:CreateAccount', 'allow'],
    ['ReadOnlyAccess', 'organizations:ListAccounts', 'allow'],
    ['ReadOnlyAccess', 'organizations:DescribeOrganization', 'allow'],
    ['ReadOnlyAccess', 'organizations:CreateAccount', 'implicit-deny'],
    ['ReadOnlyAccess', 'iam:CreateRole', 'implicit-deny'],
    ['ViewOnlyAccess', 'iam:ListRoles', 'allow'],
    ['ViewOnlyAccess', 'iam:GetRolePolicy', 'implicit-deny'],
    ['SecurityAudit', 'iam:GetRolePolicy', 'allow'],
    ['SecurityAudit', 'iam:PutRolePolicy', 'implicit-deny'],
    ['IAMReadOnlyAccess', 'iam:GetRole', 'allow'],
    ['IAMReadOnlyAccess', 'organizations:ListAccounts', 'implicit-deny'],
    ['AWSOrganizationsReadOnlyAccess', 'organizations:ListChildren', 'allow'],
    ['AWSOrganizationsReadOnlyAccess', 'organizations:MoveAccount', 'implicit-deny'],
    ['AWSSSOReadOnly', 'sso:ListPermissionSets', 'allow'],
    ['AWSSSOReadOnly', 'sso:CreateAccountAssignment', 'implicit-deny'],
    ['AWSSSODirectoryReadOnly', 'identitystore:ListGroupMemberships', 'allow'],
    ['AWSSSODirectoryReadOnly', 'identitystore:CreateGroupMembership', 'implicit-deny'],
  ])('%s: %s → %s', (name, action, expected) => {
    expect(decide(name, action)).toBe(expected);
  });

  it('are addressable by ARN', () => {
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')?.name).toBe('ViewOnlyAccess');
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/SecurityAudit')?.name).toBe('SecurityAudit');
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/Nope')).toBeUndefined();
  });
});

describe('trust policy principals', () => {
  const user: Principal = { kind: 'user', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/platform', userName: 'platform' };
  const session: Principal = {
    kind: 'assumed-role',
    accountId: '111111111111',
    arn: 'arn:aws:sts::111111111111:assumed-role/Hub/s',
    roleName: 'Hub',
    roleArn: 'arn:aws:iam::111111111111:role/Hub',
    sessionName: 's',
    chained: false,
  };
  const root: Principal = { kind: 'root', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:root' };
  const trust = (aws: string | string[], extra: object = {}): PolicyDocument => ({ Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole', ...extra }] });
  it.each([
    ['account id trusts a user', trust('111111111111'), user, 'allow'],
    ['account id trusts a role session', trust('111111111111'), session, 'allow'],
    ['account id trusts root', trust('111111111111'), root, 'allow'],
    [':root trusts a user', trust('arn:aws:iam::111111111111:root'), user, 'allow'],
    ['another account', trust('222222222222'), user, 'implicit-deny'],
    ['role ARN trusts its sessions', trust('arn:aws:iam::111111111111:role/Hub'), session, 'allow'],
    ['role ARN does not trust a user', trust('arn:aws:iam::111111111111:role/Hub'), user, 'implicit-deny'],
    ['user ARN', trust(['arn:aws:iam::111111111111:user/other', 'arn:aws:iam::111111111111:user/platform']), user, 'allow'],
    ['Principal *', { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] } as PolicyDocument, user, 'allow'],
    ['a service principal only', { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } as PolicyDocument, user, 'implicit-deny'],
    ['other action only', trust('*', { Action: 'sts:TagSession' }), user, 'implicit-deny'],
    ['explicit deny', { Statement: [trust('*').Statement as never, { Effect: 'Deny', Principal: '*', Action: 'sts:*' }].flat() } as PolicyDocument, user, 'explicit-deny'],
  ])('%s', (_name, document, caller, expected) => {
    expect(evaluateTrustPolicy(document, { caller })).toBe(expected);
  });
});
