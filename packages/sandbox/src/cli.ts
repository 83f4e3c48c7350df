/**
 * `orglink-sandbox` (and later `orglink sandbox`): flags → startSandbox options, then
 * print how to reach the sandbox and run until SIGINT/SIGTERM. With --json the first
 * stdout line is one JSON object that scripts parse; everything else goes after it.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GeneratorInputError, parseOrganizationSpec } from './generator-spec.js';
import type { OrganizationSpec } from './generator-spec.js';
import { startSandbox } from './start-sandbox.js';
import type { RunningSandbox, StartSandboxOptions } from './start-sandbox.js';

export interface SandboxCliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Resolves when the sandbox should stop; default: the first SIGINT or SIGTERM. */
  waitForStop: () => Promise<void>;
  /** Called once the sandbox is up (tests use it to reach the running instance). */
  onStarted?: (sandbox: RunningSandbox) => void;
}

export const SANDBOX_USAGE = `Usage: orglink-sandbox [options]

Starts a local, wire-compatible AWS (Organizations, STS, IAM, CloudFormation, Identity Center) with a generated organization.

Options:
  --port P              port to listen on (default 4566; 0 picks a free one)
  --host H              address to bind (default 127.0.0.1)
  --accounts N          accounts in the organization, management included (default 12)
  --ous M               organizational units (default 4)
  --depth D             deepest OU level, 1-5 (default 3)
  --blocked FRACTION    share of member accounts whose member role is missing or expects another External ID (default 0)
  --seed S              seed: the same seed builds the same organization (default 1)
  --spec FILE           build the organization from a YAML or JSON spec instead
  --external-id ID      External ID the roles expect (default t_sandbox00001:<8 seeded characters>)
  --platform-account ID platform account id (default 111111111111)
  --member-role NAME    member role name (default OrglinkRole)
  --discovery-role NAME discovery role name (default: the member role name)
  --state FILE          load the world from FILE if it exists, save it there on exit
  --event-target URL    POST Organizations events to URL (repeatable)
  --empty-page-rate R   share of List pages answered empty with a NextToken, 0-1 (default 0)
  --control-token T     require "Authorization: Bearer T" on the control API
  --no-throttle         turn off AWS-like throttling (on by default here)
  --json                print one JSON object (endpoint, credentials...) as the first line
  -h, --help            show this help
`;

/** Raised for bad flags; the CLI prints it with the usage hint and exits 2. */
export class CliUsageError extends Error {}

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliUsageError(`--${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function fraction(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= 0 && value <= 1)) throw new CliUsageError(`--${name} must be a fraction from 0 to 1 (got "${raw}")`);
  return value;
}

async function readSpec(path: string): Promise<OrganizationSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read --spec ${path}: ${(error as Error).message}`);
  }
  try {
    return parseOrganizationSpec(text, path);
  } catch (error) {
    if (error instanceof GeneratorInputError) throw new CliUsageError(error.message);
    throw error;
  }
}

