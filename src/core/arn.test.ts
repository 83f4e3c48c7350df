import { describe, expect, it } from 'vitest';
import { parseRoleArn, validateDiscoveryRoleArn } from './arn.js';
import { catchDomainError } from './test-helpers.js';

describe('parseRoleArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/OrglinkDiscovery', 'aws', '123456789012', '/', 'OrglinkDiscovery'],
    ['arn:aws-cn:iam::000000000001:role/r', 'aws-cn', '000000000001', '/', 'r'],
    ['arn:aws-us-gov:iam::123456789012:role/ops/orglink/Role+=,.@-_', 'aws-us-gov', '123456789012', '/ops/orglink/', 'Role+=,.@-_'],
    ['arn:aws:iam::123456789012:role/service-role/X', 'aws', '123456789012', '/service-role/', 'X'],
  ])('parses %s', (arn, partition, accountId, path, roleName) => {
    expect(parseRoleArn(arn, 'roleArn')).toEqual({ partition, accountId, path, roleName, arn });
  });

  it.each([
    ['', 'role_arn_malformed'],
    ['OrglinkDiscovery', 'role_arn_malformed'],
    ['arn:aws:iam::123456789012', 'role_arn_malformed'],
    ['urn:aws:iam::123456789012:role/R', 'role_arn_malformed'],
    ['arn:aws-iso:iam::123456789012:role/R', 'role_arn_unknown_partition'],
    ['arn:AWS:iam::123456789012:role/R', 'role_arn_unknown_partition'],
    ['arn:aws:sts::123456789012:assumed-role/R/s', 'role_arn_not_iam'],
    ['arn:aws:iam:us-east-1:123456789012:role/R', 'role_arn_not_iam'],
    ['arn:aws:iam::12345678901:role/R', 'role_arn_bad_account_id'],
    ['arn:aws:iam::1234567890ab:role/R', 'role_arn_bad_account_id'],
    ['arn:aws:iam::123456789012:user/R', 'role_arn_not_a_role'],
    ['arn:aws:iam::123456789012:root', 'role_arn_not_a_role'],
    ['arn:aws:iam::123456789012:role/', 'role_arn_bad_role_name'],
    ['arn:aws:iam::123456789012:role/a b', 'role_arn_bad_role_name'],
    [`arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, 'role_arn_bad_role_name'],
    ['arn:aws:iam::123456789012:role//R', 'role_arn_bad_path'],
    ['arn:aws:iam::123456789012:role/a//R', 'role_arn_bad_path'],
    ['arn:aws:iam::123456789012:role/a b/R', 'role_arn_bad_path'],
    [null, 'invalid_type'],
  ])('refuses %j with %s', (value, code) => {
    const error = catchDomainError(() => parseRoleArn(value, 'discovery.roleArn'));
    expect(error.code).toBe(code);
    expect(error.field).toBe('discovery.roleArn');
  });
});

describe('validateDiscoveryRoleArn', () => {
  it('accepts an ARN whose role name equals the configured one, whatever the path', () => {
    expect(validateDiscoveryRoleArn('arn:aws:iam::123456789012:role/ops/Orglink', 'Orglink').roleName).toBe('Orglink');
  });

  it.each([
    ['arn:aws:iam::123456789012:role/Other', 'Orglink'],
    ['arn:aws:iam::123456789012:role/orglink', 'Orglink'],
  ])('refuses %s for role name %s with role_arn_name_mismatch', (arn, roleName) => {
    const error = catchDomainError(() => validateDiscoveryRoleArn(arn, roleName));
    expect(error.code).toBe('role_arn_name_mismatch');
    expect(error.field).toBe('roleArn');
    expect(error.details).toMatchObject({ expected: roleName });
  });

  it('reports a malformed ARN before comparing names', () => {
    expect(catchDomainError(() => validateDiscoveryRoleArn('nope', 'Orglink')).code).toBe('role_arn_malformed');
  });
});
