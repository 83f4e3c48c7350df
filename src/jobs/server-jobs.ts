/**
 * The jobs `orglink serve` runs in-process: the sync worker and the reconcile scheduler on
 * the server's own store. With the embedded database that is the only worker there is;
 * with PostgreSQL it is one worker among any number of `orglink worker` processes.
 */
import type { Config } from '../config/config.js';
import type { Store } from '../store/open-store.js';
import { type JobRuntime, startJobRuntime } from './job-runtime.js';
import type { JobLogger } from './queue.js';
import { syncDepsFromConfig } from './sync-deps.js';
import { syncRunnerFor } from './sync-worker.js';

export interface ServerJobsOptions {
  store: Store;
  config: Pick<Config, 'databaseUrl' | 'aws' | 'sync'>;
  /** Syncs the server runs at once (default 2). */
  concurrency?: number;
  logger?: JobLogger;
}

/** Starts the server's worker and scheduler; close() before closing the store. */
export function startServerJobs(options: ServerJobsOptions): Promise<JobRuntime> {
  const { store, config } = options;
  return startJobRuntime({
    store,
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    runSync: syncRunnerFor(syncDepsFromConfig(store, config)),
    concurrency: options.concurrency ?? 2,
    scheduler: { defaultIntervalSeconds: config.sync.intervalSeconds },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
