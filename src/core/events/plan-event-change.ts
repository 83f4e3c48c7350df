/**
 * One event, planned with the full sync's own rules. The mirror is read back as the tree it
 * stands for; the event's single account or OU is replaced there by what Organizations says
 * now; planMirror diffs the mirror against that tree. Whatever planMirror does for a full sync
 * (handles, titles, disabled states, CLOSED removals) an event does identically.
 *
 * When the mirror cannot absorb the change without guessing — the parent folder is unknown,
 * the account sits elsewhere than the event assumed, an OU still has children, the mirror is
 * empty or disagrees with itself — the verdict is `reconcile`: a full sync settles it.
 */
import type { DiscoveredAccount, DiscoveredOu, DiscoveredTree } from '../mirror/discovered-tree.js';
import type { MirrorPlan } from '../mirror/mirror-plan.js';
import type { MirrorSnapshot } from '../mirror/mirror-snapshot.js';
import { planMirror, type PlanMirrorOptions } from '../mirror/plan-mirror.js';
import type { OrganizationsChange } from './organizations-event.js';

/** What Organizations says now about the event's subject (DescribeAccount + ListParents, or DescribeOrganizationalUnit). */
export type EventTruth =
  | { kind: 'account'; accountId: string; account: DiscoveredAccount | null }
  | { kind: 'ou'; ouId: string; ou: { id: string; name: string } | null };

export type ReconcileCode =
  | 'mirror_empty'
  | 'mirror_inconsistent'
  | 'unknown_parent'
  | 'account_not_in_mirror'
  | 'account_elsewhere'
  | 'ou_not_in_mirror'
  | 'ou_parent_differs'
  | 'folder_not_empty';

export type EventPlan = { kind: 'apply'; plan: MirrorPlan } | { kind: 'reconcile'; code: ReconcileCode; reason: string };

/** The tree the mirror stands for; null when a connection or folder hangs off nothing. */
export function treeOfMirror(snapshot: MirrorSnapshot): DiscoveredTree | null {
  const awsIdOf = new Map(snapshot.folders.map((f) => [f.id, f.awsId]));
  const roots: DiscoveredTree['roots'] = [];
  const ous: DiscoveredOu[] = [];
  for (const folder of snapshot.folders) {
    if (folder.kind === 'root') {
      if (folder.parentId !== null) return null;
      roots.push({ id: folder.awsId, name: folder.title });
      continue;
    }
    const parentId = folder.parentId === null ? undefined : awsIdOf.get(folder.parentId);
    if (parentId === undefined) return null;
    ous.push({ id: folder.awsId, name: folder.title, parentId });
  }
  const accounts: DiscoveredAccount[] = [];
  for (const connection of snapshot.connections) {
    const parentId = connection.folderId === null ? undefined : awsIdOf.get(connection.folderId);
    if (parentId === undefined) return null;
    accounts.push({
      id: connection.awsAccountId,
      name: connection.title,
      email: '',
      state: connection.awsState ?? 'UNKNOWN',
      parentId,
      joinedTimestamp: null,
    });
  }
  return { organizationId: '', managementAccountId: '', roots, ous, accounts, complete: true, failures: [] };
}

const reconcile = (code: ReconcileCode, reason: string): EventPlan => ({ kind: 'reconcile', code, reason });

function hasFolder(tree: DiscoveredTree, awsId: string): boolean {
  return tree.roots.some((r) => r.id === awsId) || tree.ous.some((o) => o.id === awsId);
}

