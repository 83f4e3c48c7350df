/** Event planning (pure): each change against a small mirror, with the truth Organizations gives now. */
import { describe, expect, it } from 'vitest';
import type { OrganizationsChange } from '../../src/core/events/organizations-event.js';
import { planEventChange, treeOfMirror, type EventTruth } from '../../src/core/events/plan-event-change.js';
import type { MirrorOp } from '../../src/core/mirror/mirror-plan.js';
import type { MirrorSnapshot } from '../../src/core/mirror/mirror-snapshot.js';
import { mirrorOf, tree } from '../../src/core/mirror/mirror-test-fixtures.js';

const base = tree({
  ous: [
    ['ou-a', 'A', 'r-root1'],
    ['ou-b', 'B', 'r-root1'],
    ['ou-c', 'C', 'ou-a'],
    ['ou-e', 'Empty', 'r-root1'],
  ],
  accounts: [
    ['111111111111', 'Alpha', 'ou-a'],
    ['222222222222', 'Beta', 'ou-b'],
    ['333333333333', 'Gamma', 'r-root1'],
  ],
});
const mirror = mirrorOf(base);
const options = { handlePrefix: null, takenHandles: { folders: new Set<string>(), connections: new Set<string>(['delta']) } };

const account = (id: string, name: string, parentId: string, state = 'ACTIVE'): EventTruth => ({
  kind: 'account',
  accountId: id,
  account: { id, name, email: '', state, parentId, joinedTimestamp: null },
});
const gone = (id: string): EventTruth => ({ kind: 'account', accountId: id, account: null });
const ou = (id: string, name: string | null): EventTruth => ({ kind: 'ou', ouId: id, ou: name === null ? null : { id, name } });

function describeOp(op: MirrorOp): string {
  switch (op.op) {
    case 'add-folder':
      return `add-folder ${op.awsId} "${op.title}" under ${op.parentAwsId ?? '-'} as ${op.handle}`;
    case 'add-connection':
      return `add-connection ${op.awsAccountId} "${op.title}" under ${op.parentAwsId} as ${op.handle} (${op.state})`;
    case 'move-connection':
      return `move-connection ${op.awsAccountId} ${op.fromParentAwsId ?? '-'} → ${op.toParentAwsId}`;
    case 'move-folder':
      return `move-folder ${op.awsId}`;
    case 'rename':
      return `rename ${op.target} ${op.awsId} "${op.fromTitle}" → "${op.toTitle}"`;
    case 'rehandle':
      return `rehandle ${op.awsId}`;
    case 'state-change':
      return `state-change ${op.awsAccountId} ${op.toState} ${op.toAwsState}`;
    case 'remove-connection':
      return `remove-connection ${op.awsAccountId} (${op.reason})`;
    case 'remove-folder':
      return `remove-folder ${op.awsId}`;
  }
}

type Expected = string[] | { reconcile: string };

