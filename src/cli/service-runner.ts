/**
 * What `serve` and `demo` share: configuration → database → admin bootstrap → listening API,
 * and the reverse on shutdown. The only CLI code that runs the server in-process.
 */
import { startServer } from '../api/app.js';
import type { ApiConfig } from '../api/route-context.js';
import { type ConfigInput } from '../config/config.js';
import { loadRuntimeConfig, type RuntimeConfig } from '../config/runtime-config.js';
import { bootstrapAdmin, type BootstrapResult } from '../services/bootstrap.js';
import { openStore, type Store } from '../store/open-store.js';
import { usageError } from './cli-error.js';

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
  const apiConfig = apiConfigOf(config);
  const store = await openStore(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  try {
    const bootstrap = await bootstrapAdmin({ db: store.db, ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }) });
    const { app } = await startServer({
      store,
      config: apiConfig,
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
      async close() {
        if (closed) return;
        closed = true;
        try {
          await app.close();
        } finally {
          await store.close();
        }
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The API's slice of the config. */
function apiConfigOf(config: RuntimeConfig['config']): ApiConfig {
  if (config.platformPrincipalArn === undefined) {
    throw usageError(
      'platform_principal_arn_required',
      "set ORGLINK_PLATFORM_PRINCIPAL_ARN (or platformPrincipalArn in the config file) to the platform's AWS principal that customer roles trust, e.g. arn:aws:iam::123456789012:role/orglink",
      'platformPrincipalArn',
    );
  }
  return { platformPrincipalArn: config.platformPrincipalArn };
}

function hostForUrl(host: string): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return reachable.includes(':') ? `[${reachable}]` : reachable;
}
