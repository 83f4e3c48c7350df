import { describe, expect, it } from 'vitest';
import { accountStateOf, applyAbsenceRecheck, sortDiscoveredTree, type RawAccountState } from './discovered-tree.js';
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

describe('applyAbsenceRecheck', () => {
  const base = tree({ accounts: [['1', 'a', 'r-root1']] });
  const moved = { id: '2', name: 'b', email: 'b@example.com', state: 'ACTIVE', parentId: 'ou-x', joinedTimestamp: null };
  it.each([
    { name: 'a moved account comes back, tree stays complete', recheck: { present: [moved], gone: ['3'], unknown: [] }, ids: ['1', '2'], complete: true },
    {
      name: 'an unsettled account makes the tree incomplete',
      recheck: { present: [], gone: [], unknown: [{ parentId: null, listing: 'accounts' as const, code: 'InternalFailure', message: 'x', denied: false }] },
      ids: ['1'],
      complete: false,
    },
    { name: 'an account already in the tree is not duplicated', recheck: { present: [{ ...moved, id: '1' }], gone: [], unknown: [] }, ids: ['1'], complete: true },
  ])('$name', ({ recheck, ids, complete }) => {
    const result = applyAbsenceRecheck(base, recheck);
    expect(result.accounts.map((a) => a.id)).toEqual(ids);
    expect(result.complete).toBe(complete);
    expect(result.failures).toHaveLength(recheck.unknown.length);
  });
});
