/**
 * Run bookkeeping in `sync_runs`: creating a run, moving it through its statuses, and
 * reading runs back in their public shape. Separate from the mirror on purpose.
 */
import { NotFoundError } from '../../core/errors.js';
import { LOWER_ALPHANUMERIC, randomString } from '../../core/random-string.js';
import type { MirrorPlan } from '../../core/mirror/mirror-plan.js';
import type { SyncRunRow, SyncRunStatus, SyncTrigger } from '../../store/database.js';
import type { Db } from '../context.js';
import type { SyncProgress, SyncRunError, SyncRunView, SyncSummary } from './sync-types.js';

/** A fresh run id: `sr_` and 12 lowercase alphanumerics, like every orglink id. */
export function newSyncRunId(): string {
  return `sr_${randomString(12, LOWER_ALPHANUMERIC)}`;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** Maps a run row to its public shape (the stored plan is not part of it). */
export function syncRunView(row: SyncRunRow): SyncRunView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    integrationId: row.integration_id,
    trigger: row.trigger,
    status: row.status,
    dryRun: row.dry_run,
    autoApprove: row.auto_approve,
    approvesRunId: row.approves_run_id,
    summary: row.summary as SyncSummary | null,
    progress: row.progress as SyncProgress | null,
    error: row.error as SyncRunError | null,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

export interface NewRun {
  id: string;
  tenantId: string;
  integrationId: string;
  trigger: SyncTrigger;
  status: Extract<SyncRunStatus, 'queued' | 'running'>;
  autoApprove: boolean;
  approvesRunId: string | null;
  now: Date;
}

/** Inserts a run row (queued for a job, running for a direct call). */
export async function insertRun(db: Db, run: NewRun): Promise<SyncRunRow> {
  return db
    .insertInto('sync_runs')
    .values({
      id: run.id,
      tenant_id: run.tenantId,
      integration_id: run.integrationId,
      trigger: run.trigger,
      status: run.status,
      dry_run: false,
      auto_approve: run.autoApprove,
      approves_run_id: run.approvesRunId,
      created_at: run.now,
      started_at: run.status === 'running' ? run.now : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Marks an existing queued run as running (a worker picked it up), or inserts it when absent. */
export async function startRun(db: Db, run: Omit<NewRun, 'status'>): Promise<SyncRunRow> {
  const updated = await db
    .updateTable('sync_runs')
    .set({ status: 'running', started_at: run.now, error: null })
    .where('id', '=', run.id)
    .where('integration_id', '=', run.integrationId)
    .returningAll()
    .executeTakeFirst();
  return updated ?? insertRun(db, { ...run, status: 'running' });
}

/** Stores the latest progress event (phase boundaries only: not a write per listing). */
export async function recordProgress(db: Db, runId: string, progress: SyncProgress): Promise<void> {
  await db.updateTable('sync_runs').set({ progress: JSON.stringify(progress) }).where('id', '=', runId).execute();
}

export interface RunOutcome {
  status: Extract<SyncRunStatus, 'succeeded' | 'failed' | 'awaiting_approval'>;
  summary: SyncSummary | null;
  error: SyncRunError | null;
  /** Kept only for runs awaiting approval: the plan a person approves. */
  plan: MirrorPlan | null;
  now: Date;
}

/** Ends a run: its row, the integration's last-sync columns, and older awaiting runs superseded. */
export async function finishRun(db: Db, run: { id: string; integrationId: string }, outcome: RunOutcome): Promise<SyncRunRow> {
  const row = await db
    .updateTable('sync_runs')
    .set({
      status: outcome.status,
      summary: outcome.summary === null ? null : JSON.stringify(outcome.summary),
      error: outcome.error === null ? null : JSON.stringify(outcome.error),
      plan: outcome.plan === null ? null : JSON.stringify(outcome.plan),
      finished_at: outcome.now,
    })
    .where('id', '=', run.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (outcome.status !== 'failed') {
    // A newer plan replaces any plan still waiting for approval: approving a stale plan would be wrong.
    await db
      .updateTable('sync_runs')
      .set({ status: 'superseded', finished_at: outcome.now })
      .where('integration_id', '=', run.integrationId)
      .where('status', '=', 'awaiting_approval')
      .where('id', '<>', run.id)
      .execute();
  }
  await db
    .updateTable('integrations')
    .set({ last_synced_at: outcome.now, last_sync_status: outcome.status })
    .where('id', '=', run.integrationId)
    .execute();
  return row;
}

/** One run of the tenant, or 404. */
export async function loadRun(db: Db, tenantId: string, runId: string): Promise<SyncRunRow> {
  const row = await db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', runId).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('sync_run_not_found', `Sync run '${runId}' not found`);
  return row;
}

/** The integration's runs, newest first. */
export async function listRuns(db: Db, integrationId: string, limit = 50): Promise<SyncRunView[]> {
  const rows = await db
    .selectFrom('sync_runs')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(syncRunView);
}
