/**
 * The sync worker: takes `integration-sync` jobs and runs them. `concurrency` polling
 * loops each hold at most one job, so one process runs that many syncs at once — never
 * two of one integration, which the queue's stately policy rules out across processes.
 *
 * What a job's outcome means:
 * - the sync ran (whatever its run status: succeeded, failed, awaiting approval): the job
 *   completes. A failed run is already recorded on its run row and the next scheduled
 *   reconcile tries again; retrying at once would repeat the same refusal.
 * - the integration is gone: the job completes, nothing to do.
 * - a sync still running at 90 % of the job's expiry is aborted (its run is recorded as
 *   failed), so it has ended before pg-boss would hand the job to another worker.
 * - the worker threw (database down...) or died: pg-boss fails the job (a dead worker's
 *   job once it expires) and retries it after the retry delay, on whichever worker
 *   fetches it first; the retry continues the same run row.
 */
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import { isDomainError } from '../core/errors.js';
import { type SyncDeps, runIntegrationSync } from '../services/sync/sync-service.js';
import type { SyncRunStatus } from '../store/database.js';
import { JOB_DEFAULTS } from './job-defaults.js';
import { type JobQueue, SYNC_QUEUE } from './queue.js';
import type { SyncJobData } from './sync-jobs.js';

/** What the worker asks of a sync: runIntegrationSync's request, as a job carries it. */
export interface SyncJobRequest extends SyncJobData {
  /** Aborted shortly before the job expires, and when the worker is told to stop for good. */
  signal: AbortSignal;
}

/** Runs one sync; the worker only reads the outcome's run id and status. */
export type SyncRunner = (request: SyncJobRequest) => Promise<{ run: { id: string; status: SyncRunStatus } }>;

/** The real thing: runIntegrationSync with the process's sync dependencies. */
export function syncRunnerFor(deps: SyncDeps): SyncRunner {
  return (request) => runIntegrationSync(deps, request);
}

export interface StartSyncWorkerOptions {
  queue: JobQueue;
  runSync: SyncRunner;
  /** Syncs this process runs at once (default 2). */
  concurrency?: number;
  /** Names this worker in logs and in each job's output (default host:pid). */
  name?: string;
}

/** A running worker. `stop()` stops fetching; the queue's close() waits for the syncs in hand. */
export interface SyncWorker {
  readonly concurrency: number;
  /** Jobs running in this process now. */
  active(): number;
  /** Wakes the idle loops to fetch now (after a local enqueue) instead of at their next poll. */
  notify(): void;
  /** Aborts the syncs running in this process (shutdown past its grace period). */
  abort(reason: string): void;
  stop(): Promise<void>;
}

/** Share of the expiry after which a running sync is aborted, so it ends before pg-boss gives its job to another worker. */
const ABORT_AT_SHARE_OF_EXPIRY = 0.9;

/** The job's sync, settled into what pg-boss records as the job's output. */
async function runJob(options: StartSyncWorkerOptions & { name: string }, job: PgBoss.Job<SyncJobData>, controller: AbortController): Promise<object> {
  const { queue, runSync, name: worker } = options;
  const data = job.data;
  const expireSeconds = Number(job.expireInSeconds);
  const timer = setTimeout(
    () => controller.abort(new DOMException(`the sync ran into its job expiry (${expireSeconds} s)`, 'AbortError')),
    Math.max(1, expireSeconds * ABORT_AT_SHARE_OF_EXPIRY) * 1000,
  );
  const fields = { jobId: job.id, tenantId: data.tenantId, integrationId: data.integrationId, runId: data.runId, trigger: data.trigger };
  queue.logger.info(fields, 'sync job started');
  try {
    const result = await runSync({
      tenantId: data.tenantId,
      integrationId: data.integrationId,
      trigger: data.trigger,
      runId: data.runId,
      ...(data.autoApprove === true ? { autoApprove: true } : {}),
      ...(data.actor === undefined ? {} : { actor: data.actor }),
      signal: controller.signal,
    });
    queue.logger.info({ ...fields, status: result.run.status }, 'sync job finished');
    return { runId: result.run.id, status: result.run.status, worker };
  } catch (error) {
    if (isDomainError(error) && error.code === 'integration_not_found') {
      queue.logger.warn(fields, 'sync job skipped: the integration no longer exists');
      return { runId: data.runId, status: 'skipped', reason: error.code, worker };
    }
    queue.logger.error({ ...fields, err: error }, 'sync job failed; pg-boss retries it');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `concurrency` loops taking sync jobs from the queue. */
export async function startSyncWorker(options: StartSyncWorkerOptions): Promise<SyncWorker> {
  const concurrency = options.concurrency ?? JOB_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  const { boss } = options.queue;
  const named = { ...options, name: options.name ?? `${hostname()}:${process.pid}` };
  const controllers = new Set<AbortController>();
  const ids: string[] = [];
  for (let loop = 0; loop < concurrency; loop += 1) {
    ids.push(
      await boss.work<SyncJobData>(
        SYNC_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: options.queue.pollingIntervalSeconds },
        async ([job]) => {
          if (job === undefined) return {};
          const controller = new AbortController();
          controllers.add(controller);
          try {
            return await runJob(named, job, controller);
          } finally {
            controllers.delete(controller);
          }
        },
      ),
    );
  }
  let stopped = false;
  return {
    concurrency,
    active: () => controllers.size,
    notify() {
      if (stopped) return;
      for (const id of ids) boss.notifyWorker(id);
    },
    abort(reason) {
      for (const controller of controllers) controller.abort(new DOMException(reason, 'AbortError'));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(ids.map((id) => boss.offWork({ id })));
    },
  };
}