/** The tree with the account as Organizations reports it now, or a reason to reconcile. */
function withAccountTruth(tree: DiscoveredTree, change: OrganizationsChange, truth: Extract<EventTruth, { kind: 'account' }>): DiscoveredTree | EventPlan {
  const mirrored = tree.accounts.find((a) => a.id === truth.accountId);
  const current = truth.account;
  if (change.kind === 'account-moved') {
    if (mirrored === undefined) return reconcile('account_not_in_mirror', `Account ${truth.accountId} moved, but the mirror does not hold it yet (an earlier event was lost or is still on its way).`);
    const known = [change.sourceParentId, change.destinationParentId, current?.parentId];
    if (!known.includes(mirrored.parentId)) {
      return reconcile('account_elsewhere', `Account ${truth.accountId} moved from ${change.sourceParentId}, but the mirror has it under ${mirrored.parentId}: an earlier move was missed.`);
    }
  }
  if (change.kind === 'account-joined' && mirrored !== undefined && current !== null && mirrored.parentId !== current.parentId) {
    return reconcile('account_elsewhere', `Account ${truth.accountId} joined under ${current.parentId}, but the mirror already has it under ${mirrored.parentId}.`);
  }
  const others = tree.accounts.filter((a) => a.id !== truth.accountId);
  if (current === null) return { ...tree, accounts: others };
  if (!hasFolder(tree, current.parentId)) {
    return reconcile('unknown_parent', `Account ${truth.accountId} is under ${current.parentId}, which the mirror does not hold yet.`);
  }
  return { ...tree, accounts: [...others, current] };
}

/** The tree with the OU as Organizations reports it now, or a reason to reconcile. */
function withOuTruth(tree: DiscoveredTree, change: OrganizationsChange, truth: Extract<EventTruth, { kind: 'ou' }>): DiscoveredTree | EventPlan {
  const mirrored = tree.ous.find((o) => o.id === truth.ouId);
  const others = tree.ous.filter((o) => o.id !== truth.ouId);
  if (truth.ou === null) {
    if (mirrored === undefined) return tree;
    const children = tree.ous.filter((o) => o.parentId === truth.ouId).length + tree.accounts.filter((a) => a.parentId === truth.ouId).length;
    if (children > 0) {
      return reconcile('folder_not_empty', `OU ${truth.ouId} is gone, but its folder still holds ${children} node(s) in the mirror: their moves were missed.`);
    }
    return { ...tree, ous: others };
  }
  let parentId: string;
  if (change.kind === 'ou-created') {
    // OUs never change parent in Organizations, so the creation request names it for good.
    if (mirrored !== undefined && mirrored.parentId !== change.parentId) {
      return reconcile('ou_parent_differs', `OU ${truth.ouId} was created under ${change.parentId}, but the mirror has it under ${mirrored.parentId}.`);
    }
    parentId = change.parentId;
  } else {
    if (mirrored === undefined) return reconcile('ou_not_in_mirror', `OU ${truth.ouId} changed, but the mirror does not hold it yet.`);
    parentId = mirrored.parentId;
  }
  if (!hasFolder(tree, parentId)) return reconcile('unknown_parent', `OU ${truth.ouId} is under ${parentId}, which the mirror does not hold yet.`);
  return { ...tree, ous: [...others, { id: truth.ouId, name: truth.ou.name, parentId }] };
}

/** Plans one event against the mirror: the ops to apply (maybe none), or why a full reconcile must decide. */
export function planEventChange(
  snapshot: MirrorSnapshot,
  change: OrganizationsChange,
  truth: EventTruth,
  options: Omit<PlanMirrorOptions, 'prefixChanged'>,
): EventPlan {
  if (snapshot.folders.length === 0) return reconcile('mirror_empty', 'The integration has not been synced yet: the first full sync builds the mirror.');
  const base = treeOfMirror(snapshot);
  const planOptions = { ...options, prefixChanged: false };
  if (base === null || planMirror(snapshot, base, planOptions).ops.length > 0) {
    return reconcile('mirror_inconsistent', 'The mirror does not describe a consistent tree (an orphaned node or unknown state): a full sync repairs it.');
  }
  const next = truth.kind === 'account' ? withAccountTruth(base, change, truth) : withOuTruth(base, change, truth);
  if ('kind' in next) return next;
  return { kind: 'apply', plan: planMirror(snapshot, next, planOptions) };
}
