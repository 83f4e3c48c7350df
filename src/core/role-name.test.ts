import { describe, expect, it } from 'vitest';
import { validateRoleName } from './role-name.js';
import { catchDomainError } from './test-helpers.js';

describe('validateRoleName', () => {
  it.each(['OrglinkDiscovery', 'a', 'r'.repeat(64), 'with_+=,.@-chars', 'Trelica_Integration2'])('accepts %s', (value) => {
    expect(validateRoleName(value)).toBe(value);
  });

  it.each([
    ['', 'role_name_empty'],
    ['r'.repeat(65), 'role_name_too_long'],
    ['has space', 'role_name_bad_character'],
    ['path/name', 'role_name_bad_character'],
    ['colon:name', 'role_name_bad_character'],
    ['name*', 'role_name_bad_character'],
    ['naïve', 'role_name_bad_character'],
    [undefined, 'invalid_type'],
  ])('refuses %j with %s', (value, code) => {
    const error = catchDomainError(() => validateRoleName(value, 'discovery.roleName'));
    expect(error.code).toBe(code);
    expect(error.field).toBe('discovery.roleName');
  });
});
