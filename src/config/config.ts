/**
 * orglink's configuration: one zod schema, validated once at start-up. Values come from
 * three sources, merged field by field, later wins:
 *   1. environment variables (CONFIG_ENV_VARS below; empty strings count as unset),
 *   2. the config file (YAML or JSON; `--config` or ORGLINK_CONFIG),
 *   3. command-line flags.
 * Then defaults fill what is still missing. `loadConfig` is pure: it reads no files and
 * no process state, so tests pass every input explicitly.
 */
import { z } from 'zod';
import { ConflictError, DomainError } from '../core/errors.js';
import { JOB_DEFAULTS } from '../jobs/job-defaults.js';
import { decodeSecretKey } from '../store/secret-box.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:(root|(role|user)\/([\x21-\x7e]+\/)*[\w+=,.@-]{1,64})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ADMIN_TOKEN = /^olk_[a-z0-9]{12}_[A-Za-z0-9]{32}$/;

/** Accepts integers written as numbers or as decimal strings (environment variables). */
function integer(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value),
    z.number({ error: `must be an integer between ${min} and ${max}` }).int(`must be an integer between ${min} and ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );
}

/** Accepts numbers written as numbers or decimal strings. */
function decimal(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : value),
    z.number({ error: `must be a number between ${min} and ${max}` }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );
}

/** Accepts true/false written as booleans or as the strings true, false, 1, 0 (environment variables). */
function flag() {
  return z.preprocess(
    (value) => (typeof value === 'string' ? ({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[value.trim().toLowerCase()] ?? value : value),
    z.boolean({ error: 'must be true or false' }),
  );
}

const secretKey = z.string().refine(
  (value) => {
    try {
      decodeSecretKey(value);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)' },
);

/** The configuration schema. Every field says what it is for in `.describe()`. */
export const configSchema = z
  .strictObject({
    dataDir: z
      .string()
      .min(1)
      .default('./.orglink')
      .describe('Directory of the embedded database (PGlite, in <dataDir>/pgdata) and of the generated secret.key. Unused for the database when databaseUrl is set.'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
      .optional()
      .describe('PostgreSQL server URL. When set, orglink uses that server instead of the embedded database.'),
    host: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server listens on.'),
    port: integer(0, 65_535).default(7480).describe('Port the HTTP server listens on (0 picks a free port).'),
    publicUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional()
      .describe('URL where users and the CLI reach this server. Defaults to http://<host>:<port>.'),
    adminToken: z
      .string()
      .regex(ADMIN_TOKEN, { error: 'must look like olk_<12 lowercase letters or digits>_<32 letters or digits>' })
      .optional()
      .describe('Bootstrap admin API token. When unset, one is generated on first start and printed once.'),
    secretKey: secretKey
      .optional()
      .describe('Key (base64, 32 bytes) that encrypts stored secrets. Required with databaseUrl; in embedded mode generated into <dataDir>/secret.key when unset.'),
    platformPrincipalArn: z
      .string()
      .regex(PRINCIPAL_ARN, { error: 'must be an IAM ARN of an account root, role or user, e.g. arn:aws:iam::123456789012:role/orglink' })
      .optional()
      .describe("The platform's AWS principal that customers' roles trust. Required to render onboarding templates."),
    aws: z
      .strictObject({
        region: z
          .string()
          .regex(REGION, { error: 'must be an AWS region code such as us-east-1' })
          .default('us-east-1')
          .describe('Region for AWS API calls that need one (STS, Organizations).'),
      })
      .prefault({})
      .describe('AWS SDK settings. Endpoint overrides come from AWS_ENDPOINT_URL(_<SERVICE>), read by the SDK itself.'),
    sync: z
      .strictObject({
        intervalSeconds: integer(0, 7 * 24 * 3600)
          .default(3600)
          .describe('Seconds between scheduled discovery runs of each integration; 0 turns scheduled runs off.'),
        deleteGuardShare: decimal(0, 1)
          .default(0.25)
          .describe('A discovery run that would delete more than this share of an integration\'s connections stops for confirmation.'),
        deleteGuardMax: integer(0, 1_000_000)
          .default(50)
          .describe('A discovery run that would delete more than this many connections stops for confirmation.'),
      })
      .prefault({})
      .describe('Discovery schedule and the guard against mass deletion.'),
    embedded: z
      .strictObject({
        sharedBuffersMb: integer(1, 4096)
          .default(16)
          .describe("PostgreSQL's shared_buffers for the embedded database, in MB. PGlite serves one session from the OS page cache, so far less than a server's 128 MB is enough."),
        optimizingCompiler: flag()
          .default(false)
          .describe("Let V8 optimize PGlite's WebAssembly (TurboFan): about 70-100 MB more memory; by default PGlite runs on baseline-compiled code."),
      })
      .prefault({})
      .describe('Memory settings of the embedded database (PGlite). Unused when databaseUrl is set.'),
    runtime: z
      .strictObject({
        optimizeForSize: flag()
          .default(true)
          .describe("V8's --optimize-for-size for serve, worker and demo: the heap is collected sooner, for far less memory at a small CPU cost."),
      })
      .prefault({})
      .describe('Settings of the Node.js process that runs orglink.'),
    jobs: z
      .strictObject({
        concurrency: integer(1, 64)
          .default(JOB_DEFAULTS.concurrency)
          .describe('Syncs each process (serve, each worker) runs at once.'),
        tickSeconds: integer(1, 86_400)
          .default(JOB_DEFAULTS.tickSeconds)
          .describe('Seconds between reconcile-scheduler ticks (each looks for integrations due a scheduled sync).'),
        expireSeconds: integer(1, 86_399)
          .default(JOB_DEFAULTS.expireSeconds)
          .describe('A sync job still running after this many seconds counts as dead and is retried; must exceed the longest sync (pg-boss allows under 24 hours).'),
        retryDelaySeconds: integer(0, 86_400)
          .default(JOB_DEFAULTS.retryDelaySeconds)
          .describe('Seconds to wait before retrying a failed or expired sync job.'),
        retryLimit: integer(0, 100)
          .default(JOB_DEFAULTS.retryLimit)
          .describe('Retries of a failed or expired sync job.'),
        maintenanceSeconds: integer(1, 86_399)
          .default(JOB_DEFAULTS.maintenanceSeconds)
          .describe('How often a process may run queue maintenance, which expires the jobs of dead workers.'),
        pollSeconds: integer(1, 3_600)
          .default(JOB_DEFAULTS.pollSeconds)
          .describe('How often an idle worker looks for a job.'),
        shutdownTimeoutSeconds: integer(1, 3_600)
          .default(JOB_DEFAULTS.shutdownTimeoutSeconds)
          .describe('On SIGINT/SIGTERM, seconds the running syncs get to finish before they are aborted and retried elsewhere.'),
      })
      .prefault({})
      .describe('Job queue timings of serve and orglink worker. Expiry and retries travel with each job: give every process the same values.'),
    logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info').describe('Log verbosity.'),
  })
  .superRefine((config, ctx) => {
    if (config.databaseUrl !== undefined && config.secretKey === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretKey'],
        message: 'is required when DATABASE_URL is set (several servers must share one key): set ORGLINK_SECRET_KEY to the output of `openssl rand -base64 32`',
      });
    }
  })
  .transform((config) => ({ ...config, publicUrl: config.publicUrl ?? defaultPublicUrl(config.host, config.port) }));

/** The validated configuration. `secretKey` may still be unset in embedded mode (see secret-key-file.ts). */
export type Config = z.output<typeof configSchema>;
/** What each source may provide: the schema's input, every field optional. */
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variable → config field (dotted path). The first variable set wins for a field. */
export const CONFIG_ENV_VARS: ReadonlyArray<readonly [string, string]> = [
  ['ORGLINK_DATA_DIR', 'dataDir'],
  ['DATABASE_URL', 'databaseUrl'],
  ['ORGLINK_HOST', 'host'],
  ['ORGLINK_PORT', 'port'],
  ['ORGLINK_PUBLIC_URL', 'publicUrl'],
  ['ORGLINK_ADMIN_TOKEN', 'adminToken'],
  ['ORGLINK_SECRET_KEY', 'secretKey'],
  ['ORGLINK_PLATFORM_PRINCIPAL_ARN', 'platformPrincipalArn'],
  ['AWS_REGION', 'aws.region'],
  ['AWS_DEFAULT_REGION', 'aws.region'],
  ['ORGLINK_SYNC_INTERVAL_SECONDS', 'sync.intervalSeconds'],
  ['ORGLINK_SYNC_DELETE_GUARD_SHARE', 'sync.deleteGuardShare'],
  ['ORGLINK_SYNC_DELETE_GUARD_MAX', 'sync.deleteGuardMax'],
  ['ORGLINK_EMBEDDED_SHARED_BUFFERS_MB', 'embedded.sharedBuffersMb'],
  ['ORGLINK_EMBEDDED_OPTIMIZING_COMPILER', 'embedded.optimizingCompiler'],
  ['ORGLINK_RUNTIME_OPTIMIZE_FOR_SIZE', 'runtime.optimizeForSize'],
  ['ORGLINK_JOBS_CONCURRENCY', 'jobs.concurrency'],
  ['ORGLINK_JOBS_TICK_SECONDS', 'jobs.tickSeconds'],
  ['ORGLINK_JOBS_EXPIRE_SECONDS', 'jobs.expireSeconds'],
  ['ORGLINK_JOBS_RETRY_DELAY_SECONDS', 'jobs.retryDelaySeconds'],
  ['ORGLINK_JOBS_RETRY_LIMIT', 'jobs.retryLimit'],
  ['ORGLINK_JOBS_MAINTENANCE_SECONDS', 'jobs.maintenanceSeconds'],
  ['ORGLINK_JOBS_POLL_SECONDS', 'jobs.pollSeconds'],
  ['ORGLINK_JOBS_SHUTDOWN_TIMEOUT_SECONDS', 'jobs.shutdownTimeoutSeconds'],
  ['ORGLINK_LOG_LEVEL', 'logLevel'],
];

/** Names the config file: `--config` wins over this variable. */
export const CONFIG_FILE_ENV_VAR = 'ORGLINK_CONFIG';

/** One refused field. */
export interface ConfigIssue {
  field: string;
  reason: string;
}

/** Invalid configuration: lists every bad field and why, so one fix round is enough. */
export class ConfigError extends DomainError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.field}: ${issue.reason}`);
    super('invalid_input', 'config_invalid', `invalid configuration:\n${lines.join('\n')}`, {
      ...(issues.length === 1 && issues[0] !== undefined ? { field: issues[0].field } : {}),
      details: { issues },
    });
    this.issues = issues;
  }
}

