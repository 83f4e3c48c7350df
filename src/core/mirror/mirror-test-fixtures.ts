/**
 * Compact builders for mirror tests: a discovered tree and the mirror that exactly matches it.
 * Not a test file itself (vitest only collects *.test.ts).
 */
import type { DiscoveredAccount, DiscoveredTree } from './discovered-tree.js';
import type { MirrorConnection, MirrorFolder, MirrorSnapshot } from './mirror-snapshot.js';

export interface TreeSpec {
  ous?: Array<[id: string, name: string, parentId: string]>;
  accounts?: Array<[id: string, name: string, parentId: string, state?: string]>;
  complete?: boolean;
}

/** A tree with root r-root1 plus the given OUs and accounts. */
export function tree(spec: TreeSpec): DiscoveredTree {
  return {
    organizationId: 'o-test000001',
    managementAccountId: '111111111111',
    roots: [{ id: 'r-root1', name: 'Root' }],
    ous: (spec.ous ?? []).map(([id, name, parentId]) => ({ id, name, parentId })),
    accounts: (spec.accounts ?? []).map(
      ([id, name, parentId, state]): DiscoveredAccount => ({
        id,
        name,
        email: `${id}@example.com`,
        state: state ?? 'ACTIVE',
        parentId,
        joinedTimestamp: null,
      }),
    ),
    complete: spec.complete ?? true,
    failures:
      spec.complete === false
        ? [{ parentId: 'ou-x', listing: 'accounts', code: 'TooManyRequestsException', message: 'slow down', denied: false }]
        : [],
  };
}

/** The mirror a first sync of `t` with prefix `prefix` would write (handles = prefix + lowercased name). */
export function mirrorOf(t: DiscoveredTree, prefix = ''): MirrorSnapshot {
  const folderId = (awsId: string): string => `f_${awsId}`;
  const slug = (name: string): string => `${prefix}${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
  const folders: MirrorFolder[] = [
    ...t.roots.map((r) => ({ id: folderId(r.id), awsId: r.id, parentId: null, kind: 'root' as const, handle: slug(r.name), handleIsCustom: false, title: r.name })),
    ...t.ous.map((o) => ({ id: folderId(o.id), awsId: o.id, parentId: folderId(o.parentId), kind: 'ou' as const, handle: slug(o.name), handleIsCustom: false, title: o.name })),
  ];
  const connections: MirrorConnection[] = t.accounts
    .filter((a) => a.state !== 'CLOSED')
    .map((a) => ({
      id: `c_${a.id}`,
      awsAccountId: a.id,
      folderId: folderId(a.parentId),
      handle: slug(a.name),
      handleIsCustom: false,
      title: a.name,
      state: a.state === 'ACTIVE' ? 'active' : 'disabled',
      awsState: a.state,
    }));
  return { folders, connections };
}

/** A deterministic shuffle (reversal plus rotation) to prove order independence. */
export function scramble<T>(items: readonly T[]): T[] {
  const reversed = [...items].reverse();
  const k = Math.floor(reversed.length / 2);
  return [...reversed.slice(k), ...reversed.slice(0, k)];
}

export const noTaken = { folders: new Set<string>(), connections: new Set<string>() };
