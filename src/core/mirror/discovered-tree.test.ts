import { describe, expect, it } from 'vitest';
import { accountStateOf, sortDiscoveredTree, type RawAccountState } from './discovered-tree.js';
import { scramble, tree } from './mirror-test-fixtures.js';

describe('accountStateOf', () => {
  it.each<[RawAccountState, string]>([
    [{ State: 'ACTIVE', Status: 'ACTIVE' }, 'ACTIVE'],
    [{ State: 'CLOSED', Status: 'SUSPENDED' }, 'CLOSED'],
    [{ State: 'PENDING_CLOSURE' }, 'PENDING_CLOSURE'],
    [{ Status: 'SUSPENDED' }, 'SUSPENDED'],
    [{ State: '', Status: 'ACTIVE' }, 'ACTIVE'],
    [{}, 'UNKNOWN'],
  ])('%j → %s', (raw, expected) => expect(accountStateOf(raw)).toBe(expected));
});

describe('sortDiscoveredTree', () => {
  it('makes arrival order irrelevant', () => {
    const t = tree({
      ous: [['ou-b', 'B', 'r-root1'], ['ou-a', 'A', 'r-root1']],
      accounts: [['3', 'c', 'ou-a'], ['1', 'a', 'ou-b'], ['2', 'b', 'r-root1']],
    });
    const sorted = sortDiscoveredTree(t);
    expect(sorted.accounts.map((a) => a.id)).toEqual(['1', '2', '3']);
    expect(sortDiscoveredTree({ ...t, ous: scramble(t.ous), accounts: scramble(t.accounts) })).toEqual(sorted);
  });
});
