/**
 * Runs the sandbox as a child process (the orglink-sandbox CLI with --json), so its CPU
 * and memory are not charged to the orglink process being measured. Gives the first JSON
 * line the CLI prints, its control API (counters, realism) and the child's CPU and RSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What `orglink-sandbox --json` prints as its first line (the fields the benchmarks use). */
export interface SandboxInfo {
  endpoint: string;
  region: string;
  platform: { accessKeyId: string; secretAccessKey: string; principalArn: string };
  managementAccountId: string;
  managementRoot: { accessKeyId: string; secretAccessKey: string };
  organizationId: string;
  discoveryRoleArn: string;
  memberRoleName: string;
  externalId: string;
  blockedAccounts: Array<{ accountId: string }>;
}

export interface OperationCounter {
  calls: number;
  throttled: number;
  faulted: number;
  errors: number;
}

export interface SandboxCounters {
  operations: Record<string, OperationCounter>;
  totals: OperationCounter;
}

/** Throttle bucket of one family, as the sandbox's realism settings report it. */
export interface BucketSettings {
  rate: number;
  burst: number;
}

export interface SandboxChild {
  info: SandboxInfo;
  pid: number;
  counters(): Promise<SandboxCounters>;
  resetCounters(): Promise<void>;
  /** The throttling settings in force (enabled flag and buckets per family). */
  throttling(): Promise<{ enabled: boolean; buckets: Record<string, BucketSettings> }>;
  /** Sets one family's throttle bucket (PATCH /_sandbox/realism). */
  setBucket(family: string, bucket: BucketSettings): Promise<void>;
  /** CPU seconds (user + system) the child has used so far. */
  cpuSeconds(): number;
  /** The child's resident set size now, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

export interface SandboxChildOptions {
  accounts: number;
  ous: number;
  depth: number;
  seed?: number;
  blocked?: number;
  /** AWS-like throttling (the CLI's default); false adds --no-throttle. */
  throttle?: boolean;
  /** URLs the sandbox POSTs its Organizations events to. */
  eventTargets?: string[];
}

// Through the package's resolution, so the compiled bench (dist/bench/) finds it too.
const BIN = join(dirname(fileURLToPath(import.meta.resolve('@orglink/sandbox'))), '..', 'bin', 'sandbox.mjs');

/**
 * One control API call on a fresh connection (agent: false): fetch's pooled keep-alive
 * sockets race the server's idle timeout during the benchmarks' long pauses ("other side closed").
 */
function control<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json' };
    const request = httpRequest(`${endpoint}/_sandbox${path}`, { method, agent: false, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((response.statusCode ?? 500) >= 300) reject(new Error(`${method} /_sandbox${path}: HTTP ${response.statusCode} ${text}`));
        else resolve(JSON.parse(text) as T);
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (child.stdout === null) throw new Error('sandbox child has no stdout');
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with code ${code} before printing its JSON line`)));
  });
}

/**
 * The organization (10,000 accounts, 1,000 OUs, depth 5, seed 1);
 * BENCH_ACCOUNTS / BENCH_OUS / BENCH_DEPTH shrink it for a quick smoke run.
 */
export const BENCH_ORG = {
  accounts: Number(process.env.BENCH_ACCOUNTS ?? 10_000),
  ous: Number(process.env.BENCH_OUS ?? 1_000),
  depth: Number(process.env.BENCH_DEPTH ?? 5),
  seed: 1,
};

/** Starts `orglink-sandbox --json --port 0` with the given organization and waits for its JSON line. */
export async function startSandboxChild(options: SandboxChildOptions): Promise<SandboxChild> {
  const args = [
    BIN, '--json', '--port', '0',
    '--accounts', String(options.accounts), '--ous', String(options.ous), '--depth', String(options.depth),
    '--seed', String(options.seed ?? 1),
    ...(options.blocked === undefined ? [] : ['--blocked', String(options.blocked)]),
    ...(options.throttle === false ? ['--no-throttle'] : []),
    ...(options.eventTargets ?? []).flatMap((url) => ['--event-target', url]),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the sandbox child');
  const info = JSON.parse(await firstLine(child)) as SandboxInfo;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    info,
    pid,
    counters: () => control<SandboxCounters>(info.endpoint, 'GET', '/counters'),
    resetCounters: async () => {
      await control(info.endpoint, 'POST', '/counters/reset');
    },
    throttling: async () =>
      (await control<{ throttling: { enabled: boolean; buckets: Record<string, BucketSettings> } }>(info.endpoint, 'GET', '/realism')).throttling,
    setBucket: async (family, bucket) => {
      await control(info.endpoint, 'PATCH', '/realism', { throttling: { buckets: { [family]: bucket } } });
    },
    cpuSeconds() {
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    rssMb() {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Calls and throttled answers per Organizations operation, from counters keyed `organizations:<Operation>`. */
export function organizationsCounters(counters: SandboxCounters): { byOperation: Record<string, OperationCounter>; totals: OperationCounter } {
  const byOperation: Record<string, OperationCounter> = {};
  const totals: OperationCounter = { calls: 0, throttled: 0, faulted: 0, errors: 0 };
  for (const [key, counter] of Object.entries(counters.operations)) {
    if (!key.startsWith('organizations:')) continue;
    byOperation[key.slice('organizations:'.length)] = counter;
    totals.calls += counter.calls;
    totals.throttled += counter.throttled;
    totals.faulted += counter.faulted;
    totals.errors += counter.errors;
  }
  return { byOperation, totals };
}
