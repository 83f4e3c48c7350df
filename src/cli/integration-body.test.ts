import { describe, expect, it } from 'vitest';
import { connectionBody, integrationBody, parseSyncInterval } from './integration-body.js';

describe('integrationBody', () => {
  it.each([
    ['nothing set', {}, {}],
    ['handle only (rename)', { handle: 'aws' }, { handle: 'aws' }],
    [
      'discovery fields',
      { handle: 'aws', roleName: 'R', externalId: 'o_1:abcdefgh', roleArn: 'arn:aws:iam::111111111111:role/R' },
      { handle: 'aws', discovery: { roleName: 'R', externalId: 'o_1:abcdefgh', roleArn: 'arn:aws:iam::111111111111:role/R' } },
    ],
    ['regions all', { regions: 'all' as const }, { connections: { regions: 'all' } }],
    ['handle prefix cleared', { handlePrefix: false as const }, { connections: { handlePrefix: null } }],
    [
      'advanced options',
      { maxErrorRetryAttempts: 3, ignoreErrorCodes: ['AccessDenied'] },
      { connections: { advanced: { maxErrorRetryAttempts: 3, ignoreErrorCodes: ['AccessDenied'] } } },
    ],
    [
      'policy inputs',
      { capability: ['read_only'], extraAction: ['s3:GetObject'], managedPolicyArn: ['arn:aws:iam::aws:policy/SecurityAudit'] },
      { capabilities: ['read_only'], extraActions: ['s3:GetObject'], customPolicyArns: ['arn:aws:iam::aws:policy/SecurityAudit'] },
    ],
    ['permissions mode', { permissions: 'all' }, { permissions: { mode: 'all' } }],
    ['workspaces imply specific', { workspace: ['w_1', 'w_2'] }, { permissions: { mode: 'specific', workspaceIds: ['w_1', 'w_2'] } }],
    ['sync interval', { syncInterval: 3600 }, { sync: { intervalSeconds: 3600 } }],
    ['sync interval off', { syncInterval: 0 }, { sync: { intervalSeconds: 0 } }],
    ['sync interval back to the default', { syncInterval: 'default' as const }, { sync: { intervalSeconds: null } }],
  ])('%s', (_name, flags, expected) => {
    expect(integrationBody(flags)).toEqual(expected);
  });
});

describe('parseSyncInterval', () => {
  it.each([
    ['3600', 3600],
    [' 300 ', 300],
    ['0', 0],
    ['off', 0],
    ['default', 'default'],
    // The bounds are the API's to check: the CLI passes any whole number on.
    ['299', 299],
  ])('%j is %j', (value, expected) => {
    expect(parseSyncInterval(value)).toBe(expected);
  });

  it.each(['1.5', '-300', 'x', '', '1h', 'Default'])('refuses %j as a usage error', (value) => {
    expect(() => parseSyncInterval(value)).toThrow("Give whole seconds, 'default' or 'off'.");
  });
});

describe('connectionBody', () => {
  const base = { handle: 'c1', roleName: 'R' };
  it.each([
    ['single account', { ...base, accountId: '111111111111' }, { ...base, accountId: '111111111111' }],
    ['several accounts', { ...base, accounts: ['111111111111', '222222222222'] }, { ...base, accountScope: ['111111111111', '222222222222'] }],
    ['all accounts', { ...base, allAccounts: true }, { ...base, accountScope: 'all' }],
    [
      'settings and org',
      { ...base, accountId: '111111111111', org: 'o_1', regions: ['us-east-1'], defaultRegion: 'us-east-1', externalId: 't_1:abcdefgh' },
      { ...base, accountId: '111111111111', orgId: 'o_1', regions: ['us-east-1'], advanced: { defaultRegion: 'us-east-1' }, externalId: 't_1:abcdefgh' },
    ],
    [
      'role permissions',
      { ...base, allAccounts: true, capability: ['security_audit'], managedPolicyArn: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], extraAction: ['s3:GetObject'] },
      { ...base, accountScope: 'all', capabilities: ['security_audit'], customPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], extraActions: ['s3:GetObject'] },
    ],
  ])('%s', (_name, flags, expected) => {
    expect(connectionBody(flags)).toEqual(expected);
  });

  it.each([
    ['switch to one account', { accountId: '111111111111' }, { accountId: '111111111111', accountScope: null }],
    ['switch to all accounts', { allAccounts: true }, { accountScope: 'all', accountId: null }],
    ['rename only', { handle: 'c2' }, { handle: 'c2' }],
    ['extra actions only', { extraAction: ['sqs:SendMessage'] }, { extraActions: ['sqs:SendMessage'] }],
  ])('update: %s', (_name, flags, expected) => {
    expect(connectionBody(flags, 'update')).toEqual(expected);
  });
});
