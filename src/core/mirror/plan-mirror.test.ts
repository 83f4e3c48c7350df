import { describe, expect, it } from 'vitest';
import type { DiscoveredTree } from './discovered-tree.js';
import { isEmptyPlan, type MirrorOp } from './mirror-plan.js';
import type { MirrorSnapshot } from './mirror-snapshot.js';
import { mirrorOf, noTaken, scramble, tree, type TreeSpec } from './mirror-test-fixtures.js';
import { connectionStateFor, planMirror, type PlanMirrorOptions } from './plan-mirror.js';

const base: TreeSpec = {
  ous: [
    ['ou-root-aaaa0001', 'Prod', 'r-root1'],
    ['ou-root-aaaa0002', 'Dev', 'r-root1'],
    ['ou-root-aaaa0003', 'Web', 'ou-root-aaaa0001'],
  ],
  accounts: [
    ['100000000001', 'Management', 'r-root1'],
    ['100000000002', 'Web Prod', 'ou-root-aaaa0003'],
    ['100000000003', 'Sandbox', 'ou-root-aaaa0002'],
  ],
};

const options: PlanMirrorOptions = { handlePrefix: null, takenHandles: noTaken };

function withAccounts(spec: TreeSpec, change: (a: NonNullable<TreeSpec['accounts']>) => NonNullable<TreeSpec['accounts']>): TreeSpec {
  return { ...spec, accounts: change(spec.accounts ?? []) };
}

