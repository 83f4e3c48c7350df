import { describe, expect, it } from 'vitest';
import { JOB_DEFAULTS } from '../jobs/job-defaults.js';
import { CONFIG_ENV_VARS, ConfigError, configSchema, loadConfig, requirePlatformPrincipalArn } from './config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');
const TOKEN = 'olk_abcdefgh1234_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56';
const PRINCIPAL = 'arn:aws:iam::123456789012:role/orglink-platform';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig defaults', () => {
  it('fills every default from an empty environment, with no secret key', () => {
    expect(loadConfig({ env: {} })).toEqual({
      dataDir: './.orglink',
      host: '127.0.0.1',
      port: 7480,
      publicUrl: 'http://127.0.0.1:7480',
      aws: { region: 'us-east-1' },
      sync: { intervalSeconds: 3600, deleteGuardShare: 0.25, deleteGuardMax: 50 },
      embedded: { sharedBuffersMb: 16, optimizingCompiler: false },
      runtime: { optimizeForSize: true },
      jobs: JOB_DEFAULTS,
      logLevel: 'info',
    });
  });

  it('offers the job runtime\'s own defaults for the jobs section', () => {
    expect(loadConfig({ env: {} }).jobs).toEqual({
      concurrency: 2,
      tickSeconds: 30,
      expireSeconds: 900,
      retryDelaySeconds: 30,
      retryLimit: 3,
      maintenanceSeconds: 60,
      pollSeconds: 2,
      shutdownTimeoutSeconds: 30,
    });
  });

  it.each([
    ['0.0.0.0', 8080, 'http://localhost:8080'],
    ['::', 80, 'http://localhost:80'],
    ['::1', 9000, 'http://[::1]:9000'],
    ['orglink.internal', 7480, 'http://orglink.internal:7480'],
  ])('derives publicUrl from host %s and port %s', (host, port, expected) => {
    expect(loadConfig({ env: {}, flags: { host, port } }).publicUrl).toBe(expected);
  });
});

