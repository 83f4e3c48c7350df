import { describe, expect, it } from 'vitest';
import { ID_RANDOM_LENGTH, isId, newId, type IdPrefix } from './ids.js';

const prefixes: IdPrefix[] = ['t', 'o', 'w', 'u', 'i', 'f', 'c', 'p', 'tok'];

describe('newId', () => {
  it.each(prefixes)('gives %s_ followed by 12 lowercase alphanumerics', (prefix) => {
    const id = newId(prefix);
    expect(id).toMatch(new RegExp(`^${prefix}_[a-z0-9]{${ID_RANDOM_LENGTH}}$`));
    expect(isId(id, prefix)).toBe(true);
  });

  it('does not repeat across many draws and uses the whole alphabet', () => {
    const ids = Array.from({ length: 2000 }, () => newId('t'));
    expect(new Set(ids).size).toBe(ids.length);
    const chars = new Set(ids.flatMap((id) => Array.from(id.slice(2))));
    expect(chars.size).toBe(36);
  });
});

describe('isId', () => {
  it.each([
    ['t_abcdefghijkl', 't', true],
    ['o_abcdefghijkl', 't', false],
    ['t_ABCDEFGHIJKL', 't', false],
    ['t_abc', 't', false],
    ['tok_0123456789ab', 'tok', true],
    [42, 't', false],
  ] as const)('%s as %s → %s', (value, prefix, expected) => {
    expect(isId(value, prefix)).toBe(expected);
  });
});
