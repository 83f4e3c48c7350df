/**
 * Queue + sync worker + (optionally) reconcile scheduler, started and stopped together:
 * what `orglink worker` runs against PostgreSQL and what `serve` runs in-process on
 * either backend. Stopping is graceful: the scheduler stops, the worker takes no new job,
 * the syncs in hand finish (up to a timeout, after which pg-boss fails them for retry),
 * and only then is the queue's database access released.
 */
import type { Config } from '../config/config.js';
import type { Store } from '../store/open-store.js';
import { JOB_DEFAULTS } from './job-defaults.js';
import { type JobLogger, type JobQueue, type JobQueueOptions, createJobQueue, silentJobLogger } from './queue.js';
import { type ReconcileScheduler, startReconcileScheduler } from './reconcile-scheduler.js';
import { type EnqueueSyncRequest, type EnqueuedSync, enqueueSync } from './sync-jobs.js';
import { type SyncRunner, type SyncWorker, startSyncWorker } from './sync-worker.js';

export interface JobRuntimeOptions {
  store: Store;
  /** Required with a PostgreSQL store (pg-boss's own pool). */
  databaseUrl?: string;
  runSync: SyncRunner;
  /** Syncs run at once in this process (default JOB_DEFAULTS); 0 runs no worker (enqueue and schedule only). */
  concurrency?: number;
  /** Run the reconcile scheduler too; null or absent: no scheduler in this process. */
  scheduler?: { defaultIntervalSeconds: number; tickSeconds?: number; clock?: () => Date } | null;
  queue?: Omit<JobQueueOptions, 'databaseUrl' | 'logger'>;
  /** How long `close()` waits for running syncs unless told otherwise (default JOB_DEFAULTS). */
  shutdownTimeoutSeconds?: number;
  logger?: JobLogger;
}

/** The job settings of the configuration (`jobs.*`). */
export type JobSettings = Config['jobs'];

/**
 * startJobRuntime's options for the configured job settings: what `serve` and `orglink worker`
 * share. `scheduler` is the process's choice (serve always, a worker with `--scheduler`).
 */
export function jobRuntimeSettings(
  jobs: JobSettings,
  scheduler: { defaultIntervalSeconds: number } | null,
): Pick<JobRuntimeOptions, 'concurrency' | 'scheduler' | 'queue' | 'shutdownTimeoutSeconds'> {
  return {
    concurrency: jobs.concurrency,
    scheduler: scheduler === null ? null : { ...scheduler, tickSeconds: jobs.tickSeconds },
    queue: {
      syncJobs: { expireInSeconds: jobs.expireSeconds, retryDelaySeconds: jobs.retryDelaySeconds, retryLimit: jobs.retryLimit },
      maintenanceIntervalSeconds: jobs.maintenanceSeconds,
      pollingIntervalSeconds: jobs.pollSeconds,
    },
    shutdownTimeoutSeconds: jobs.shutdownTimeoutSeconds,
  };
}

/** A running job runtime. */
export interface JobRuntime {
  queue: JobQueue;
  worker: SyncWorker | null;
  scheduler: ReconcileScheduler | null;
  /** Queues a sync and wakes this process's worker (the API's "sync now"). */
  enqueueSync(request: EnqueueSyncRequest): Promise<EnqueuedSync>;
  /** Graceful stop; `timeoutMs` bounds the wait for running syncs (default: the runtime's shutdownTimeoutSeconds). */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Starts the queue, then the worker and the scheduler as asked. */
export async function startJobRuntime(options: JobRuntimeOptions): Promise<JobRuntime> {
  const logger = options.logger ?? silentJobLogger;
  const queue = await createJobQueue(options.store, {
    ...options.queue,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    logger,
  });
  let worker: SyncWorker | null = null;
  let scheduler: ReconcileScheduler | null = null;
  try {
    const concurrency = options.concurrency ?? JOB_DEFAULTS.concurrency;
    if (concurrency > 0) worker = await startSyncWorker({ queue, runSync: options.runSync, concurrency });
    if (options.scheduler != null) {
      scheduler = startReconcileScheduler({
        queue,
        defaultIntervalSeconds: options.scheduler.defaultIntervalSeconds,
        ...(options.scheduler.tickSeconds === undefined ? {} : { tickSeconds: options.scheduler.tickSeconds }),
        ...(options.scheduler.clock === undefined ? {} : { clock: options.scheduler.clock }),
      });
    }
  } catch (error) {
    await queue.close({ timeoutMs: 1000 });
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    queue,
    worker,
    scheduler,
    async enqueueSync(request) {
      const enqueued = await enqueueSync(queue, request);
      worker?.notify();
      return enqueued;
    },
    close(closeOptions = {}) {
      closing ??= (async () => {
        const timeoutMs = closeOptions.timeoutMs ?? (options.shutdownTimeoutSeconds ?? JOB_DEFAULTS.shutdownTimeoutSeconds) * 1000;
        await scheduler?.stop();
        await worker?.stop();
        // Past the grace period pg-boss fails the jobs in hand for retry; stop their syncs too.
        const abortTimer = setTimeout(() => worker?.abort('the worker is shutting down'), timeoutMs);
        try {
          await queue.close({ timeoutMs });
        } finally {
          clearTimeout(abortTimer);
        }
      })();
      return closing;
    },
  };
}
