import { describe, expect, it } from 'vitest';
import { isOrganizationalUnitId, validateOrganizationalUnitIds } from './organizational-unit-id.js';
import { catchDomainError } from './test-helpers.js';

describe('isOrganizationalUnitId', () => {
  it.each([
    ['r-ab12', true],
    ['ou-ab12-11111111', true],
    ['ou-ab12-abcdefgh12', true],
    ['r-AB12', false],
    ['r-ab1', false],
    ['ou-ab12', false],
    ['ou-ab12-1111111', false],
    ['123456789012', false],
  ])('%s → %s', (value, expected) => {
    expect(isOrganizationalUnitId(value)).toBe(expected);
  });
});

describe('validateOrganizationalUnitIds', () => {
  it.each([
    [['r-ab12'], ['r-ab12']],
    [['ou-ab12-11111111', 'ou-ab12-22222222', 'ou-ab12-11111111'], ['ou-ab12-11111111', 'ou-ab12-22222222']],
  ])('%j → %j', (value, expected) => {
    expect(validateOrganizationalUnitIds(value)).toEqual(expected);
  });

  it.each([
    [[], 'organizational_unit_ids_empty', 'targets'],
    [['r-ab12', 'ou-x'], 'organizational_unit_id_invalid', 'targets.1'],
    [[7], 'invalid_type', 'targets.0'],
    ['r-ab12', 'invalid_type', 'targets'],
  ])('refuses %j with %s at %s', (value, code, field) => {
    const error = catchDomainError(() => validateOrganizationalUnitIds(value, 'targets'));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
  });
});
