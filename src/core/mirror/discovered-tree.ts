/**
 * What one walk of an AWS Organization found: its roots, OUs and accounts, each with the
 * id of its parent. `complete` is false whenever some parent's listing failed; then the
 * tree is a lower bound of the organization, and nothing absent from it may be deleted.
 */

/** Account states Organizations reports (`State`); the legacy `Status` uses the first three. */
export type AwsAccountState = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'PENDING_ACTIVATION' | 'CLOSED';

export interface DiscoveredRoot {
  id: string; // r-xxxx
  name: string;
}

export interface DiscoveredOu {
  id: string; // ou-xxxx-xxxxxxxx
  name: string;
  /** A root id or an OU id. */
  parentId: string;
}

export interface DiscoveredAccount {
  id: string; // 12 digits
  name: string;
  email: string;
  /** `State`, else the legacy `Status`, else 'UNKNOWN'; kept as a string so a new AWS state is not lost. */
  state: string;
  parentId: string;
  joinedTimestamp: Date | null;
}

/** Which listing of a parent failed. */
export type ParentListing = 'roots' | 'organizational_units' | 'accounts';

/** Why a parent's children are unknown: the last error after retries. */
export interface ParentFailure {
  /** The parent whose listing failed; null for ListRoots. */
  parentId: string | null;
  listing: ParentListing;
  /** The AWS error code (AccessDeniedException, TooManyRequestsException...) or the error name. */
  code: string;
  message: string;
  /** True when AWS refused (AccessDenied): a permission problem, not a transient one. */
  denied: boolean;
}

export interface DiscoveredTree {
  organizationId: string;
  managementAccountId: string;
  roots: DiscoveredRoot[];
  ous: DiscoveredOu[];
  accounts: DiscoveredAccount[];
  /** True only when every listing of every parent succeeded to its last page. */
  complete: boolean;
  failures: ParentFailure[];
}

/** Fields of an Organizations `Account` this module reads. */
export interface RawAccountState {
  State?: string | undefined;
  Status?: string | undefined;
}

/** The account's state: `State` first, then the legacy `Status` (retired 2026-09-09), else 'UNKNOWN'. */
export function accountStateOf(raw: RawAccountState): string {
  if (raw.State !== undefined && raw.State !== '') return raw.State;
  if (raw.Status !== undefined && raw.Status !== '') return raw.Status;
  return 'UNKNOWN';
}

/** Sorts a tree's lists by id so two walks of the same org compare equal regardless of arrival order. */
export function sortDiscoveredTree(tree: DiscoveredTree): DiscoveredTree {
  const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const failureKey = (f: ParentFailure): string => `${f.parentId ?? ''}\u0000${f.listing}`;
  return {
    ...tree,
    roots: [...tree.roots].sort(byId),
    ous: [...tree.ous].sort(byId),
    accounts: [...tree.accounts].sort(byId),
    failures: [...tree.failures].sort((a, b) => (failureKey(a) < failureKey(b) ? -1 : failureKey(a) > failureKey(b) ? 1 : 0)),
  };
}

/** What re-asking Organizations about accounts a walk did not see found out (see src/aws/absence-check.ts). */
export interface AbsenceRecheck {
  /** Accounts still in the organization: a walk misses an account that moves between two listings. */
  present: DiscoveredAccount[];
  /** Accounts Organizations confirmed are no longer in it. */
  gone: string[];
  /** Accounts the recheck could not settle; their fate is unknown. */
  unknown: ParentFailure[];
}

/**
 * Folds a recheck into the tree: present accounts are added back, and anything unsettled
 * makes the tree incomplete, so the planner deletes nothing on a guess.
 */
export function applyAbsenceRecheck(tree: DiscoveredTree, recheck: AbsenceRecheck): DiscoveredTree {
  const known = new Set(tree.accounts.map((a) => a.id));
  const added = recheck.present.filter((a) => !known.has(a.id));
  const failures = [...tree.failures, ...recheck.unknown];
  return { ...tree, accounts: [...tree.accounts, ...added], failures, complete: tree.complete && recheck.unknown.length === 0 };
}