describe('planMirror', () => {
  it('plans a first sync: folders parents-first, then connections, with prefix handles', () => {
    const plan = planMirror({ folders: [], connections: [] }, tree(base), { ...options, handlePrefix: 'aws_' });
    expect(plan.ops).toEqual<MirrorOp[]>([
      { op: 'add-folder', awsId: 'r-root1', kind: 'root', parentAwsId: null, handle: 'aws_root', title: 'Root' },
      { op: 'add-folder', awsId: 'ou-root-aaaa0001', kind: 'ou', parentAwsId: 'r-root1', handle: 'aws_prod', title: 'Prod' },
      { op: 'add-folder', awsId: 'ou-root-aaaa0002', kind: 'ou', parentAwsId: 'r-root1', handle: 'aws_dev', title: 'Dev' },
      { op: 'add-folder', awsId: 'ou-root-aaaa0003', kind: 'ou', parentAwsId: 'ou-root-aaaa0001', handle: 'aws_web', title: 'Web' },
      { op: 'add-connection', awsAccountId: '100000000001', parentAwsId: 'r-root1', handle: 'aws_management', title: 'Management', state: 'active', awsState: 'ACTIVE' },
      { op: 'add-connection', awsAccountId: '100000000002', parentAwsId: 'ou-root-aaaa0003', handle: 'aws_web_prod', title: 'Web Prod', state: 'active', awsState: 'ACTIVE' },
      { op: 'add-connection', awsAccountId: '100000000003', parentAwsId: 'ou-root-aaaa0002', handle: 'aws_sandbox', title: 'Sandbox', state: 'active', awsState: 'ACTIVE' },
    ]);
    expect(plan.complete).toBe(true);
    expect(plan.counts['add-folder']).toBe(4);
  });

  it('plans nothing when the mirror already matches', () => {
    const t = tree(base);
    const plan = planMirror(mirrorOf(t), t, options);
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan.withheldRemovals).toEqual([]);
  });

  type Case = { name: string; after: TreeSpec; expected: MirrorOp[] };
  const cases: Case[] = [
    {
      name: 'an account moved between OUs',
      after: withAccounts(base, (a) => a.map((x) => (x[0] === '100000000003' ? ['100000000003', 'Sandbox', 'ou-root-aaaa0001'] : x))),
      expected: [{ op: 'move-connection', connectionId: 'c_100000000003', awsAccountId: '100000000003', fromParentAwsId: 'ou-root-aaaa0002', toParentAwsId: 'ou-root-aaaa0001' }],
    },
    {
      name: 'an OU moved under another',
      after: { ...base, ous: base.ous?.map((o) => (o[0] === 'ou-root-aaaa0003' ? ['ou-root-aaaa0003', 'Web', 'ou-root-aaaa0002'] : o)) },
      expected: [{ op: 'move-folder', folderId: 'f_ou-root-aaaa0003', awsId: 'ou-root-aaaa0003', fromParentAwsId: 'ou-root-aaaa0001', toParentAwsId: 'ou-root-aaaa0002' }],
    },
    {
      name: 'an OU renamed: title follows, handle stays',
      after: { ...base, ous: base.ous?.map((o) => (o[0] === 'ou-root-aaaa0002' ? ['ou-root-aaaa0002', 'Development', 'r-root1'] : o)) },
      expected: [{ op: 'rename', target: 'folder', id: 'f_ou-root-aaaa0002', awsId: 'ou-root-aaaa0002', fromTitle: 'Dev', toTitle: 'Development' }],
    },
    {
      name: 'an account renamed',
      after: withAccounts(base, (a) => a.map((x) => (x[0] === '100000000003' ? ['100000000003', 'Playground', 'ou-root-aaaa0002'] : x))),
      expected: [{ op: 'rename', target: 'connection', id: 'c_100000000003', awsId: '100000000003', fromTitle: 'Sandbox', toTitle: 'Playground' }],
    },
    ...(['SUSPENDED', 'PENDING_CLOSURE', 'PENDING_ACTIVATION'] as const).map((state) => ({
      name: `an account becoming ${state} is disabled`,
      after: withAccounts(base, (a) => a.map((x) => (x[0] === '100000000002' ? ['100000000002', 'Web Prod', 'ou-root-aaaa0003', state] : x))),
      expected: [{ op: 'state-change', connectionId: 'c_100000000002', awsAccountId: '100000000002', fromState: 'active', toState: 'disabled', fromAwsState: 'ACTIVE', toAwsState: state } as MirrorOp],
    })),
    {
      name: 'a CLOSED account is removed',
      after: withAccounts(base, (a) => a.map((x) => (x[0] === '100000000002' ? ['100000000002', 'Web Prod', 'ou-root-aaaa0003', 'CLOSED'] : x))),
      expected: [{ op: 'remove-connection', connectionId: 'c_100000000002', awsAccountId: '100000000002', handle: 'web_prod', reason: 'closed' }],
    },
    {
      name: 'an account removed from the organization is removed',
      after: withAccounts(base, (a) => a.filter((x) => x[0] !== '100000000003')),
      expected: [{ op: 'remove-connection', connectionId: 'c_100000000003', awsAccountId: '100000000003', handle: 'sandbox', reason: 'gone' }],
    },
    {
      name: 'a deleted OU subtree: accounts move out first, folders go deepest first',
      after: {
        ous: [['ou-root-aaaa0002', 'Dev', 'r-root1']],
        accounts: [
          ['100000000001', 'Management', 'r-root1'],
          ['100000000002', 'Web Prod', 'r-root1'],
          ['100000000003', 'Sandbox', 'ou-root-aaaa0002'],
        ],
      },
      expected: [
        { op: 'move-connection', connectionId: 'c_100000000002', awsAccountId: '100000000002', fromParentAwsId: 'ou-root-aaaa0003', toParentAwsId: 'r-root1' },
        { op: 'remove-folder', folderId: 'f_ou-root-aaaa0003', awsId: 'ou-root-aaaa0003', handle: 'web', reason: 'gone' },
        { op: 'remove-folder', folderId: 'f_ou-root-aaaa0001', awsId: 'ou-root-aaaa0001', handle: 'prod', reason: 'gone' },
      ],
    },
    {
      name: 'a new account under a new OU',
      after: {
        ous: [...(base.ous ?? []), ['ou-root-aaaa0004', 'Data', 'ou-root-aaaa0002']],
        accounts: [...(base.accounts ?? []), ['100000000004', 'Lake', 'ou-root-aaaa0004']],
      },
      expected: [
        { op: 'add-folder', awsId: 'ou-root-aaaa0004', kind: 'ou', parentAwsId: 'ou-root-aaaa0002', handle: 'data', title: 'Data' },
        { op: 'add-connection', awsAccountId: '100000000004', parentAwsId: 'ou-root-aaaa0004', handle: 'lake', title: 'Lake', state: 'active', awsState: 'ACTIVE' },
      ],
    },
  ];

  it.each(cases)('$name', ({ after, expected }) => {
    const plan = planMirror(mirrorOf(tree(base)), tree(after), options);
    expect(plan.ops).toEqual(expected);
  });

  it('re-enables a suspended account that became ACTIVE again', () => {
    const suspended = tree(withAccounts(base, (a) => a.map((x) => (x[0] === '100000000003' ? ['100000000003', 'Sandbox', 'ou-root-aaaa0002', 'SUSPENDED'] : x))));
    const plan = planMirror(mirrorOf(suspended), tree(base), options);
    expect(plan.ops).toEqual([
      { op: 'state-change', connectionId: 'c_100000000003', awsAccountId: '100000000003', fromState: 'disabled', toState: 'active', fromAwsState: 'SUSPENDED', toAwsState: 'ACTIVE' },
    ]);
  });

  it('moves a connection whose folder was deleted (folder_id set null) back under its parent', () => {
    const t = tree(base);
    const mirror = mirrorOf(t);
    mirror.connections = mirror.connections.map((c) => (c.awsAccountId === '100000000002' ? { ...c, folderId: null } : c));
    expect(planMirror(mirror, t, options).ops).toEqual([
      { op: 'move-connection', connectionId: 'c_100000000002', awsAccountId: '100000000002', fromParentAwsId: null, toParentAwsId: 'ou-root-aaaa0003' },
    ]);
  });
});

