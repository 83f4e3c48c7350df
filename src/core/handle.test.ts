import { describe, expect, it } from 'vitest';
import { isValidHandle, slugifyHandle, validateHandle, validateHandlePrefix } from './handle.js';
import { catchDomainError } from './test-helpers.js';

describe('validateHandle', () => {
  it.each(['a', 'aws-integration', 'aws_prod_01', 'x'.repeat(40), 'a-_-9'])('accepts %s', (value) => {
    expect(validateHandle(value)).toBe(value);
  });

  it.each([
    ['', 'handle_empty'],
    ['1aws', 'handle_must_start_with_letter'],
    ['-aws', 'handle_must_start_with_letter'],
    ['_aws', 'handle_must_start_with_letter'],
    ['Aws', 'handle_bad_character'],
    ['aws integration', 'handle_bad_character'],
    ['aws.prod', 'handle_bad_character'],
    ['awsé', 'handle_bad_character'],
    ['a'.repeat(41), 'handle_too_long'],
    [42, 'invalid_type'],
    [null, 'invalid_type'],
    [undefined, 'invalid_type'],
  ])('refuses %j with %s', (value, code) => {
    const error = catchDomainError(() => validateHandle(value, 'body.handle'));
    expect(error.code).toBe(code);
    expect(error.field).toBe('body.handle');
  });

  it('names the bad character', () => {
    const error = catchDomainError(() => validateHandle('aws.prod'));
    expect(error.message).toContain("'.'");
    expect(error.details).toEqual({ character: '.' });
  });
});

describe('validateHandlePrefix', () => {
  it.each([
    [undefined, null],
    [null, null],
    ['', null],
    ['aws_', 'aws_'],
    ['prod-', 'prod-'],
  ])('%j → %j', (value, expected) => {
    expect(validateHandlePrefix(value)).toBe(expected);
  });

  it.each([
    ['_aws', 'handle_prefix_must_start_with_letter'],
    ['AWS_', 'handle_prefix_bad_character'],
    ['a'.repeat(21), 'handle_prefix_too_long'],
    [5, 'invalid_type'],
  ])('refuses %j with %s', (value, code) => {
    const error = catchDomainError(() => validateHandlePrefix(value, 'connections.handlePrefix'));
    expect(error.code).toBe(code);
    expect(error.field).toBe('connections.handlePrefix');
  });
});

describe('slugifyHandle', () => {
  it.each([
    ['Production', null, 'production'],
    ['Production', 'aws_', 'aws_production'],
    ['Shared Services (EU)', null, 'shared_services_eu'],
    ['  --Dev--Account--  ', null, 'dev-account'],
    ['Café Müller', null, 'cafe_muller'],
    ['123456789012', null, 'a_123456789012'],
    ['123456789012', 'acct_', 'acct_123456789012'],
    ['', null, 'unnamed'],
    ['!!!', 'p_', 'p_unnamed'],
    ['a'.repeat(60), 'aws_', `aws_${'a'.repeat(36)}`],
    [`${'a'.repeat(39)} b`, null, 'a'.repeat(39)],
    [`${'a'.repeat(38)} b`, null, `${'a'.repeat(38)}_b`],
  ])('%j with prefix %j → %j', (name, prefix, expected) => {
    expect(slugifyHandle(name, prefix)).toBe(expected);
  });

  it.each([
    'Ünïcödé ✓ names',
    '--',
    '0',
    'Workloads / Prod / EU-West',
    'x'.repeat(100),
    '___a___',
  ])('always gives a valid handle for %j', (name) => {
    for (const prefix of [null, 'aws_', 'p-']) {
      const handle = slugifyHandle(name, prefix);
      expect(isValidHandle(handle)).toBe(true);
      expect(validateHandle(handle)).toBe(handle);
      expect(slugifyHandle(name, prefix)).toBe(handle);
    }
  });
});
