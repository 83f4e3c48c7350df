/**
 * A sync of one integration: plan, then apply.
 *   discovery (assume the discovery role, walk, probe member roles — AWS only, no DB)
 *   → one transaction: read the mirror, planMirror, health changes, delete guard, apply
 *     ops + health + one `integration.sync` audit entry, finish the run row.
 * An empty plan with unchanged health writes nothing to the mirror or the audit log;
 * only the run's own row (sync_runs) and the integration's last-sync columns record it.
 * A dry run writes nothing at all: no run row either.
 */
import { type Kysely, sql } from 'kysely';
import { isDomainError, ConflictError, NotFoundError } from '../../core/errors.js';
import { evaluateDeleteGuard, type DeleteGuardVerdict } from '../../core/mirror/delete-guard.js';
import type { MirrorPlan } from '../../core/mirror/mirror-plan.js';
import { mirrorSize } from '../../core/mirror/mirror-snapshot.js';
import { planMirror } from '../../core/mirror/plan-mirror.js';
import { applyMirrorPlan, isNoopApply } from './apply-mirror-plan.js';
import { planHealthUpdates, verdictsByAccount } from './health-changes.js';
import { readMirror, readTakenHandles } from './read-mirror.js';
import type { SyncAwsAccess } from './sync-aws-access.js';
import { type Discovery, discoverOrganization } from './sync-discovery.js';
import { finishRun, loadRun, newSyncRunId, recordProgress, startRun, syncRunView } from './sync-runs.js';
import { auditAfter, buildSummary, removalKeys } from './sync-summary.js';
import type { Database, Integration, SyncTrigger } from '../../store/database.js';
import type { Actor, Db } from '../context.js';
import type { SyncProgress, SyncRunError, SyncRunResult, SyncSummary } from './sync-types.js';

export type { SyncProgress, SyncRunResult } from './sync-types.js';
export { createSyncAwsAccess, type SyncAwsAccess, type SyncAwsAccessOptions } from './sync-aws-access.js';

export interface SyncDeps {
  db: Kysely<Database>;
  clock: () => Date;
  aws: SyncAwsAccess;
  guard: { maxShare: number; maxCount: number };
}

export interface SyncRequest {
  tenantId: string;
  integrationId: string;
  trigger: SyncTrigger;
  dryRun?: boolean;
  autoApprove?: boolean;
  /** An existing queued run to execute (from a job); a new run is created when absent. */
  runId?: string;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  /** Who asked (recorded in the audit entry); none for scheduled and event runs. */
  actor?: Actor;
}

interface Approval {
  runId: string;
  removals: ReadonlySet<string>;
}

interface Outcome {
  kind: 'dry-run' | 'noop' | 'applied' | 'awaiting';
  plan: MirrorPlan;
  summary: SyncSummary;
}

async function loadIntegrationRow(db: Db, tenantId: string, integrationId: string): Promise<Integration> {
  const row = await db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', integrationId).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('integration_not_found', `Integration '${integrationId}' not found`);
  return row;
}

function runError(error: unknown): SyncRunError {
  if (isDomainError(error)) return { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'sync_aborted', message: 'The sync was aborted' };
  return { code: 'sync_failed', message: error instanceof Error ? error.message : String(error) };
}

/** The guard's verdict, overridden when a person approved exactly these (or more) removals. */
function guardVerdict(deps: SyncDeps, plan: MirrorPlan, size: number, autoApprove: boolean, approval: Approval | null): DeleteGuardVerdict {
  const verdict = evaluateDeleteGuard(plan, size, { ...deps.guard, autoApprove });
  if (!verdict.needsApproval || approval === null) return verdict;
  const unapproved = removalKeys(plan).filter((key) => !approval.removals.has(key));
  if (unapproved.length > 0) return verdict;
  return { ...verdict, needsApproval: false, code: null, reason: `${verdict.reason.replace(/: it waits for approval\.$/, '')}; approved in run ${approval.runId}.` };
}

interface ReconcileInput {
  integrationId: string;
  runId: string;
  trigger: SyncTrigger;
  dryRun: boolean;
  autoApprove: boolean;
  approval: Approval | null;
  discovery: Discovery;
  actor: Actor | undefined;
}