describe('planMirror on an incomplete tree', () => {
  const shrunk: TreeSpec = {
    ous: [['ou-root-aaaa0002', 'Dev', 'r-root1']],
    accounts: [
      ['100000000001', 'Management', 'r-root1', 'CLOSED'],
      ['100000000003', 'Sandbox', 'ou-root-aaaa0001'],
    ],
    complete: false,
  };

  it('plans no removal, lists what it withheld, and disables a CLOSED account instead', () => {
    const plan = planMirror(mirrorOf(tree(base)), tree(shrunk), options);
    expect(plan.complete).toBe(false);
    expect(plan.ops.filter((o) => o.op.startsWith('remove'))).toEqual([]);
    expect(plan.ops).toContainEqual({
      op: 'state-change', connectionId: 'c_100000000001', awsAccountId: '100000000001', fromState: 'active', toState: 'disabled', fromAwsState: 'ACTIVE', toAwsState: 'CLOSED',
    });
    expect(plan.ops).toContainEqual({
      op: 'move-connection', connectionId: 'c_100000000003', awsAccountId: '100000000003', fromParentAwsId: 'ou-root-aaaa0002', toParentAwsId: 'ou-root-aaaa0001',
    });
    expect(plan.withheldRemovals).toEqual([
      { target: 'connection', id: 'c_100000000002', awsId: '100000000002', handle: 'web_prod' },
      { target: 'folder', id: 'f_ou-root-aaaa0001', awsId: 'ou-root-aaaa0001', handle: 'prod' },
      { target: 'folder', id: 'f_ou-root-aaaa0003', awsId: 'ou-root-aaaa0003', handle: 'web' },
    ]);
    expect(plan.failures).toHaveLength(1);
  });

  it('does not add a CLOSED account it never mirrored', () => {
    const t = tree({ accounts: [['100000000009', 'Gone', 'r-root1', 'CLOSED']], complete: false });
    const plan = planMirror({ folders: [], connections: [] }, t, options);
    expect(plan.ops.map((o) => o.op)).toEqual(['add-folder']);
  });
});

