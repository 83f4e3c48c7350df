/**
 * The operations that turn a mirror into the image of a discovered tree. New nodes have
 * no orglink id yet, so parents are named by AWS id; the apply step resolves them.
 * Every handle an op sets is free at every point of the ordered plan (see plan-mirror.ts).
 */
import type { ConnectionState, FolderKind } from '../../store/database.js';
import type { ParentFailure } from './discovered-tree.js';

export type NodeKind = 'folder' | 'connection';

export interface AddFolderOp {
  op: 'add-folder';
  awsId: string;
  kind: FolderKind;
  parentAwsId: string | null;
  handle: string;
  title: string;
}

export interface AddConnectionOp {
  op: 'add-connection';
  awsAccountId: string;
  parentAwsId: string;
  handle: string;
  title: string;
  state: ConnectionState;
  awsState: string;
}

export interface MoveFolderOp {
  op: 'move-folder';
  folderId: string;
  awsId: string;
  fromParentAwsId: string | null;
  toParentAwsId: string | null;
}

export interface MoveConnectionOp {
  op: 'move-connection';
  connectionId: string;
  awsAccountId: string;
  fromParentAwsId: string | null;
  toParentAwsId: string;
}

/** An AWS rename: the title follows, the handle stays. */
export interface RenameOp {
  op: 'rename';
  target: NodeKind;
  id: string;
  awsId: string;
  fromTitle: string;
  toTitle: string;
}

/** A new handle after a prefix change; never planned for a custom handle. */
export interface RehandleOp {
  op: 'rehandle';
  target: NodeKind;
  id: string;
  awsId: string;
  fromHandle: string;
  toHandle: string;
}

export interface StateChangeOp {
  op: 'state-change';
  connectionId: string;
  awsAccountId: string;
  fromState: ConnectionState;
  toState: ConnectionState;
  fromAwsState: string | null;
  toAwsState: string;
}

export interface RemoveConnectionOp {
  op: 'remove-connection';
  connectionId: string;
  awsAccountId: string;
  handle: string;
  /** closed: the account is CLOSED; gone: no longer in the (complete) tree. */
  reason: 'closed' | 'gone';
}

export interface RemoveFolderOp {
  op: 'remove-folder';
  folderId: string;
  awsId: string;
  handle: string;
  reason: 'gone';
}

export type MirrorOp =
  | AddFolderOp
  | AddConnectionOp
  | MoveFolderOp
  | MoveConnectionOp
  | RenameOp
  | RehandleOp
  | StateChangeOp
  | RemoveConnectionOp
  | RemoveFolderOp;

export type MirrorOpType = MirrorOp['op'];

/** Apply order: parents exist before children arrive, children leave before a folder goes. */
export const MIRROR_OP_ORDER: readonly MirrorOpType[] = [
  'add-folder',
  'move-folder',
  'move-connection',
  'add-connection',
  'rename',
  'rehandle',
  'state-change',
  'remove-connection',
  'remove-folder',
];

/** A removal the planner did not plan because discovery was incomplete. */
export interface WithheldRemoval {
  target: NodeKind;
  id: string;
  awsId: string;
  handle: string;
}

export interface MirrorPlan {
  /** Sorted by MIRROR_OP_ORDER, then as each op type documents; apply in this order. */
  ops: MirrorOp[];
  /** Whether the discovered tree was complete. When false, `ops` holds no removal. */
  complete: boolean;
  /** Removals a complete tree would have planned; empty when complete. */
  withheldRemovals: WithheldRemoval[];
  /** Why the tree was incomplete (copied from the tree). */
  failures: ParentFailure[];
  counts: Record<MirrorOpType, number>;
}

/** True when applying the plan would write nothing. */
export function isEmptyPlan(plan: MirrorPlan): boolean {
  return plan.ops.length === 0;
}

/** Number of folders and connections the plan deletes. */
export function removalCount(plan: MirrorPlan): number {
  return plan.counts['remove-connection'] + plan.counts['remove-folder'];
}