/** Plans against the mirror as it is now and applies, all in one transaction. */
async function reconcile(deps: SyncDeps, db: Kysely<Database>, input: ReconcileInput): Promise<Outcome> {
  const { tree, probe } = input.discovery;
  const verdicts = verdictsByAccount(probe.accounts);
  return db.transaction().execute(async (trx) => {
    // One writer per integration, without a row lock (a row lock would itself be a write).
    await sql`select pg_advisory_xact_lock(hashtext(${input.integrationId}))`.execute(trx);
    const integration = await trx.selectFrom('integrations').selectAll().where('id', '=', input.integrationId).executeTakeFirstOrThrow();
    const mirror = await readMirror(trx, integration.id);
    const size = mirrorSize(mirror.snapshot);
    const prefixChanged = size > 0 && (integration.mirror_handle_prefix ?? '') !== (integration.handle_prefix ?? '');
    const plan = planMirror(mirror.snapshot, tree, {
      handlePrefix: integration.handle_prefix,
      takenHandles: await readTakenHandles(trx, integration.tenant_id, integration.id),
      prefixChanged,
    });
    const removed = new Set(plan.ops.flatMap((op) => (op.op === 'remove-connection' ? [op.connectionId] : [])));
    const healthUpdates = planHealthUpdates(mirror.health, verdicts, removed);
    const guard = guardVerdict(deps, plan, size, input.autoApprove, input.approval);
    // health.updated counts writes made (or, for a dry run, that a real run would make).
    const summaryOf = (applied: boolean, healthUpdated: number, permissions = { added: 0, removed: 0 }): SyncSummary =>
      buildSummary({ tree, plan, probe, guard, healthUpdated, mirrorSizeBefore: size, applied, permissions });

    if (input.dryRun) return { kind: 'dry-run', plan, summary: summaryOf(false, healthUpdates.length) };
    const now = deps.clock();
    const run = { id: input.runId, integrationId: integration.id };
    if (guard.needsApproval) {
      const summary = summaryOf(false, 0);
      await finishRun(trx, run, { status: 'awaiting_approval', summary, error: null, plan, now });
      return { kind: 'awaiting', plan, summary };
    }
    if (isNoopApply(plan, healthUpdates)) {
      const summary = summaryOf(false, 0);
      await finishRun(trx, run, { status: 'succeeded', summary, error: null, plan: null, now });
      return { kind: 'noop', plan, summary };
    }
    const counts = await applyMirrorPlan(trx, {
      integration,
      snapshot: mirror.snapshot,
      plan,
      healthUpdates,
      newHealth: verdicts,
      now,
    });
    const summary = summaryOf(true, healthUpdates.length, { added: counts.permissionsAdded, removed: counts.permissionsRemoved });
    if ((integration.mirror_handle_prefix ?? null) !== (integration.handle_prefix ?? null)) {
      await trx.updateTable('integrations').set({ mirror_handle_prefix: integration.handle_prefix }).where('id', '=', integration.id).execute();
    }
    await trx
      .insertInto('audit_log')
      .values({
        tenant_id: integration.tenant_id,
        actor_user_id: input.actor?.userId ?? null,
        actor_token_id: input.actor?.tokenId ?? null,
        action: 'integration.sync',
        target_kind: 'integration',
        target_id: integration.id,
        before: null,
        after: JSON.stringify(auditAfter(input.runId, input.trigger, summary)),
        request_id: input.actor?.requestId ?? null,
        at: now,
      })
      .execute();
    await finishRun(trx, run, { status: 'succeeded', summary, error: null, plan: null, now });
    return { kind: 'applied', plan, summary };
  });
}