describe('planMirror handles', () => {
  const twins: TreeSpec = {
    accounts: [
      ['200000000002', 'Prod', 'r-root1'],
      ['300000000003', 'prod', 'r-root1'],
      ['100000000001', 'PROD!', 'r-root1'],
    ],
  };

  it('resolves name collisions by AWS id, independent of input order', () => {
    const t = tree(twins);
    const handlesOf = (input: DiscoveredTree): Record<string, string> =>
      Object.fromEntries(
        planMirror({ folders: [], connections: [] }, input, options).ops.flatMap((o) => (o.op === 'add-connection' ? [[o.awsAccountId, o.handle]] : [])),
      );
    const expected = { '100000000001': 'prod', '200000000002': 'prod_0002', '300000000003': 'prod_0003' };
    expect(handlesOf(t)).toEqual(expected);
    expect(handlesOf({ ...t, accounts: scramble(t.accounts) })).toEqual(expected);
  });

  it.each([
    { name: 'a handle taken elsewhere in the tenant', taken: ['prod'], mirror: [] as string[], expected: 'prod_0001' },
    { name: 'the plain and suffixed handles both taken', taken: ['prod', 'prod_0001'], mirror: [], expected: 'prod_0001_2' },
    { name: 'a handle held by a connection of this mirror', taken: [], mirror: ['prod'], expected: 'prod_0001' },
  ])('avoids $name', ({ taken, mirror, expected }) => {
    const snapshot: MirrorSnapshot = {
      folders: [],
      connections: mirror.map((handle, i) => ({ id: `c_x${i}`, awsAccountId: `99999999999${i}`, folderId: null, handle, handleIsCustom: true, title: 'x', state: 'active', awsState: 'ACTIVE' })),
    };
    const t = tree({ accounts: [['100000000001', 'Prod', 'r-root1'], ...snapshot.connections.map((c) => [c.awsAccountId, 'Other', 'r-root1'] as [string, string, string])] });
    const plan = planMirror(snapshot, t, { ...options, takenHandles: { folders: new Set(), connections: new Set(taken) } });
    const added = plan.ops.find((o) => o.op === 'add-connection' && o.awsAccountId === '100000000001');
    expect(added).toMatchObject({ handle: expected });
  });

  it('rehandles non-custom nodes on a prefix change and keeps custom ones', () => {
    const t = tree(base);
    const mirror = mirrorOf(t, 'old_');
    mirror.connections = mirror.connections.map((c) => (c.awsAccountId === '100000000003' ? { ...c, handle: 'my_sandbox', handleIsCustom: true } : c));
    const plan = planMirror(mirror, t, { ...options, handlePrefix: 'new_', prefixChanged: true });
    expect(plan.ops.every((o) => o.op === 'rehandle')).toBe(true);
    expect(plan.ops.map((o) => (o.op === 'rehandle' ? `${o.fromHandle}>${o.toHandle}` : ''))).toEqual([
      'old_management>new_management',
      'old_web_prod>new_web_prod',
      'old_prod>new_prod',
      'old_dev>new_dev',
      'old_web>new_web',
      'old_root>new_root',
    ]);
  });

  it('never hands a node a handle another node still holds (no transient unique violation)', () => {
    // Prefix '' → 'x_': account "Prod" wants x_prod, which the account named "x prod" holds today.
    const t = tree({ accounts: [['100000000001', 'Prod', 'r-root1'], ['100000000002', 'x prod', 'r-root1']] });
    const mirror = mirrorOf(t);
    const plan = planMirror(mirror, t, { ...options, handlePrefix: 'x_', prefixChanged: true });
    const to = Object.fromEntries(plan.ops.flatMap((o) => (o.op === 'rehandle' && o.target === 'connection' ? [[o.awsId, o.toHandle]] : [])));
    expect(to).toEqual({ '100000000001': 'x_prod_0001', '100000000002': 'x_x_prod' });
  });

  it('keeps the handle on rename without a prefix change', () => {
    const t = tree(base);
    const renamed = tree(withAccounts(base, (a) => a.map((x) => (x[0] === '100000000001' ? ['100000000001', 'Billing', 'r-root1'] : x))));
    expect(planMirror(mirrorOf(t), renamed, options).ops.some((o) => o.op === 'rehandle')).toBe(false);
  });
});

describe('planMirror determinism', () => {
  it('gives the same plan for scrambled inputs', () => {
    const before = tree(base);
    const after = tree({
      ous: [['ou-root-aaaa0002', 'Dev', 'r-root1'], ['ou-root-aaaa0005', 'New', 'ou-root-aaaa0002'], ['ou-root-aaaa0006', 'Deeper', 'ou-root-aaaa0005']],
      accounts: [['100000000003', 'Sandbox', 'ou-root-aaaa0006'], ['100000000007', 'Fresh', 'ou-root-aaaa0005'], ['100000000002', 'Web Prod', 'r-root1', 'SUSPENDED']],
    });
    const mirror = mirrorOf(before);
    const one = planMirror(mirror, after, options);
    const two = planMirror(
      { folders: scramble(mirror.folders), connections: scramble(mirror.connections) },
      { ...after, ous: scramble(after.ous), accounts: scramble(after.accounts) },
      options,
    );
    expect(two).toEqual(one);
    expect(one.ops.map((o) => o.op)).toEqual([
      'add-folder', 'add-folder', 'move-connection', 'move-connection', 'add-connection', 'state-change',
      'remove-connection', 'remove-folder', 'remove-folder',
    ]);
  });
});

describe('connectionStateFor', () => {
  it.each([
    ['ACTIVE', 'active'],
    ['SUSPENDED', 'disabled'],
    ['PENDING_CLOSURE', 'disabled'],
    ['PENDING_ACTIVATION', 'disabled'],
    ['SOMETHING_NEW', 'disabled'],
  ])('%s → %s', (awsState, expected) => {
    expect(connectionStateFor(awsState)).toBe(expected);
  });
});