export interface LoadConfigInput {
  /** Usually process.env. */
  env: Readonly<Record<string, string | undefined>>;
  /** The parsed config file (see readConfigFile), if any. */
  file?: unknown;
  /** Values from command-line flags; undefined entries are ignored. */
  flags?: ConfigInput;
}

/** Merges env → file → flags, validates, and fills defaults; throws ConfigError listing every problem. */
export function loadConfig({ env, file, flags }: LoadConfigInput): Config {
  const issues: ConfigIssue[] = [];
  if (file !== undefined && (file === null || typeof file !== 'object' || Array.isArray(file))) {
    throw new ConfigError([{ field: '(config file)', reason: 'must be a mapping of field names to values' }]);
  }
  const merged = mergeDeep(mergeDeep(fromEnv(env), (file ?? {}) as Record<string, unknown>), (flags ?? {}) as Record<string, unknown>);
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || '(config)';
    const source = sourceOf(field, { env, file, flags });
    const reason = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    issues.push({ field: source === undefined ? field : `${field} (${source})`, reason });
  }
  throw new ConfigError(issues);
}

/** Where a refused field's value came from, in precedence order, so the user fixes the right place. */
function sourceOf(field: string, sources: LoadConfigInput): string | undefined {
  if (valueAt(sources.flags, field) !== undefined) return 'command-line flag';
  if (valueAt(sources.file, field) !== undefined) return 'config file';
  return envVarFor(field, sources.env);
}

function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** The platform principal, or a refusal naming the variable to set (templates need it). */
export function requirePlatformPrincipalArn(config: Pick<Config, 'platformPrincipalArn'>): string {
  if (config.platformPrincipalArn === undefined) {
    throw new ConflictError(
      'platform_principal_arn_not_configured',
      "onboarding templates need the platform's AWS principal that customer roles trust: " +
        'set ORGLINK_PLATFORM_PRINCIPAL_ARN (e.g. arn:aws:iam::123456789012:role/orglink) and restart',
    );
  }
  return config.platformPrincipalArn;
}

function fromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const taken = new Set<string>();
  for (const [variable, path] of CONFIG_ENV_VARS) {
    const value = env[variable];
    if (value === undefined || value.trim() === '' || taken.has(path)) continue;
    taken.add(path);
    setPath(out, path, value);
  }
  return out;
}

function envVarFor(field: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const candidates = CONFIG_ENV_VARS.filter(([, path]) => path === field).map(([variable]) => variable);
  return candidates.find((variable) => (env[variable] ?? '').trim() !== '') ?? candidates[0];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node = isPlainObject(child) ? child : (node[key] = {});
  }
  node[keys[keys.length - 1] ?? path] = value;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? mergeDeep(existing, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defaultPublicUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
