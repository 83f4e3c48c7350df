import { describe, expect, it } from 'vitest';
import { EXTERNAL_ID_RANDOM_LENGTH, generateExternalId, validateExternalId } from './external-id.js';
import { catchDomainError } from './test-helpers.js';

const owner = 't_123abc456def';

describe('generateExternalId', () => {
  it.each([owner, 'o_456def789abc'])('gives %s:<8 alphanumerics> that validates', (ownerId) => {
    const id = generateExternalId(ownerId);
    expect(id).toMatch(new RegExp(`^${ownerId}:[A-Za-z0-9]{${EXTERNAL_ID_RANDOM_LENGTH}}$`));
    expect(validateExternalId(id, ownerId)).toBe(id);
  });

  it('is random: no repeats across many draws, all 62 characters appear', () => {
    const ids = Array.from({ length: 2000 }, () => generateExternalId(owner));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.flatMap((id) => Array.from(id.split(':')[1] ?? ''))).size).toBe(62);
  });
});

describe('validateExternalId', () => {
  it.each([`${owner}:xyz789AB`, `${owner}:00000000`, `${owner}:ABCDEFGH`])('accepts %s', (value) => {
    expect(validateExternalId(value, owner)).toBe(value);
  });

  it.each([
    [`${owner}xyz789AB`, 'external_id_malformed', "no ':'"],
    ['', 'external_id_malformed', "no ':'"],
    ['o_456def789abc:xyz789AB', 'external_id_wrong_identifier', `'${owner}:'`],
    [':xyz789AB', 'external_id_wrong_identifier', `'${owner}:'`],
    [`${owner}:xyz789`, 'external_id_wrong_length', 'got 6'],
    [`${owner}:`, 'external_id_wrong_length', 'got 0'],
    [`${owner}:xyz789ABC`, 'external_id_wrong_length', 'got 9'],
    [`${owner}:xyz-89AB`, 'external_id_bad_character', "'-'"],
    [`${owner}:xyz 89AB`, 'external_id_bad_character', 'U+0020'],
    [`${owner}:xyz:89AB`, 'external_id_bad_character', "':'"],
    [`${owner}:xyzé89AB`, 'external_id_bad_character', "'é'"],
    [42, 'invalid_type', 'string'],
  ])('refuses %j with %s (message mentions %s)', (value, code, fragment) => {
    const error = catchDomainError(() => validateExternalId(value, owner, 'discovery.externalId'));
    expect(error.code).toBe(code);
    expect(error.field).toBe('discovery.externalId');
    expect(error.message).toContain(fragment);
  });

  it('reports the expected and the given identifier', () => {
    const error = catchDomainError(() => validateExternalId('o_other:abcdefgh', owner));
    expect(error.details).toEqual({ expected: owner, got: 'o_other' });
  });
});