const cases: Array<[string, OrganizationsChange, EventTruth, Expected]> = [
  ['new account', { kind: 'account-joined', accountId: '444444444444' }, account('444444444444', 'Delta', 'ou-c'), ['add-connection 444444444444 "Delta" under ou-c as delta_4444 (active)']],
  ['new account, already mirrored where it is', { kind: 'account-joined', accountId: '111111111111' }, account('111111111111', 'Alpha', 'ou-a'), []],
  ['new account, mirrored elsewhere', { kind: 'account-joined', accountId: '111111111111' }, account('111111111111', 'Alpha', 'ou-b'), { reconcile: 'account_elsewhere' }],
  ['new account under an OU the mirror lacks', { kind: 'account-joined', accountId: '444444444444' }, account('444444444444', 'Delta', 'ou-zzz'), { reconcile: 'unknown_parent' }],
  ['new account that left again since', { kind: 'account-joined', accountId: '444444444444' }, gone('444444444444'), []],
  ['move', { kind: 'account-moved', accountId: '111111111111', sourceParentId: 'ou-a', destinationParentId: 'ou-b' }, account('111111111111', 'Alpha', 'ou-b'), ['move-connection 111111111111 ou-a → ou-b']],
  ['move already applied by a sync', { kind: 'account-moved', accountId: '111111111111', sourceParentId: 'ou-c', destinationParentId: 'ou-a' }, account('111111111111', 'Alpha', 'ou-a'), []],
  ['move, moved again since: the current parent wins', { kind: 'account-moved', accountId: '111111111111', sourceParentId: 'ou-a', destinationParentId: 'ou-b' }, account('111111111111', 'Alpha', 'ou-c'), ['move-connection 111111111111 ou-a → ou-c']],
  ['move of an account the mirror lacks (reordered)', { kind: 'account-moved', accountId: '444444444444', sourceParentId: 'r-root1', destinationParentId: 'ou-b' }, account('444444444444', 'Delta', 'ou-b'), { reconcile: 'account_not_in_mirror' }],
  ['move from a parent the mirror does not show (a move was missed)', { kind: 'account-moved', accountId: '333333333333', sourceParentId: 'ou-a', destinationParentId: 'ou-b' }, account('333333333333', 'Gamma', 'ou-b'), { reconcile: 'account_elsewhere' }],
  ['move, renamed meanwhile: the title follows', { kind: 'account-moved', accountId: '111111111111', sourceParentId: 'ou-a', destinationParentId: 'ou-b' }, account('111111111111', 'Alpha 2', 'ou-b'), ['move-connection 111111111111 ou-a → ou-b', 'rename connection 111111111111 "Alpha" → "Alpha 2"']],
  ['removal', { kind: 'account-left', accountId: '222222222222' }, gone('222222222222'), ['remove-connection 222222222222 (gone)']],
  ['removal of an account the mirror lacks', { kind: 'account-left', accountId: '444444444444' }, gone('444444444444'), []],
  ['removal event while the account is still there', { kind: 'account-left', accountId: '222222222222' }, account('222222222222', 'Beta', 'ou-b'), []],
  ['closure: PENDING_CLOSURE disables', { kind: 'account-closed', accountId: '222222222222' }, account('222222222222', 'Beta', 'ou-b', 'PENDING_CLOSURE'), ['state-change 222222222222 disabled PENDING_CLOSURE']],
  ['closure: CLOSED removes', { kind: 'account-closed', accountId: '222222222222' }, account('222222222222', 'Beta', 'ou-b', 'CLOSED'), ['remove-connection 222222222222 (closed)']],
  ['new OU', { kind: 'ou-created', ouId: 'ou-d', parentId: 'ou-a' }, ou('ou-d', 'D'), ['add-folder ou-d "D" under ou-a as d']],
  ['new OU under an OU the mirror lacks', { kind: 'ou-created', ouId: 'ou-d', parentId: 'ou-zzz' }, ou('ou-d', 'D'), { reconcile: 'unknown_parent' }],
  ['new OU deleted since', { kind: 'ou-created', ouId: 'ou-d', parentId: 'ou-a' }, ou('ou-d', null), []],
  ['new OU already mirrored', { kind: 'ou-created', ouId: 'ou-c', parentId: 'ou-a' }, ou('ou-c', 'C'), []],
  ['OU rename', { kind: 'ou-renamed', ouId: 'ou-a' }, ou('ou-a', 'Apps'), ['rename folder ou-a "A" → "Apps"']],
  ['rename of an OU the mirror lacks', { kind: 'ou-renamed', ouId: 'ou-d' }, ou('ou-d', 'D'), { reconcile: 'ou_not_in_mirror' }],
  ['OU deletion', { kind: 'ou-deleted', ouId: 'ou-e' }, ou('ou-e', null), ['remove-folder ou-e']],
  ['deletion of an OU the mirror still shows with children', { kind: 'ou-deleted', ouId: 'ou-a' }, ou('ou-a', null), { reconcile: 'folder_not_empty' }],
  ['deletion event while the OU still exists', { kind: 'ou-deleted', ouId: 'ou-e' }, ou('ou-e', 'Empty'), []],
];

describe('planEventChange', () => {
  it.each(cases)('%s', (_, change, truth, expected) => {
    const verdict = planEventChange(mirror, change, truth, options);
    if (Array.isArray(expected)) {
      expect(verdict.kind).toBe('apply');
      if (verdict.kind === 'apply') expect(verdict.plan.ops.map(describeOp)).toEqual(expected);
    } else {
      expect(verdict).toMatchObject({ kind: 'reconcile', code: expected.reconcile });
    }
  });

  it.each<[string, MirrorSnapshot, string]>([
    ['an empty mirror (never synced)', { folders: [], connections: [] }, 'mirror_empty'],
    ['an orphaned connection', { ...mirror, connections: [...mirror.connections, { ...mirror.connections[0]!, id: 'c_x', awsAccountId: '555555555555', folderId: null }] }, 'mirror_inconsistent'],
    ['a connection without an AWS state', { ...mirror, connections: mirror.connections.map((c) => ({ ...c, awsState: null })) }, 'mirror_inconsistent'],
  ])('refuses to build on %s', (_, snapshot, code) => {
    const verdict = planEventChange(snapshot, { kind: 'account-left', accountId: '222222222222' }, gone('222222222222'), options);
    expect(verdict).toMatchObject({ kind: 'reconcile', code });
  });

  it('reads the mirror back as the tree it came from', () => {
    const read = treeOfMirror(mirror);
    expect(read?.ous.map((o) => [o.id, o.parentId]).sort()).toEqual(base.ous.map((o) => [o.id, o.parentId]).sort());
    expect(read?.accounts.map((a) => [a.id, a.parentId, a.state])).toEqual(base.accounts.map((a) => [a.id, a.parentId, a.state]));
  });
});
