/**
 * What `orglink worker` runs: configuration → PostgreSQL store → job runtime (queue, sync
 * worker, optional scheduler) with the real sync, logging JSON lines (pino) on stderr.
 */
import { hostname } from 'node:os';
import { destination, pino } from 'pino';
import { CONFIG_FILE_ENV_VAR, type ConfigInput, loadConfig } from '../../config/config.js';
import { readConfigFile } from '../../config/config-file.js';
import { loadRuntimeConfig } from '../../config/runtime-config.js';
import { jobRuntimeSettings, startJobRuntime } from '../../jobs/job-runtime.js';
import { syncDepsFromConfig } from '../../jobs/sync-deps.js';
import { syncRunnerFor } from '../../jobs/sync-worker.js';
import { openStore, redactUrl } from '../../store/open-store.js';
import { usageError } from '../cli-error.js';
import { integerFlag, type WorkerFlags } from './worker.js';
import { applyProcessMemorySettings } from '../process-memory.js';

/** A running worker process. */
export interface RunningWorker {
  concurrency: number;
  scheduler: boolean;
  /** Where it works, password redacted. */
  database: string;
  close(): Promise<void>;
}

/** Loads the configuration and starts the worker (and scheduler) on PostgreSQL. */
export async function startWorkerProcess(options: { env: Readonly<Record<string, string | undefined>>; flags: WorkerFlags }): Promise<RunningWorker> {
  const { flags } = options;
  const configFlags: ConfigInput = { jobs: jobFlags(flags) };
  if (flags.databaseUrl !== undefined) configFlags.databaseUrl = flags.databaseUrl;
  const configPath = flags.config ?? nonEmpty(options.env[CONFIG_FILE_ENV_VAR]);
  // Checked before loadRuntimeConfig, which would generate an embedded-mode secret key file.
  const preliminary = loadConfig({ env: options.env, file: configPath === undefined ? undefined : await readConfigFile(configPath), flags: configFlags });
  if (preliminary.databaseUrl === undefined) {
    throw usageError(
      'database_url_required',
      'orglink worker shares its jobs through PostgreSQL: set DATABASE_URL (or --database-url). With the embedded database, `orglink serve` runs the worker in-process.',
      'databaseUrl',
    );
  }
  const { config } = await loadRuntimeConfig({ env: options.env, flags: configFlags, ...(configPath === undefined ? {} : { configPath }) });
  if (config.databaseUrl === undefined) throw new Error('unreachable: databaseUrl was checked above');
  const logger = pino({ level: config.logLevel, base: { worker: `${hostname()}:${process.pid}` } }, destination({ dest: 2, sync: true }));
  applyProcessMemorySettings(config.runtime);
  const store = await openStore({ databaseUrl: config.databaseUrl });
  const { concurrency } = config.jobs;
  try {
    const jobs = await startJobRuntime({
      store,
      databaseUrl: config.databaseUrl,
      runSync: syncRunnerFor(syncDepsFromConfig(store, config)),
      ...jobRuntimeSettings(config.jobs, flags.scheduler === true ? { defaultIntervalSeconds: config.sync.intervalSeconds } : null),
      logger,
    });
    logger.info({ concurrency, scheduler: flags.scheduler === true }, 'worker started');
    let closing: Promise<void> | null = null;
    return {
      concurrency,
      scheduler: flags.scheduler === true,
      database: `PostgreSQL at ${redactUrl(config.databaseUrl)}`,
      close() {
        closing ??= (async () => {
          try {
            await jobs.close();
          } finally {
            await store.close();
            logger.info({}, 'worker stopped');
            logger.flush();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The job flags as config flags: they override the environment and the config file like
 * every flag. Here they are parsed, with a usage error naming the flag for what is not a
 * whole number of at least the flag's minimum; the config schema checks the full bounds.
 */
function jobFlags(flags: WorkerFlags): NonNullable<ConfigInput['jobs']> {
  return {
    concurrency: integerFlag(flags.concurrency, 'concurrency', 1),
    tickSeconds: integerFlag(flags.tickSeconds, 'tick-seconds', 1),
    expireSeconds: integerFlag(flags.jobExpireSeconds, 'job-expire-seconds', 1),
    retryDelaySeconds: integerFlag(flags.jobRetryDelaySeconds, 'job-retry-delay-seconds', 0),
    retryLimit: integerFlag(flags.jobRetryLimit, 'job-retry-limit', 0),
    maintenanceSeconds: integerFlag(flags.maintenanceSeconds, 'maintenance-seconds', 1),
    pollSeconds: integerFlag(flags.pollSeconds, 'poll-seconds', 1),
    shutdownTimeoutSeconds: integerFlag(flags.shutdownTimeoutSeconds, 'shutdown-timeout-seconds', 1),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
