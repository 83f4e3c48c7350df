/** The shapes a sync reports: progress events, the run summary, and the run's public view. */
import type { WalkProgress } from '../../aws/org-walker.js';
import type { DeleteGuardVerdict } from '../../core/mirror/delete-guard.js';
import type { ParentFailure } from '../../core/mirror/discovered-tree.js';
import type { MirrorOpType, MirrorPlan } from '../../core/mirror/mirror-plan.js';
import type { Health } from '../../store/database.js';
import type { SyncRunStatus, SyncTrigger } from '../../store/database.js';

export type SyncPhase = 'assume' | 'walk' | 'probe' | 'plan' | 'apply';

/** One progress event; `walk` and `probe` carry counts while their phase runs. */
export interface SyncProgress {
  runId: string;
  phase: SyncPhase;
  message: string;
  walk?: WalkProgress;
  probe?: { done: number; total: number };
}

/** A warning a run carries without failing: exposure, incomplete discovery. */
export interface SyncWarning {
  code: 'role_assumable_without_external_id' | 'discovery_incomplete';
  message: string;
  accountIds?: string[];
}

/** What a run found and did (counts, not every op). */
export interface SyncSummary {
  /** Whether discovery saw the whole organization; when false no removal was applied. */
  complete: boolean;
  discovered: { organizationId: string; roots: number; ous: number; accounts: number };
  /** Ops planned, by type. */
  counts: Record<MirrorOpType, number>;
  removals: number;
  /** Removals an incomplete walk held back. */
  withheldRemovals: number;
  /** Listings that failed (first 20). */
  failures: ParentFailure[];
  health: { counts: Record<Health, number>; updated: number };
  guard: DeleteGuardVerdict;
  mirrorSizeBefore: number;
  /** True when the run wrote to the mirror; false for dry runs, empty plans and runs awaiting approval. */
  applied: boolean;
  permissions: { added: number; removed: number };
  warnings: SyncWarning[];
}

export interface SyncRunError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The public shape of a sync run. */
export interface SyncRunView {
  id: string;
  tenantId: string;
  integrationId: string;
  trigger: SyncTrigger;
  status: SyncRunStatus;
  dryRun: boolean;
  autoApprove: boolean;
  approvesRunId: string | null;
  summary: SyncSummary | null;
  progress: SyncProgress | null;
  error: SyncRunError | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What runIntegrationSync returns: the run, and the plan it made (null when it failed before planning). */
export interface SyncRunResult {
  run: SyncRunView;
  plan: MirrorPlan | null;
}
