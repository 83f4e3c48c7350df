/**
 * The reconcile diff: a pure function from (mirror, discovered tree) to a sorted plan.
 *
 * Rules:
 * - each root is a root folder, each OU a folder, each account not CLOSED a connection;
 * - an AWS rename changes the title and keeps the handle (unless the prefix changed and the handle is not custom);
 * - SUSPENDED, PENDING_CLOSURE (and any state but ACTIVE) → disabled; ACTIVE → active;
 * - CLOSED or absent → removed, but only when the tree is complete: an incomplete walk never deletes
 *   (a CLOSED account then only becomes disabled, and the next complete walk removes it);
 * - no op ever sets a handle another node holds at that moment: every current handle of the mirror
 *   stays reserved for its owner, so the plan applies in order without a transient unique violation.
 */
import type { ConnectionState, FolderKind } from '../../store/database.js';
import type { DiscoveredAccount, DiscoveredTree } from './discovered-tree.js';
import { allocateHandles, type HandleRequest } from './handle-allocator.js';
import {
  MIRROR_OP_ORDER,
  type MirrorOp,
  type MirrorOpType,
  type MirrorPlan,
  type NodeKind,
  type WithheldRemoval,
} from './mirror-plan.js';
import type { MirrorConnection, MirrorFolder, MirrorSnapshot } from './mirror-snapshot.js';

export interface PlanMirrorOptions {
  handlePrefix: string | null;
  /** Handles used elsewhere in the tenant (other integrations, standalone connections). */
  takenHandles: { folders: ReadonlySet<string>; connections: ReadonlySet<string> };
  /** The integration's prefix changed since the mirror was written: recompute non-custom handles. */
  prefixChanged?: boolean;
}

/** The connection state an AWS account state maps to. */
export function connectionStateFor(awsState: string): ConnectionState {
  return awsState === 'ACTIVE' ? 'active' : 'disabled';
}

interface DesiredNode {
  awsId: string;
  name: string;
  parentAwsId: string | null;
}

interface DesiredFolder extends DesiredNode {
  kind: FolderKind;
  depth: number;
}

