import { describe, expect, it } from 'vitest';
import { validateAccountId } from './account-id.js';
import { catchDomainError } from './test-helpers.js';

describe('validateAccountId', () => {
  it.each(['123456789012', '000000000001'])('accepts %s', (value) => {
    expect(validateAccountId(value)).toBe(value);
  });

  it.each([
    ['12345678901', 'account_id_invalid'],
    ['1234567890123', 'account_id_invalid'],
    ['12345678901a', 'account_id_invalid'],
    [' 123456789012', 'account_id_invalid'],
    ['', 'account_id_invalid'],
    [123456789012, 'invalid_type'],
  ])('refuses %j with %s', (value, code) => {
    const error = catchDomainError(() => validateAccountId(value, 'accountId'));
    expect(error.code).toBe(code);
    expect(error.field).toBe('accountId');
  });
});