describe('loadConfig sources', () => {
  it('reads every field from its environment variable, converting numbers', () => {
    const config = loadConfig({
      env: {
        ORGLINK_DATA_DIR: '/var/lib/orglink',
        DATABASE_URL: 'postgres://db:5432/orglink',
        ORGLINK_HOST: '0.0.0.0',
        ORGLINK_PORT: '8080',
        ORGLINK_PUBLIC_URL: 'https://orglink.example.com',
        ORGLINK_ADMIN_TOKEN: TOKEN,
        ORGLINK_SECRET_KEY: KEY,
        ORGLINK_PLATFORM_PRINCIPAL_ARN: PRINCIPAL,
        AWS_REGION: 'eu-west-1',
        ORGLINK_SYNC_INTERVAL_SECONDS: '600',
        ORGLINK_SYNC_DELETE_GUARD_SHARE: '0.5',
        ORGLINK_SYNC_DELETE_GUARD_MAX: '10',
        ORGLINK_JOBS_CONCURRENCY: '4',
        ORGLINK_JOBS_TICK_SECONDS: '10',
        ORGLINK_JOBS_EXPIRE_SECONDS: '1800',
        ORGLINK_JOBS_RETRY_DELAY_SECONDS: '0',
        ORGLINK_JOBS_RETRY_LIMIT: '5',
        ORGLINK_JOBS_MAINTENANCE_SECONDS: '120',
        ORGLINK_JOBS_POLL_SECONDS: '5',
        ORGLINK_JOBS_SHUTDOWN_TIMEOUT_SECONDS: '90',
        ORGLINK_EMBEDDED_SHARED_BUFFERS_MB: '32',
        ORGLINK_EMBEDDED_OPTIMIZING_COMPILER: 'true',
        ORGLINK_RUNTIME_OPTIMIZE_FOR_SIZE: '0',
        ORGLINK_LOG_LEVEL: 'debug',
      },
    });
    expect(config).toEqual({
      dataDir: '/var/lib/orglink',
      databaseUrl: 'postgres://db:5432/orglink',
      host: '0.0.0.0',
      port: 8080,
      publicUrl: 'https://orglink.example.com',
      adminToken: TOKEN,
      secretKey: KEY,
      platformPrincipalArn: PRINCIPAL,
      aws: { region: 'eu-west-1' },
      sync: { intervalSeconds: 600, deleteGuardShare: 0.5, deleteGuardMax: 10 },
      embedded: { sharedBuffersMb: 32, optimizingCompiler: true },
      runtime: { optimizeForSize: false },
      jobs: {
        concurrency: 4,
        tickSeconds: 10,
        expireSeconds: 1800,
        retryDelaySeconds: 0,
        retryLimit: 5,
        maintenanceSeconds: 120,
        pollSeconds: 5,
        shutdownTimeoutSeconds: 90,
      },
      logLevel: 'debug',
    });
  });

  it.each([
    [{ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' }, 'eu-west-1'],
    [{ AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    [{ AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
  ])('takes the region from %j', (env, region) => {
    expect(loadConfig({ env }).aws.region).toBe(region);
  });

  it('treats empty environment variables as unset', () => {
    expect(loadConfig({ env: { ORGLINK_PORT: '', DATABASE_URL: '  ' } })).toMatchObject({ port: 7480 });
    expect(loadConfig({ env: { DATABASE_URL: '' } }).databaseUrl).toBeUndefined();
  });

  it('lets the file override the environment and flags override both, field by field', () => {
    const config = loadConfig({
      env: { ORGLINK_PORT: '1000', ORGLINK_HOST: 'env-host', ORGLINK_LOG_LEVEL: 'warn', ORGLINK_SYNC_DELETE_GUARD_MAX: '5' },
      file: { port: 2000, host: 'file-host', sync: { intervalSeconds: 60 } },
      flags: { port: 3000, logLevel: undefined },
    });
    expect(config).toMatchObject({
      port: 3000, // flag
      host: 'file-host', // file over env
      logLevel: 'warn', // env; the undefined flag does not erase it
      sync: { intervalSeconds: 60, deleteGuardMax: 5, deleteGuardShare: 0.25 }, // nested objects merge
    });
  });

  it('merges the jobs section field by field: env, then file, then flags', () => {
    const config = loadConfig({
      env: { ORGLINK_JOBS_CONCURRENCY: '8', ORGLINK_JOBS_RETRY_LIMIT: '1', ORGLINK_JOBS_POLL_SECONDS: '9' },
      file: { jobs: { concurrency: 6, expireSeconds: 3600 } },
      flags: { jobs: { concurrency: 1, retryLimit: undefined, shutdownTimeoutSeconds: '45' } },
    });
    expect(config.jobs).toEqual({
      ...JOB_DEFAULTS,
      concurrency: 1, // flag over file over env
      expireSeconds: 3600, // file
      retryLimit: 1, // env; the undefined flag does not erase it
      pollSeconds: 9, // env
      shutdownTimeoutSeconds: 45, // flag, given as text like every command-line value
    });
  });

  it('accepts the file form of every nested field', () => {
    const config = loadConfig({
      env: {},
      file: { aws: { region: 'us-gov-west-1' }, sync: { deleteGuardShare: 1, deleteGuardMax: 0, intervalSeconds: 0 } },
    });
    expect(config.aws.region).toBe('us-gov-west-1');
    expect(config.sync).toEqual({ deleteGuardShare: 1, deleteGuardMax: 0, intervalSeconds: 0 });
  });

  it('flag secret key beats the environment one', () => {
    expect(loadConfig({ env: { ORGLINK_SECRET_KEY: KEY }, flags: { secretKey: OTHER_KEY } }).secretKey).toBe(OTHER_KEY);
  });
});

describe('loadConfig refusals', () => {
  it.each([
    [{ ORGLINK_PORT: 'eighty' }, 'port (ORGLINK_PORT)', 'integer'],
    [{ ORGLINK_PORT: '70000' }, 'port (ORGLINK_PORT)', 'at most 65535'],
    [{ ORGLINK_PORT: '80.5' }, 'port (ORGLINK_PORT)', 'integer'],
    [{ DATABASE_URL: 'mysql://db/orglink', ORGLINK_SECRET_KEY: KEY }, 'databaseUrl (DATABASE_URL)', 'postgres://'],
    [{ ORGLINK_PUBLIC_URL: 'ftp://example.com' }, 'publicUrl (ORGLINK_PUBLIC_URL)', 'http'],
    [{ ORGLINK_PUBLIC_URL: 'not a url' }, 'publicUrl (ORGLINK_PUBLIC_URL)', 'http'],
    [{ ORGLINK_ADMIN_TOKEN: 'letmein' }, 'adminToken (ORGLINK_ADMIN_TOKEN)', 'olk_'],
    [{ ORGLINK_SECRET_KEY: 'short' }, 'secretKey (ORGLINK_SECRET_KEY)', 'openssl rand -base64 32'],
    [{ ORGLINK_SECRET_KEY: Buffer.alloc(16).toString('base64') }, 'secretKey (ORGLINK_SECRET_KEY)', '32 random bytes'],
    [{ ORGLINK_PLATFORM_PRINCIPAL_ARN: 'arn:aws:s3:::bucket' }, 'platformPrincipalArn (ORGLINK_PLATFORM_PRINCIPAL_ARN)', 'IAM ARN'],
    [{ ORGLINK_PLATFORM_PRINCIPAL_ARN: 'arn:aws:iam::12345:root' }, 'platformPrincipalArn (ORGLINK_PLATFORM_PRINCIPAL_ARN)', 'IAM ARN'],
    [{ AWS_REGION: 'Europe' }, 'aws.region (AWS_REGION)', 'region code'],
    [{ ORGLINK_SYNC_INTERVAL_SECONDS: '-1' }, 'sync.intervalSeconds (ORGLINK_SYNC_INTERVAL_SECONDS)', 'at least 0'],
    [{ ORGLINK_SYNC_DELETE_GUARD_SHARE: '1.5' }, 'sync.deleteGuardShare (ORGLINK_SYNC_DELETE_GUARD_SHARE)', 'at most 1'],
    [{ ORGLINK_SYNC_DELETE_GUARD_SHARE: 'quarter' }, 'sync.deleteGuardShare (ORGLINK_SYNC_DELETE_GUARD_SHARE)', 'number'],
    [{ ORGLINK_SYNC_DELETE_GUARD_MAX: '2.5' }, 'sync.deleteGuardMax (ORGLINK_SYNC_DELETE_GUARD_MAX)', 'integer'],
    [{ ORGLINK_LOG_LEVEL: 'verbose' }, 'logLevel (ORGLINK_LOG_LEVEL)', 'one of fatal, error'],
    [{ ORGLINK_EMBEDDED_SHARED_BUFFERS_MB: '0' }, 'embedded.sharedBuffersMb (ORGLINK_EMBEDDED_SHARED_BUFFERS_MB)', 'at least 1'],
    [{ ORGLINK_EMBEDDED_SHARED_BUFFERS_MB: '16MB' }, 'embedded.sharedBuffersMb (ORGLINK_EMBEDDED_SHARED_BUFFERS_MB)', 'integer'],
    [{ ORGLINK_EMBEDDED_OPTIMIZING_COMPILER: 'yes' }, 'embedded.optimizingCompiler (ORGLINK_EMBEDDED_OPTIMIZING_COMPILER)', 'true or false'],
    [{ ORGLINK_RUNTIME_OPTIMIZE_FOR_SIZE: 'maybe' }, 'runtime.optimizeForSize (ORGLINK_RUNTIME_OPTIMIZE_FOR_SIZE)', 'true or false'],
    [{ ORGLINK_JOBS_CONCURRENCY: '0' }, 'jobs.concurrency (ORGLINK_JOBS_CONCURRENCY)', 'at least 1'],
    [{ ORGLINK_JOBS_CONCURRENCY: '65' }, 'jobs.concurrency (ORGLINK_JOBS_CONCURRENCY)', 'at most 64'],
    [{ ORGLINK_JOBS_TICK_SECONDS: 'often' }, 'jobs.tickSeconds (ORGLINK_JOBS_TICK_SECONDS)', 'integer'],
    [{ ORGLINK_JOBS_EXPIRE_SECONDS: '86400' }, 'jobs.expireSeconds (ORGLINK_JOBS_EXPIRE_SECONDS)', 'at most 86399'],
    [{ ORGLINK_JOBS_EXPIRE_SECONDS: '0' }, 'jobs.expireSeconds (ORGLINK_JOBS_EXPIRE_SECONDS)', 'at least 1'],
    [{ ORGLINK_JOBS_RETRY_DELAY_SECONDS: '-5' }, 'jobs.retryDelaySeconds (ORGLINK_JOBS_RETRY_DELAY_SECONDS)', 'at least 0'],
    [{ ORGLINK_JOBS_RETRY_LIMIT: '1.5' }, 'jobs.retryLimit (ORGLINK_JOBS_RETRY_LIMIT)', 'integer'],
    [{ ORGLINK_JOBS_MAINTENANCE_SECONDS: '0' }, 'jobs.maintenanceSeconds (ORGLINK_JOBS_MAINTENANCE_SECONDS)', 'at least 1'],
    [{ ORGLINK_JOBS_POLL_SECONDS: '0.5' }, 'jobs.pollSeconds (ORGLINK_JOBS_POLL_SECONDS)', 'integer'],
    [{ ORGLINK_JOBS_SHUTDOWN_TIMEOUT_SECONDS: '3601' }, 'jobs.shutdownTimeoutSeconds (ORGLINK_JOBS_SHUTDOWN_TIMEOUT_SECONDS)', 'at most 3600'],
  ])('refuses %j', (env, field, reason) => {
    const error = configError(() => loadConfig({ env }));
    expect(error.code).toBe('config_invalid');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.field).toBe(field);
    expect(error.issues[0]?.reason).toContain(reason);
    expect(error.message).toContain(field);
  });

  it('requires a secret key with DATABASE_URL, naming the variable', () => {
    const error = configError(() => loadConfig({ env: { DATABASE_URL: 'postgres://db/orglink' } }));
    expect(error.issues).toEqual([
      { field: 'secretKey (ORGLINK_SECRET_KEY)', reason: expect.stringContaining('required when DATABASE_URL is set') },
    ]);
    expect(error.message).toContain('ORGLINK_SECRET_KEY');
  });

  it('lists every bad field at once', () => {
    const error = configError(() =>
      loadConfig({ env: { ORGLINK_PORT: 'x', ORGLINK_LOG_LEVEL: 'loud' }, file: { sync: { deleteGuardMax: -3 } } }),
    );
    expect(error.issues.map((issue) => issue.field).sort()).toEqual([
      'logLevel (ORGLINK_LOG_LEVEL)',
      'port (ORGLINK_PORT)',
      'sync.deleteGuardMax (config file)',
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
  });

  it.each([
    [{ jobs: { concurrency: 0 } }, {}, 'jobs.concurrency (config file)', 'at least 1'],
    [{}, { jobs: { retryLimit: 101 } }, 'jobs.retryLimit (command-line flag)', 'at most 100'],
    [{ jobs: { pollSeconds: 5 } }, { jobs: { pollSeconds: 'soon' } }, 'jobs.pollSeconds (command-line flag)', 'integer'],
  ])('refuses bad job timings from the file %j or flags %j, naming the field and where its value came from', (file, flags, field, reason) => {
    const error = configError(() => loadConfig({ env: {}, file, flags }));
    expect(error.issues).toEqual([{ field, reason: expect.stringContaining(reason) }]);
    expect(error.field).toBe(field);
  });

  it.each([
    [{ prot: 80 }, 'unknown field(s) prot'],
    [{ sync: { interval: 5 } }, 'unknown field(s) interval'],
    [{ jobs: { expireInSeconds: 600 } }, 'unknown field(s) expireInSeconds'],
  ])('refuses unknown file fields %j (typos must not be ignored)', (file, reason) => {
    const error = configError(() => loadConfig({ env: {}, file }));
    expect(error.issues[0]?.reason).toBe(reason);
  });

  it.each([[['a list']], ['text'], [null]])('refuses a file that is not a mapping: %j', (file) => {
    expect(configError(() => loadConfig({ env: {}, file })).issues[0]?.reason).toContain('mapping');
  });
});

describe('configSchema', () => {
  it('describes every field', () => {
    const undescribed: string[] = [];
    const visited: string[] = [];
    const walk = (shape: Record<string, { description?: string; def?: unknown }>, prefix: string) => {
      for (const [key, field] of Object.entries(shape)) {
        visited.push(`${prefix}${key}`);
        if (!field.description) undescribed.push(`${prefix}${key}`);
        const inner = (field as { def?: { innerType?: { shape?: unknown } } }).def?.innerType?.shape;
        if (inner !== undefined) walk(inner as Record<string, { description?: string }>, `${prefix}${key}.`);
      }
    };
    walk(configSchema.in.shape, '');
    expect(visited).toEqual(expect.arrayContaining(['port', 'aws.region', 'sync.deleteGuardMax', 'jobs', 'jobs.expireSeconds']));
    expect(undescribed).toEqual([]);
  });

  it('maps every environment variable to a real field', () => {
    const fields = new Set(['dataDir', 'databaseUrl', 'host', 'port', 'publicUrl', 'adminToken', 'secretKey', 'platformPrincipalArn', 'aws.region', 'sync.intervalSeconds', 'sync.deleteGuardShare', 'sync.deleteGuardMax', 'embedded.sharedBuffersMb', 'embedded.optimizingCompiler', 'runtime.optimizeForSize', 'logLevel', ...Object.keys(JOB_DEFAULTS).map((key) => `jobs.${key}`)]);
    expect(new Set(CONFIG_ENV_VARS.map(([, path]) => path))).toEqual(fields);
  });
});

describe('requirePlatformPrincipalArn', () => {
  it('returns the configured principal', () => {
    expect(requirePlatformPrincipalArn({ platformPrincipalArn: PRINCIPAL })).toBe(PRINCIPAL);
  });

  it('refuses, naming the variable, when none is configured', () => {
    expect(() => requirePlatformPrincipalArn({})).toThrow(
      expect.objectContaining({ code: 'platform_principal_arn_not_configured', message: expect.stringContaining('ORGLINK_PLATFORM_PRINCIPAL_ARN') }),
    );
  });

  it.each([
    'arn:aws:iam::123456789012:root',
    'arn:aws-cn:iam::123456789012:role/path/to/orglink',
    'arn:aws-us-gov:iam::123456789012:user/platform',
  ])('accepts %s in config', (arn) => {
    expect(loadConfig({ env: { ORGLINK_PLATFORM_PRINCIPAL_ARN: arn } }).platformPrincipalArn).toBe(arn);
  });
});
