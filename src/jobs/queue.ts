/**
 * orglink's job queue: pg-boss 10 in the `pgboss` schema of orglink's own database.
 * - Embedded (PGlite): in-process, through the store's connection lock (sql-executors.ts).
 * - PostgreSQL: a pool of its own; any number of processes on any number of machines
 *   share the queue.
 *
 * One queue, `integration-sync`, with pg-boss's `stately` policy and the integration id as
 * singleton key. pg-boss enforces it with a unique index on (queue, state, key) for the
 * states created, retry and active, so per integration there is at most ONE job running,
 * at most one waiting and at most one waiting for a retry. Duplicate requests for a waiting
 * integration collapse into the waiting job (send returns null). `singleton` would also
 * keep one job active per key, but lets any number wait, so ten "sync now" clicks would
 * run ten syncs back to back. docs/jobs.md has the whole story, limits included.
 */
import PgBoss from 'pg-boss';
import type { Store } from '../store/open-store.js';
import { JOB_DEFAULTS } from './job-defaults.js';
import { type SqlExecutor, pgliteExecutor, postgresExecutor } from './sql-executors.js';
import { withStartupLock } from './startup-lock.js';

/** The queue every sync job goes through. */
export const SYNC_QUEUE = 'integration-sync';
/** pg-boss's schema inside orglink's database. */
export const JOBS_SCHEMA = 'pgboss';

/** Logging the job code does (a pino logger fits). */
export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A logger that drops everything. */
export const silentJobLogger: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** How long sync jobs may run and how they are retried. */
export interface SyncJobPolicy {
  /** A job still active after this long is failed and retried: a dead worker's job comes back (default 900). */
  expireInSeconds: number;
  /** Retries after a failure or expiry (default 3). */
  retryLimit: number;
  /** Wait before a retry (default 30). */
  retryDelaySeconds: number;
}

export const DEFAULT_SYNC_JOB_POLICY: SyncJobPolicy = {
  expireInSeconds: JOB_DEFAULTS.expireSeconds,
  retryLimit: JOB_DEFAULTS.retryLimit,
  retryDelaySeconds: JOB_DEFAULTS.retryDelaySeconds,
};

export interface JobQueueOptions {
  /** Required with a PostgreSQL store: pg-boss opens its own pool on it. */
  databaseUrl?: string;
  /** Sync job timing; each job carries it, so the process that enqueues decides. */
  syncJobs?: Partial<SyncJobPolicy>;
  /** How often this process may run pg-boss maintenance, which expires jobs of dead workers (default 60). */
  maintenanceIntervalSeconds?: number;
  /** How often an idle worker looks for a job (default 2). */
  pollingIntervalSeconds?: number;
  /** Connections of the PostgreSQL pool (default 4). */
  poolSize?: number;
  logger?: JobLogger;
}

/** A started queue. `close()` stops pg-boss (letting running jobs finish) and waits for its last statements. */
export interface JobQueue {
  boss: PgBoss;
  /** The store the queue lives in (jobs read integrations and write sync_runs there). */
  store: Store;
  syncJobs: SyncJobPolicy;
  pollingIntervalSeconds: number;
  logger: JobLogger;
  /** Stops taking jobs, waits up to `timeoutMs` (default 30 s) for running ones, fails the rest for retry. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

function executorFor(store: Store, options: JobQueueOptions): SqlExecutor {
  if (store.dialect === 'pglite') {
    if (store.pglite === undefined) throw new Error('this PGlite store does not expose its connection lock (store.pglite)');
    return pgliteExecutor(store.pglite);
  }
  if (options.databaseUrl === undefined || options.databaseUrl === '') {
    throw new Error('createJobQueue needs databaseUrl with a PostgreSQL store');
  }
  return postgresExecutor(options.databaseUrl, options.poolSize === undefined ? {} : { max: options.poolSize });
}

/** Starts pg-boss on the store's database (creating or migrating its schema) and makes sure the sync queue exists. */
export async function createJobQueue(store: Store, options: JobQueueOptions = {}): Promise<JobQueue> {
  const logger = options.logger ?? silentJobLogger;
  const syncJobs = { ...DEFAULT_SYNC_JOB_POLICY, ...options.syncJobs };
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? JOB_DEFAULTS.pollSeconds;
  const executor = executorFor(store, options);
  const boss = new PgBoss({
    db: executor,
    schema: JOBS_SCHEMA,
    // orglink schedules its reconciles itself (reconcile-scheduler.ts): no cron tables polled.
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? JOB_DEFAULTS.maintenanceSeconds,
    pollingIntervalSeconds,
  });
  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  try {
    await withStartupLock(store.dialect === 'postgres' ? options.databaseUrl : undefined, async () => {
      await boss.start();
      await ensureSyncQueue(boss, syncJobs);
    });
  } catch (error) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await executor.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    boss,
    store,
    syncJobs,
    pollingIntervalSeconds,
    logger,
    close(closeOptions = {}) {
      closing ??= (async () => {
        await boss.stop({ graceful: true, wait: true, timeout: closeOptions.timeoutMs ?? JOB_DEFAULTS.shutdownTimeoutSeconds * 1000 });
        await executor.close();
      })();
      return closing;
    },
  };
}

/**
 * Creates the sync queue, or puts its policy back to `stately` if it was created otherwise:
 * the one-sync-per-integration guarantee rests on it. Timing is per job, not per queue.
 */
async function ensureSyncQueue(boss: PgBoss, policy: SyncJobPolicy): Promise<void> {
  const settings = {
    name: SYNC_QUEUE,
    policy: 'stately' as const,
    expireInSeconds: policy.expireInSeconds,
    retryLimit: policy.retryLimit,
    retryDelay: policy.retryDelaySeconds,
  };
  await boss.createQueue(SYNC_QUEUE, settings);
  const queue = await boss.getQueue(SYNC_QUEUE);
  if (queue?.policy !== 'stately') await boss.updateQueue(SYNC_QUEUE, settings);
}
