/**
 * The fewest Organizations calls a hierarchy walk of a given tree can make: the yardstick
 * the walker is measured against (tests assert equality; the benchmark reports the ratio).
 */
import type { DiscoveredTree } from '../core/mirror/discovered-tree.js';
import { ORGANIZATIONS_PAGE_SIZE } from './org-walker.js';

export interface WalkCost {
  DescribeOrganization: number;
  ListRoots: number;
  ListOrganizationalUnitsForParent: number;
  ListAccountsForParent: number;
  /** Organizations calls in all (the STS GetCallerIdentity of the preflight is not included). */
  total: number;
}

/** Pages needed to list `n` items: at least one, even for an empty parent. */
export function pagesFor(n: number, pageSize = ORGANIZATIONS_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(n / pageSize));
}

/** Minimum calls to walk `tree` from the management account (no delegated-administrator lookup). */
export function minimumWalkCost(tree: Pick<DiscoveredTree, 'roots' | 'ous' | 'accounts'>): WalkCost {
  const ouChildren = new Map<string, number>();
  const accountChildren = new Map<string, number>();
  for (const ou of tree.ous) ouChildren.set(ou.parentId, (ouChildren.get(ou.parentId) ?? 0) + 1);
  for (const a of tree.accounts) accountChildren.set(a.parentId, (accountChildren.get(a.parentId) ?? 0) + 1);
  const parents = [...tree.roots.map((r) => r.id), ...tree.ous.map((o) => o.id)];
  const ouPages = parents.reduce((sum, p) => sum + pagesFor(ouChildren.get(p) ?? 0), 0);
  const accountPages = parents.reduce((sum, p) => sum + pagesFor(accountChildren.get(p) ?? 0), 0);
  const rootPages = pagesFor(tree.roots.length);
  return {
    DescribeOrganization: 1,
    ListRoots: rootPages,
    ListOrganizationalUnitsForParent: ouPages,
    ListAccountsForParent: accountPages,
    total: 1 + rootPages + ouPages + accountPages,
  };
}