/** The allocated handle; allocateHandles serves every request, so a miss is a bug, not a case. */
function handleOf(handles: ReadonlyMap<string, string>, awsId: string): string {
  const handle = handles.get(awsId);
  if (handle === undefined) throw new Error(`no handle was allocated for ${awsId}`);
  return handle;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function desiredFolders(tree: DiscoveredTree): Map<string, DesiredFolder> {
  const parentOf = new Map<string, string | null>();
  for (const root of tree.roots) parentOf.set(root.id, null);
  for (const ou of tree.ous) parentOf.set(ou.id, ou.parentId);
  const depthOf = (id: string): number => {
    let depth = 0;
    for (let p = parentOf.get(id); p !== null && p !== undefined && depth < 64; p = parentOf.get(p)) depth += 1;
    return depth;
  };
  const result = new Map<string, DesiredFolder>();
  for (const root of tree.roots) result.set(root.id, { awsId: root.id, name: root.name, parentAwsId: null, kind: 'root', depth: 0 });
  for (const ou of tree.ous) {
    result.set(ou.id, { awsId: ou.id, name: ou.name, parentAwsId: ou.parentId, kind: 'ou', depth: depthOf(ou.id) });
  }
  return result;
}

/** Accounts that should have a connection; CLOSED ones only while removals are withheld. */
function desiredAccounts(tree: DiscoveredTree, snapshot: MirrorSnapshot): Map<string, DiscoveredAccount> {
  const mirrored = new Set(snapshot.connections.map((c) => c.awsAccountId));
  const result = new Map<string, DiscoveredAccount>();
  for (const account of tree.accounts) {
    if (account.state === 'CLOSED' && (tree.complete || !mirrored.has(account.id))) continue;
    result.set(account.id, account);
  }
  return result;
}

interface HandleInputs<T extends { handle: string; handleIsCustom: boolean }> {
  kept: Array<{ node: T; desired: DesiredNode }>;
  added: DesiredNode[];
  all: readonly T[];
  tenantTaken: ReadonlySet<string>;
}

/** New handles for added nodes, and for kept non-custom nodes when the prefix changed. */
function planHandles<T extends { handle: string; handleIsCustom: boolean }>(
  inputs: HandleInputs<T>,
  options: PlanMirrorOptions,
): Map<string, string> {
  const own = new Set(inputs.all.map((n) => n.handle));
  const taken = new Set([...inputs.tenantTaken, ...own]);
  const requests: HandleRequest[] = inputs.added.map((d) => ({ awsId: d.awsId, name: d.name }));
  if (options.prefixChanged === true) {
    for (const { node, desired } of inputs.kept) {
      if (!node.handleIsCustom) requests.push({ awsId: desired.awsId, name: desired.name, currentHandle: node.handle });
    }
  }
  return allocateHandles(requests, options.handlePrefix, taken);
}

function planFolders(snapshot: MirrorSnapshot, tree: DiscoveredTree, options: PlanMirrorOptions, out: PlanParts): void {
  const desired = desiredFolders(tree);
  const byId = new Map(snapshot.folders.map((f) => [f.id, f]));
  const mirrored = new Map(snapshot.folders.map((f) => [f.awsId, f]));
  const kept = snapshot.folders.flatMap((node) => {
    const d = desired.get(node.awsId);
    return d === undefined ? [] : [{ node, desired: d }];
  });
  const added = [...desired.values()].filter((d) => !mirrored.has(d.awsId));
  const handles = planHandles<MirrorFolder>(
    { kept, added, all: snapshot.folders, tenantTaken: options.takenHandles.folders },
    options,
  );
  for (const d of added) {
    out.push({ op: 'add-folder', awsId: d.awsId, kind: d.kind, parentAwsId: d.parentAwsId, handle: handleOf(handles, d.awsId), title: d.name }, d.depth);
  }
  for (const { node, desired: d } of kept) {
    const fromParent = node.parentId === null ? null : (byId.get(node.parentId)?.awsId ?? null);
    if (fromParent !== d.parentAwsId) {
      out.push({ op: 'move-folder', folderId: node.id, awsId: node.awsId, fromParentAwsId: fromParent, toParentAwsId: d.parentAwsId });
    }
    pushRenameAndRehandle(out, 'folder', node, d, handles);
  }
  const depthInMirror = (f: MirrorFolder): number => {
    let depth = 0;
    for (let p = f.parentId; p !== null && depth < 64; p = byId.get(p)?.parentId ?? null) depth += 1;
    return depth;
  };
  for (const node of snapshot.folders) {
    if (desired.has(node.awsId)) continue;
    out.remove('folder', node.id, node.awsId, node.handle, { op: 'remove-folder', folderId: node.id, awsId: node.awsId, handle: node.handle, reason: 'gone' }, -depthInMirror(node));
  }
}

function planConnections(snapshot: MirrorSnapshot, tree: DiscoveredTree, options: PlanMirrorOptions, out: PlanParts): void {
  const desired = desiredAccounts(tree, snapshot);
  const folderAwsId = new Map(snapshot.folders.map((f) => [f.id, f.awsId]));
  const mirrored = new Map(snapshot.connections.map((c) => [c.awsAccountId, c]));
  const kept = snapshot.connections.flatMap((node) => {
    const a = desired.get(node.awsAccountId);
    return a === undefined ? [] : [{ node, desired: { awsId: a.id, name: a.name, parentAwsId: a.parentId }, account: a }];
  });
  const added = [...desired.values()].filter((a) => !mirrored.has(a.id));
  const handles = planHandles<MirrorConnection>(
    {
      kept,
      added: added.map((a) => ({ awsId: a.id, name: a.name, parentAwsId: a.parentId })),
      all: snapshot.connections,
      tenantTaken: options.takenHandles.connections,
    },
    options,
  );
  for (const a of added) {
    out.push({
      op: 'add-connection',
      awsAccountId: a.id,
      parentAwsId: a.parentId,
      handle: handleOf(handles, a.id),
      title: a.name,
      state: connectionStateFor(a.state),
      awsState: a.state,
    });
  }
  for (const { node, desired: d, account } of kept) {
    const fromParent = node.folderId === null ? null : (folderAwsId.get(node.folderId) ?? null);
    if (fromParent !== account.parentId) {
      out.push({ op: 'move-connection', connectionId: node.id, awsAccountId: node.awsAccountId, fromParentAwsId: fromParent, toParentAwsId: account.parentId });
    }
    pushRenameAndRehandle(out, 'connection', node, d, handles);
    const toState = connectionStateFor(account.state);
    if (toState !== node.state || account.state !== node.awsState) {
      out.push({
        op: 'state-change',
        connectionId: node.id,
        awsAccountId: node.awsAccountId,
        fromState: node.state,
        toState,
        fromAwsState: node.awsState,
        toAwsState: account.state,
      });
    }
  }
  const inTree = new Map(tree.accounts.map((a) => [a.id, a]));
  for (const node of snapshot.connections) {
    if (desired.has(node.awsAccountId)) continue;
    const reason = inTree.get(node.awsAccountId)?.state === 'CLOSED' ? 'closed' : 'gone';
    out.remove('connection', node.id, node.awsAccountId, node.handle, {
      op: 'remove-connection',
      connectionId: node.id,
      awsAccountId: node.awsAccountId,
      handle: node.handle,
      reason,
    });
  }
}

function pushRenameAndRehandle(
  out: PlanParts,
  target: NodeKind,
  node: { id: string; title: string; handle: string },
  desired: DesiredNode,
  handles: ReadonlyMap<string, string>,
): void {
  if (node.title !== desired.name) {
    out.push({ op: 'rename', target, id: node.id, awsId: desired.awsId, fromTitle: node.title, toTitle: desired.name });
  }
  const handle = handles.get(desired.awsId);
  if (handle !== undefined && handle !== node.handle) {
    out.push({ op: 'rehandle', target, id: node.id, awsId: desired.awsId, fromHandle: node.handle, toHandle: handle });
  }
}

/** Collects ops with a sort rank; turns removals into withheld ones when the tree is incomplete. */
class PlanParts {
  readonly entries: Array<{ op: MirrorOp; rank: number; key: string }> = [];
  readonly withheld: WithheldRemoval[] = [];

  constructor(private readonly complete: boolean) {}

  push(op: MirrorOp, rank = 0): void {
    this.entries.push({ op, rank, key: opKey(op) });
  }

  remove(target: NodeKind, id: string, awsId: string, handle: string, op: MirrorOp, rank = 0): void {
    if (this.complete) this.push(op, rank);
    else this.withheld.push({ target, id, awsId, handle });
  }
}

function opKey(op: MirrorOp): string {
  switch (op.op) {
    case 'add-folder':
    case 'move-folder':
    case 'remove-folder':
      return op.awsId;
    case 'add-connection':
    case 'move-connection':
    case 'state-change':
    case 'remove-connection':
      return op.awsAccountId;
    case 'rename':
    case 'rehandle':
      return `${op.target}:${op.awsId}`;
  }
}

/** Diffs the mirror against a discovered tree. Deterministic: the same inputs give the same plan. */
export function planMirror(snapshot: MirrorSnapshot, tree: DiscoveredTree, options: PlanMirrorOptions): MirrorPlan {
  const parts = new PlanParts(tree.complete);
  planFolders(snapshot, tree, options, parts);
  planConnections(snapshot, tree, options, parts);
  const order = new Map(MIRROR_OP_ORDER.map((t, i) => [t, i]));
  parts.entries.sort(
    (a, b) => (order.get(a.op.op) ?? 0) - (order.get(b.op.op) ?? 0) || a.rank - b.rank || compare(a.key, b.key),
  );
  const counts = Object.fromEntries(MIRROR_OP_ORDER.map((t) => [t, 0])) as Record<MirrorOpType, number>;
  for (const { op } of parts.entries) counts[op.op] += 1;
  return {
    ops: parts.entries.map((e) => e.op),
    complete: tree.complete,
    withheldRemovals: parts.withheld.sort((a, b) => compare(a.target, b.target) || compare(a.awsId, b.awsId)),
    failures: tree.failures,
    counts,
  };
}