/** Turns argv into startSandbox options plus output flags; throws CliUsageError on bad input. */
export async function parseSandboxArgs(argv: string[]): Promise<{ help: boolean; json: boolean; options: StartSandboxOptions }> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, accounts: { type: 'string' }, ous: { type: 'string' }, depth: { type: 'string' },
        blocked: { type: 'string' }, seed: { type: 'string' }, spec: { type: 'string' }, 'external-id': { type: 'string' },
        'platform-account': { type: 'string' }, 'member-role': { type: 'string' }, 'discovery-role': { type: 'string' }, state: { type: 'string' },
        'event-target': { type: 'string', multiple: true }, 'empty-page-rate': { type: 'string' }, 'control-token': { type: 'string' }, 'no-throttle': { type: 'boolean' },
        json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { help: true, json: false, options: {} };
  const blocked = fraction('blocked', v.blocked);
  const emptyPageRate = fraction('empty-page-rate', v['empty-page-rate']);
  if (v['platform-account'] !== undefined && !/^\d{12}$/.test(v['platform-account'])) {
    throw new CliUsageError(`--platform-account must be 12 digits (got "${v['platform-account']}")`);
  }
  const externalId = v['external-id'];
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) {
    throw new CliUsageError('--external-id must be 2 to 1,224 characters of letters, digits and +=,.@:/-_');
  }
  for (const flag of ['member-role', 'discovery-role'] as const) {
    const name = v[flag];
    if (name !== undefined && !/^[\w+=,.@-]{1,64}$/.test(name)) throw new CliUsageError(`--${flag} must be a valid IAM role name (1-64 of [A-Za-z0-9+=,.@_-])`);
  }
  let spec: OrganizationSpec | undefined;
  if (v.spec !== undefined) {
    const conflicting = (['accounts', 'ous', 'depth', 'blocked'] as const).filter((flag) => v[flag] !== undefined);
    if (conflicting.length > 0) throw new CliUsageError(`--spec describes the whole organization; drop --${conflicting.join(', --')}`);
    spec = await readSpec(v.spec);
  }
  for (const url of v['event-target'] ?? []) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new CliUsageError(`--event-target must be an http(s) URL (got "${url}")`);
  }
  const options: StartSandboxOptions = {
    host: v.host ?? '127.0.0.1',
    port: integer('port', v.port, 0, 65535) ?? 4566,
    throttle: !v['no-throttle'],
    ...(spec ? { spec } : {}),
    ...definedEntries({
      accounts: integer('accounts', v.accounts, 1, 50_000),
      ous: integer('ous', v.ous, 0, 2000),
      depth: integer('depth', v.depth, 1, 5),
      blocked,
      seed: integer('seed', v.seed, 0, 2 ** 31 - 1),
      externalId,
      platformAccountId: v['platform-account'],
      memberRoleName: v['member-role'],
      discoveryRoleName: v['discovery-role'],
      stateFile: v.state,
      controlToken: v['control-token'],
      eventTargets: v['event-target']?.map((url) => ({ url })),
      emptyPageRate,
    }),
  };
  return { help: false, json: Boolean(v.json), options };
}

function definedEntries<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The object --json prints: everything a client needs. */
export function sandboxSummary(sandbox: RunningSandbox): Record<string, unknown> {
  return {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    platform: sandbox.platform,
    managementAccountId: sandbox.managementAccountId,
    organizationId: sandbox.organizationId,
    discoveryRoleArn: sandbox.discoveryRoleArn,
    memberRoleName: sandbox.memberRoleName,
    externalId: sandbox.externalId,
    managementRoot: sandbox.managementRoot,
    blockedAccounts: sandbox.generated.blockedAccounts,
    controlApi: `${sandbox.endpoint}/_sandbox`,
  };
}

function humanSummary(sandbox: RunningSandbox): string {
  const g = sandbox.generated;
  return [
    `orglink sandbox listening on ${sandbox.endpoint} (organization ${sandbox.organizationId}, ${g.accountCount} accounts, ${g.ouCount} OUs, ${g.blockedAccounts.length} blocked)`,
    `management account  ${sandbox.managementAccountId}`,
    `discovery role      ${sandbox.discoveryRoleArn}`,
    `member role name    ${sandbox.memberRoleName}`,
    `External ID         ${sandbox.externalId}`,
    '',
    'Platform principal credentials (the caller that assumes the roles):',
    `  export AWS_ENDPOINT_URL=${sandbox.endpoint}`,
    `  export AWS_REGION=${sandbox.region}`,
    `  export AWS_ACCESS_KEY_ID=${sandbox.platform.accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${sandbox.platform.secretAccessKey}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs the sandbox CLI; resolves with the exit code (0 ok, 1 failure, 2 bad usage). */
export async function runSandboxCli(argv: string[], io: Partial<SandboxCliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let args: Awaited<ReturnType<typeof parseSandboxArgs>>;
  try {
    args = await parseSandboxArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    stderr.write(`orglink-sandbox: ${error.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (args.help) {
    stdout.write(SANDBOX_USAGE);
    return 0;
  }
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(args.options);
  } catch (error) {
    stderr.write(`orglink-sandbox: could not start: ${(error as Error).message}\n`);
    return 1;
  }
  stdout.write(args.json ? `${JSON.stringify(sandboxSummary(sandbox))}\n` : humanSummary(sandbox));
  io.onStarted?.(sandbox);
  await (io.waitForStop ?? stopSignal)();
  try {
    await sandbox.close();
  } catch (error) {
    stderr.write(`orglink-sandbox: error while stopping: ${(error as Error).message}\n`);
    return 1;
  }
  if (args.options.stateFile) stderr.write(`orglink-sandbox: state saved to ${args.options.stateFile}\n`);
  return 0;
}
