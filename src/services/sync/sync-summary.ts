/** Building a run's summary and its audit record from what discovery, the planner and the guard produced. */
import type { ProbeResult } from '../../aws/member-prober.js';
import type { DeleteGuardVerdict } from '../../core/mirror/delete-guard.js';
import type { DiscoveredTree } from '../../core/mirror/discovered-tree.js';
import { type MirrorPlan, removalCount } from '../../core/mirror/mirror-plan.js';
import { healthCounts, verdictsByAccount } from './health-changes.js';
import type { SyncSummary, SyncWarning } from './sync-types.js';

export interface SummaryInput {
  tree: DiscoveredTree;
  plan: MirrorPlan;
  probe: ProbeResult;
  guard: DeleteGuardVerdict;
  healthUpdated: number;
  mirrorSizeBefore: number;
  applied: boolean;
  permissions: { added: number; removed: number };
}

/** The run summary: counts and verdicts, never every op. */
export function buildSummary(input: SummaryInput): SyncSummary {
  const { tree, plan, probe } = input;
  const warnings: SyncWarning[] = probe.warnings.map((w) => ({ code: w.code, message: w.message, accountIds: w.accountIds }));
  if (!plan.complete) {
    warnings.push({
      code: 'discovery_incomplete',
      message:
        `Discovery did not complete (${plan.failures.length} listing(s) failed), so nothing was deleted` +
        (plan.withheldRemovals.length > 0 ? `; ${plan.withheldRemovals.length} removal(s) wait for a complete run.` : '.'),
    });
  }
  return {
    complete: plan.complete,
    discovered: { organizationId: tree.organizationId, roots: tree.roots.length, ous: tree.ous.length, accounts: tree.accounts.length },
    counts: { ...plan.counts },
    removals: removalCount(plan),
    withheldRemovals: plan.withheldRemovals.length,
    failures: plan.failures.slice(0, 20),
    health: { counts: healthCounts(verdictsByAccount(probe.accounts).values()), updated: input.healthUpdated },
    guard: input.guard,
    mirrorSizeBefore: input.mirrorSizeBefore,
    applied: input.applied,
    permissions: input.permissions,
    warnings,
  };
}

/** The `integration.sync` audit record's `after`: the summary's counts, not the ops. */
export function auditAfter(runId: string, trigger: string, summary: SyncSummary): Record<string, unknown> {
  return {
    runId,
    trigger,
    complete: summary.complete,
    counts: summary.counts,
    removals: summary.removals,
    withheldRemovals: summary.withheldRemovals,
    healthUpdated: summary.health.updated,
    permissions: summary.permissions,
  };
}

/** Stable keys of the plan's removals (`folder:<aws id>`, `connection:<account id>`), for approvals. */
export function removalKeys(plan: MirrorPlan): string[] {
  return plan.ops.flatMap((op) =>
    op.op === 'remove-folder' ? [`folder:${op.awsId}`] : op.op === 'remove-connection' ? [`connection:${op.awsAccountId}`] : [],
  );
}
