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
import type { SyncDeps } from '../services/sync/sync-service.js';
import { type SyncRunner, syncRunnerFor } from './sync-worker.js';

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
    runSync: lazySyncRunner(() => syncDepsFromConfig(store, config)),
    concurrency: options.concurrency ?? 2,
    scheduler: { defaultIntervalSeconds: config.sync.intervalSeconds },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/**
 * Builds the sync dependencies on the first job, not at start-up: the AWS clients then see
 * the environment as it is when syncing begins (the demo points AWS_ENDPOINT_URL at its
 * sandbox only after the server is up), and a server that never syncs never builds them.
 */
function lazySyncRunner(build: () => SyncDeps): SyncRunner {
  let runner: SyncRunner | undefined;
  return (request) => {
    runner ??= syncRunnerFor(build());
    return runner(request);
  };
}
