/**
 * The delete guard: a plan that deletes a large share of the mirror (or many nodes) waits
 * for a human, because a mass deletion is more often a broken credential or policy than a
 * real reorganisation, and a deletion detaches connections from every workspace.
 */
import { type MirrorPlan, removalCount } from './mirror-plan.js';

export interface DeleteGuardOptions {
  /** Largest share of the mirror a plan may delete without approval (default 0.25). */
  maxShare?: number;
  /** Largest number of nodes a plan may delete without approval (default 50). */
  maxCount?: number;
  /** The integration is set to apply any plan without approval. */
  autoApprove?: boolean;
}

export interface DeleteGuardVerdict {
  needsApproval: boolean;
  /** Stable code: null when no approval is needed. */
  code: 'delete_share_exceeded' | 'delete_count_exceeded' | null;
  /** Human explanation, also given when the guard lets the plan through. */
  reason: string;
  removals: number;
  currentSize: number;
  /** removals ÷ currentSize (0 for an empty mirror). */
  share: number;
}

export const DEFAULT_DELETE_GUARD = { maxShare: 0.25, maxCount: 50 } as const;

/** Decides whether the plan's removals need approval. `currentSize` counts the mirror's folders and connections. */
export function evaluateDeleteGuard(
  plan: MirrorPlan,
  currentSize: number,
  options: DeleteGuardOptions = {},
): DeleteGuardVerdict {
  const maxShare = options.maxShare ?? DEFAULT_DELETE_GUARD.maxShare;
  const maxCount = options.maxCount ?? DEFAULT_DELETE_GUARD.maxCount;
  const removals = removalCount(plan);
  const share = currentSize > 0 ? removals / currentSize : 0;
  const base = { removals, currentSize, share };
  const percent = (value: number): string => `${Math.round(value * 1000) / 10}%`;
  if (removals === 0) return { ...base, needsApproval: false, code: null, reason: 'The plan deletes nothing.' };
  const exceeded: { code: 'delete_count_exceeded' | 'delete_share_exceeded'; text: string } | null =
    removals > maxCount
      ? { code: 'delete_count_exceeded', text: `deletes ${removals} nodes, more than the limit of ${maxCount}` }
      : share > maxShare
        ? {
            code: 'delete_share_exceeded',
            text: `deletes ${removals} of ${currentSize} nodes (${percent(share)}), more than the limit of ${percent(maxShare)}`,
          }
        : null;
  if (exceeded === null) {
    return { ...base, needsApproval: false, code: null, reason: `The plan deletes ${removals} of ${currentSize} nodes, within the limits.` };
  }
  if (options.autoApprove === true) {
    return { ...base, needsApproval: false, code: null, reason: `The plan ${exceeded.text}; auto-approve is set.` };
  }
  return { ...base, needsApproval: true, code: exceeded.code, reason: `The plan ${exceeded.text}: it waits for approval.` };
}
