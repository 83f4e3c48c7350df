/**
 * Putting a sync on the queue. A job carries the tenant, the integration, what triggered
 * it and the id of its `sync_runs` row, created here as `queued` so the caller can follow
 * the run (progress, outcome) before any worker picked it up. The worker hands that run
 * id to runIntegrationSync, which moves the same row to running and then to its outcome,
 * also across retries.
 */
import { sql } from 'kysely';
import type { Actor } from '../services/context.js';
import { insertRun, newSyncRunId } from '../services/sync/sync-runs.js';
import type { SyncTrigger } from '../store/database.js';
import type { Db } from '../services/context.js';
import { JOBS_SCHEMA, type JobQueue, SYNC_QUEUE } from './queue.js';

/** The data of an `integration-sync` job. */
export interface SyncJobData {
  tenantId: string;
  integrationId: string;
  trigger: SyncTrigger;
  /** The sync_runs row this job executes. */
  runId: string;
  autoApprove?: boolean;
  /** Who asked (for the audit entry); absent for scheduled and event syncs. */
  actor?: Actor;
}

export interface EnqueueSyncRequest {
  tenantId: string;
  integrationId: string;
  trigger: SyncTrigger;
  /** Use this id for the run row instead of a new one. */
  runId?: string;
  /** The caller already inserted the `queued` row under `runId` (the API does). If the request joins a waiting job, that row is marked superseded. */
  runExists?: boolean;
  autoApprove?: boolean;
  actor?: Actor;
}

export interface EnqueuedSync {
  jobId: string;
  runId: string;
  /** True when the integration already had a waiting job: the request joined it, nothing new was queued. */
  joined: boolean;
}

/**
 * Jobs sent while their integration is syncing wait with this priority, below every other
 * job. pg-boss 10 fetches the oldest job first and a job whose key is active cannot start
 * (the stately index refuses it, and the whole fetch returns nothing): a low priority keeps
 * such a job from holding back the jobs of other integrations.
 */
export const FOLLOW_UP_PRIORITY = -1;

interface JobRow {
  id: string;
  data: SyncJobData;
}

/** The waiting (created or retry) job of an integration, if any. */
async function waitingJob(queue: JobQueue, integrationId: string): Promise<JobRow | undefined> {
  const { rows } = await sql<JobRow>`
    SELECT id, data FROM ${sql.table(`${JOBS_SCHEMA}.job`)}
    WHERE name = ${SYNC_QUEUE} AND singleton_key = ${integrationId} AND state IN ('created', 'retry')
    ORDER BY created_on LIMIT 1`.execute(queue.store.db);
  return rows[0];
}

/** Whether the integration has a job running right now. */
async function isSyncing(queue: JobQueue, integrationId: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    SELECT 1 AS one FROM ${sql.table(`${JOBS_SCHEMA}.job`)}
    WHERE name = ${SYNC_QUEUE} AND singleton_key = ${integrationId} AND state = 'active' LIMIT 1`.execute(queue.store.db);
  return rows.length > 0;
}

/**
 * Queues a sync of one integration and returns its job and run ids. When the integration
 * already has a job waiting, the request joins it (its ids come back, `joined: true`):
 * per integration at most one sync runs and at most one waits.
 */
export async function enqueueSync(queue: JobQueue, request: EnqueueSyncRequest): Promise<EnqueuedSync> {
  const db = queue.store.db;
  if (request.runExists === true && request.runId === undefined) throw new Error('enqueueSync: runExists needs runId');
  // Bounded: each round either queues, joins a waiting job, or lost a race with a worker that just took it.
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const existing = await waitingJob(queue, request.integrationId);
    if (existing !== undefined) {
      if (request.runExists === true && request.runId !== undefined) await supersede(db, request.runId, existing.data.runId);
      return { jobId: existing.id, runId: existing.data.runId, joined: true };
    }
    const runId = request.runId ?? newSyncRunId();
    if (request.runExists !== true) {
      await insertRun(db, {
        id: runId,
        tenantId: request.tenantId,
        integrationId: request.integrationId,
        trigger: request.trigger,
        status: 'queued',
        autoApprove: request.autoApprove === true,
        approvesRunId: null,
        now: new Date(),
      });
    }
    const data: SyncJobData = {
      tenantId: request.tenantId,
      integrationId: request.integrationId,
      trigger: request.trigger,
      runId,
      ...(request.autoApprove === true ? { autoApprove: true } : {}),
      ...(request.actor === undefined ? {} : { actor: request.actor }),
    };
    const priority = (await isSyncing(queue, request.integrationId)) ? FOLLOW_UP_PRIORITY : 0;
    const jobId = await queue.boss.send(SYNC_QUEUE, data, {
      singletonKey: request.integrationId,
      priority,
      expireInSeconds: queue.syncJobs.expireInSeconds,
      retryLimit: queue.syncJobs.retryLimit,
      retryDelay: queue.syncJobs.retryDelaySeconds,
    });
    if (jobId !== null) return { jobId, runId, joined: false };
    // Another request queued one between our look and our send: drop our run row and join theirs.
    if (request.runExists !== true) await db.deleteFrom('sync_runs').where('id', '=', runId).where('status', '=', 'queued').execute();
  }
  throw new Error(`could not queue a sync of integration ${request.integrationId}: the queue kept changing under us`);
}

/** Ends a caller's queued run that joined another waiting run: it will never run itself. */
async function supersede(db: Db, runId: string, waitingRunId: string): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({
      status: 'superseded',
      finished_at: new Date(),
      error: JSON.stringify({ code: 'sync_joined_waiting_run', message: `A sync of this integration was already waiting: run ${waitingRunId} does it`, details: { runId: waitingRunId } }),
    })
    .where('id', '=', runId)
    .where('status', '=', 'queued')
    .execute();
}