async function executeSync(deps: SyncDeps, request: SyncRequest, approval: Approval | null): Promise<SyncRunResult> {
  const db = deps.db;
  const integration = await loadIntegrationRow(db, request.tenantId, request.integrationId);
  const dryRun = request.dryRun === true;
  const autoApprove = request.autoApprove === true;
  const runId = request.runId ?? newSyncRunId();
  const started = deps.clock();
  const emit = (progress: Omit<SyncProgress, 'runId'>): SyncProgress => {
    const event = { runId, ...progress };
    request.onProgress?.(event);
    return event;
  };
  const phase = async (progress: Omit<SyncProgress, 'runId'>): Promise<void> => {
    const event = emit(progress);
    if (!dryRun) await recordProgress(db, runId, event);
  };
  if (!dryRun) {
    await startRun(db, {
      id: runId, tenantId: integration.tenant_id, integrationId: integration.id, trigger: request.trigger, autoApprove, approvesRunId: approval?.runId ?? null, now: started,
    });
  }
  try {
    const discovery = await discoverOrganization(deps.aws, integration, {
      onPhase: (name, message) => phase({ phase: name, message }),
      onWalk: (walk) => emit({ phase: 'walk', message: `Listed ${walk.listingsDone} of ${walk.listingsQueued} parents`, walk }),
      onProbe: (done, total) => emit({ phase: 'probe', message: `Checked ${done} of ${total} accounts`, probe: { done, total } }),
      mirroredAccountIds: async () => new Set((await readMirror(db, integration.id)).health.keys()),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    await phase({ phase: 'plan', message: 'Planning against the mirror' });
    request.signal?.throwIfAborted();
    const outcome = await reconcile(deps, db, {
      integrationId: integration.id, runId, trigger: request.trigger, dryRun, autoApprove, approval, discovery, actor: request.actor,
    });
    emit({ phase: 'apply', message: applyMessage(outcome.kind, outcome.summary) });
    if (dryRun) {
      const now = deps.clock().toISOString();
      return {
        run: {
          id: runId, tenantId: integration.tenant_id, integrationId: integration.id, trigger: request.trigger, status: 'succeeded', dryRun: true, autoApprove,
          approvesRunId: null, summary: outcome.summary, progress: null, error: null, createdAt: started.toISOString(), startedAt: started.toISOString(), finishedAt: now,
        },
        plan: outcome.plan,
      };
    }
    const row = await db.selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    return { run: syncRunView(row), plan: outcome.plan };
  } catch (error) {
    if (dryRun) throw error;
    const row = await finishRun(db, { id: runId, integrationId: integration.id }, { status: 'failed', summary: null, error: runError(error), plan: null, now: deps.clock() });
    return { run: syncRunView(row), plan: null };
  }
}

function applyMessage(kind: Outcome['kind'], summary: SyncSummary): string {
  switch (kind) {
    case 'dry-run':
      return 'Dry run: nothing was written';
    case 'noop':
      return 'The mirror already matches: nothing to write';
    case 'awaiting':
      return `Waiting for approval: ${summary.guard.reason}`;
    case 'applied':
      return `Applied ${Object.values(summary.counts).reduce((a, b) => a + b, 0)} change(s) and ${summary.health.updated} health update(s)`;
  }
}

/** Runs one sync of an integration; failures are recorded on the run (dry runs throw them instead). */
export function runIntegrationSync(deps: SyncDeps, request: SyncRequest): Promise<SyncRunResult> {
  return executeSync(deps, request, null);
}

/**
 * Approves a run awaiting approval: discovers again, re-plans against the current mirror and
 * applies when every removal was among those approved; otherwise the new plan waits in turn.
 */
export async function approveSyncRun(
  deps: SyncDeps,
  request: { tenantId: string; runId: string; actor?: Actor; onProgress?: (progress: SyncProgress) => void; signal?: AbortSignal },
): Promise<SyncRunResult> {
  const db = deps.db;
  const run = await loadRun(db, request.tenantId, request.runId);
  if (run.status !== 'awaiting_approval') {
    throw new ConflictError('sync_run_not_awaiting_approval', `Sync run '${run.id}' is ${run.status}, not awaiting approval`, {
      details: { status: run.status },
    });
  }
  const approved = run.plan as MirrorPlan | null;
  const removals = new Set(approved === null ? [] : removalKeys(approved));
  const result = await executeSync(
    deps,
    {
      tenantId: request.tenantId,
      integrationId: run.integration_id,
      trigger: 'approval',
      autoApprove: false,
      ...(request.actor === undefined ? {} : { actor: request.actor }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    },
    { runId: run.id, removals },
  );
  // The approved run is done with either way: applied by the new run, or replaced by its plan.
  if (result.run.status !== 'failed') {
    await db.updateTable('sync_runs').set({ status: 'superseded', finished_at: deps.clock() }).where('id', '=', run.id).where('status', '=', 'awaiting_approval').execute();
  }
  return result;
}
