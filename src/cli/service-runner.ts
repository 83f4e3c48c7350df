/**
 * What `serve` and `demo` share: configuration → database → admin bootstrap → listening API,
 * and the reverse on shutdown. The only CLI code that runs the server in-process.
 */
import { startServer } from '../api/app.js';
import { type ConfigInput } from '../config/config.js';
import { loadRuntimeConfig, type RuntimeConfig } from '../config/runtime-config.js';
import { bootstrapAdmin, type BootstrapResult } from '../services/bootstrap.js';
import { openStore, type Store } from '../store/open-store.js';
import { pino } from 'pino';
import { jobRuntimeSettings, startJobRuntime, type JobRuntime } from '../jobs/job-runtime.js';
import { queueEnqueueSync } from '../jobs/api-enqueuer.js';
import { syncRunnerFor } from '../jobs/sync-worker.js';
import { syncDepsFromConfig } from '../jobs/sync-deps.js';
import { createSecretBox } from '../store/secret-box.js';
import { applyProcessMemorySettings } from './process-memory.js';

/** `serve` flags that override the environment and the config file. */
export interface ServeFlags {
  dataDir?: string;
  databaseUrl?: string;
  host?: string;
  port?: string;
  config?: string;
}

/** A running orglink server. */
export interface RunningService {
  url: string;
  runtime: RuntimeConfig;
  store: Store;
  bootstrap: BootstrapResult;
  /** The in-process sync worker, reconcile scheduler and queue. */
  jobs: JobRuntime;
  /** Stops listening, then closes the database (releasing the data-dir lock). */
  close(): Promise<void>;
}

/** Loads the configuration and starts the API on it. */
export async function startService(options: {
  env: Readonly<Record<string, string | undefined>>;
  flags: ServeFlags;
  logLevel?: string;
}): Promise<RunningService> {
  const flags: ConfigInput = {};
  if (options.flags.dataDir !== undefined) flags.dataDir = options.flags.dataDir;
  if (options.flags.databaseUrl !== undefined) flags.databaseUrl = options.flags.databaseUrl;
  if (options.flags.host !== undefined) flags.host = options.flags.host;
  if (options.flags.port !== undefined) flags.port = options.flags.port;
  const runtime = await loadRuntimeConfig({
    env: options.env,
    flags,
    ...(options.flags.config === undefined ? {} : { configPath: options.flags.config }),
  });
  const { config } = runtime;
  applyProcessMemorySettings(config.runtime);
  const store = await openStore(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir, embedded: config.embedded });
  let jobs: JobRuntime | undefined;
  try {
    const bootstrap = await bootstrapAdmin({ db: store.db, ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }) });
    const logger = pino({ level: options.logLevel ?? config.logLevel }, process.stderr);
    // One set of sync dependencies for the process: API syncs, events and the worker share the
    // platform credential cache and each integration's Organizations rate limiter.
    const syncDeps = syncDepsFromConfig(store, config);
    const runningJobs = await startJobRuntime({
      store,
      ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
      runSync: syncRunnerFor(syncDeps),
      // serve always schedules; its timings are the config's `jobs` section, as a worker's are.
      ...jobRuntimeSettings(config.jobs, { defaultIntervalSeconds: config.sync.intervalSeconds }),
      logger: logger.child({ component: 'jobs' }),
    });
    jobs = runningJobs;
    const secretBox = createSecretBox(config.secretKey);
    const { app } = await startServer({
      store,
      config: {
        ...(config.platformPrincipalArn === undefined ? {} : { platformPrincipalArn: config.platformPrincipalArn }),
        templateEvents: { secretBox, publicUrl: config.publicUrl },
      },
      sync: { aws: syncDeps.aws, guard: syncDeps.guard, enqueueSync: queueEnqueueSync(runningJobs) },
      events: {
        secretBox,
        publicUrl: config.publicUrl,
        aws: syncDeps.aws,
        guard: syncDeps.guard,
        requestFullSync: ({ tenantId, integrationId }) =>
          runningJobs.enqueueSync({ tenantId, integrationId, trigger: 'event' }).then(() => undefined),
      },
      host: config.host,
      port: config.port,
      logger: { level: options.logLevel ?? config.logLevel, stream: process.stderr },
    });
    const address = app.server.address();
    const port = address !== null && typeof address === 'object' ? address.port : config.port;
    const url = config.port === 0 ? `http://${hostForUrl(config.host)}:${port}` : config.publicUrl;
    let closed = false;
    return {
      url,
      runtime,
      store,
      bootstrap,
      jobs: runningJobs,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await app.close();
        } finally {
          try {
            await runningJobs.close();
          } finally {
            await store.close();
          }
        }
      },
    };
  } catch (error) {
    await jobs?.close({ timeoutMs: 1000 });
    await store.close();
    throw error;
  }
}

function hostForUrl(host: string): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return reachable.includes(':') ? `[${reachable}]` : reachable;
}
