/**
 * Benchmark: how many Organizations List calls per second the SANDBOX serves, with latency
 * and throttling off, on a 10,000-account, 1,000-OU organization. The sandbox runs in a
 * child process (list-server-child.ts), so its CPU (process.cpuUsage over IPC) is measured
 * apart from the load generator's. Real SDK-signed List requests are recorded once
 * (list-capture.ts) and replayed from a worker thread, with no per-call signing or SDK
 * middleware, so the client is not the bottleneck: over plain keep-alive TCP sockets
 * (list-socket-worker.ts, the main figure), then over node:http keep-alive agents
 * (list-replay-worker.ts). The same run then drives the same server with the real SDK
 * (list-load-worker.ts) for comparison, and optionally with `wrk`. Every phase sends a fixed
 * number of requests (wrk: a fixed time). Target (issue 3 §8): ≥ 2,000 calls/s.
 * Run: node --import tsx packages/sandbox/bench/list-throughput-raw.ts [--requests 20000]
 *   [--http-requests 5000] [--connections 32] [--workers 1] [--sdk-requests 1500]
 *   [--wrk-seconds 0] [--cpu-prof DIR (profiles the sandbox during the raw-socket phase)]
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { captureListRequests } from './list-capture.js';
import type { LoadResult } from './list-load-worker.js';
import type { ReplayResult } from './list-replay-worker.js';
import type { ProfileAck, ServerInfo, ServerUsage } from './list-server-child.js';
import { runWrk } from './list-wrk.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    'http-requests': { type: 'string', default: '5000' },
    connections: { type: 'string', default: '32' },
    workers: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '3000' },
    'sdk-requests': { type: 'string', default: '1500' },
    'sdk-concurrency': { type: 'string', default: '16' },
    'wrk-seconds': { type: 'string', default: '0' },
    'cpu-prof': { type: 'string' },
  },
});
const num = (name: keyof typeof args): number => Number(args[name]);

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadAtStart = loadAverage();
const child = fork(new URL('./list-server-child.ts', import.meta.url).pathname, [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const info = await nextMessage<ServerInfo>(child, 'ready');
const endpoint = new URL(info.endpoint);

const requests = await captureListRequests({ endpoint: info.endpoint, region: info.region, credentials: info.managementRoot });
const operations = countBy(requests.map((r) => r.operation));

// Workers do not inherit tsx's loader on Node 20, so each one registers it before importing its TypeScript.
const tsxApi = import.meta.resolve('tsx/esm/api');
function startWorker(file: string, workerData: unknown): Worker {
  const url = new URL(file, import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
function result<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Replays `count` requests over `connections` sockets split across `workers` threads. */
function replay(file: string, count: number, connections: number, workers: number): Promise<ReplayResult[]> {
  return Promise.all(
    Array.from({ length: workers }, (_, index) =>
      result<ReplayResult>(
        startWorker(file, {
          hostname: endpoint.hostname,
          port: Number(endpoint.port),
          requests,
          offset: index * Math.floor(requests.length / workers),
          count: share(count, workers, index),
          connections: share(connections, workers, index),
        }),
      ),
    ),
  );
}

/** Pages ListAccountsForParent with the real SDK for `count` calls (one client per thread). */
function sdkLoad(count: number, concurrency: number, workers: number): Promise<LoadResult[]> {
  return Promise.all(
    Array.from({ length: workers }, (_, index) =>
      result<LoadResult>(
        startWorker('./list-load-worker.ts', {
          ...info,
          seconds: 600,
          concurrency: share(concurrency, workers, index),
          maxCalls: share(count, workers, index),
        }),
      ),
    ),
  );
}

/** Runs one phase, reads the server's CPU before and after it, and takes the client's from the load threads. */
async function measure(phase: string, run: () => Promise<{ calls: number; errors: number; seconds: number; cpuMs: number; latencies: ArrayLike<number> }>) {
  const serverBefore = await usage();
  const outcome = await run();
  const serverAfter = await usage();
  const serverUserMs = (serverAfter.user - serverBefore.user) / 1000;
  const serverSystemMs = (serverAfter.system - serverBefore.system) / 1000;
  const calls = Math.max(outcome.calls, 1);
  const serverCpuMsPerCall = (serverUserMs + serverSystemMs) / calls;
  const sorted = Float64Array.from(outcome.latencies).sort();
  const pct = (p: number) => Number((sorted[Math.floor((sorted.length - 1) * p)] ?? 0).toFixed(2));
  return {
    phase,
    calls: outcome.calls,
    errors: outcome.errors,
    seconds: Number(outcome.seconds.toFixed(2)),
    callsPerSecond: Math.round(outcome.calls / outcome.seconds),
    latencyMs: { p50: pct(0.5), p99: pct(0.99) },
    serverCpuMsPerCall: round3(serverCpuMsPerCall),
    serverUserMsPerCall: round3(serverUserMs / calls),
    serverSystemMsPerCall: round3(serverSystemMs / calls),
    // The sandbox answers on one thread: one free core serves at most this many calls per second.
    serverOneCoreCeiling: Math.round(1000 / serverCpuMsPerCall),
    // Measured inside the load threads from first to last request, so thread start-up (tsx, the SDK's import) is left out.
    clientCpuMsPerCall: round3(outcome.cpuMs / calls),
    serverRssMb: serverAfter.rssMb,
    loadAverage: loadAverage(),
  };
}

async function usage(): Promise<ServerUsage> {
  child.send({ type: 'usage' });
  return nextMessage<ServerUsage>(child, 'usage');
}

const replayPhase = (file: string, count: number) => async () => {
  const results = await replay(file, count, num('connections'), num('workers'));
  const failures = results.flatMap((r) => r.failures);
  if (failures.length > 0) console.error('replay failures (first few):', failures);
  return {
    calls: sum(results.map((r) => r.calls)),
    errors: sum(results.map((r) => r.errors)),
    seconds: Math.max(...results.map((r) => r.seconds)),
    // process.cpuUsage() is process-wide and the threads run side by side: the largest is the total.
    cpuMs: Math.max(...results.map((r) => r.cpuMs)),
    latencies: concat(results.map((r) => r.latencies)),
  };
};

const SOCKET = './list-socket-worker.ts';
const HTTP = './list-replay-worker.ts';
await replayPhase(SOCKET, num('warmup'))();
const threads = `${num('connections')} connections, ${num('workers')} thread(s)`;
const profileFile = args['cpu-prof'] ? join(args['cpu-prof'], `sandbox-list-${Date.now()}.cpuprofile`) : undefined;
if (profileFile) {
  child.send({ type: 'profile-start' });
  await nextMessage<ProfileAck>(child, 'profile');
}
const phases = [await measure(`replay pre-signed, raw keep-alive sockets, ${threads}`, replayPhase(SOCKET, num('requests')))];
if (profileFile) {
  child.send({ type: 'profile-stop', file: profileFile });
  await nextMessage<ProfileAck>(child, 'profile');
}
if (num('http-requests') > 0) {
  phases.push(await measure(`replay pre-signed, node:http keep-alive agent, ${threads}`, replayPhase(HTTP, num('http-requests'))));
}
if (num('sdk-requests') > 0) {
  phases.push(
    await measure(`real SDK ListAccountsForParent paging, concurrency ${num('sdk-concurrency')}, 1 thread`, async () => {
      const results = await sdkLoad(num('sdk-requests'), num('sdk-concurrency'), 1);
      return {
        calls: sum(results.map((r) => r.calls)),
        errors: sum(results.map((r) => r.errors)),
        seconds: Math.max(...results.map((r) => r.seconds)),
        cpuMs: Math.max(...results.map((r) => r.cpuMs)),
        latencies: results.flatMap((r) => r.latencies),
      };
    }),
  );
}
let wrk: Awaited<ReturnType<typeof runWrk>> | undefined;
let wrkServer: { serverCpuMsPerCall: number } | undefined;
if (num('wrk-seconds') > 0) {
  const before = await usage();
  wrk = await runWrk(info.endpoint, requests, num('wrk-seconds'), num('connections'), 1);
  const after = await usage();
  wrkServer = { serverCpuMsPerCall: round3((after.user - before.user + after.system - before.system) / 1000 / Math.max(wrk.calls, 1)) };
}

child.send({ type: 'stop' });
await new Promise((resolve) => child.once('exit', resolve));

const raw = phases[0]!;
const sdk = phases.find((p) => p.phase.startsWith('real SDK'));
console.log(
  JSON.stringify(
    {
      benchmark: 'list-throughput-raw',
      machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverageAtStart: loadAtStart },
      date: new Date().toISOString(),
      capturedRequests: requests.length,
      operations,
      phases,
      wrk: wrk ? { ...wrk, ...wrkServer, loadAverage: loadAverage() } : undefined,
      rawToSdkCallsPerSecond: sdk ? Number((raw.callsPerSecond / sdk.callsPerSecond).toFixed(1)) : undefined,
      target: { callsPerSecond: 2000 },
      pass: raw.callsPerSecond >= 2000 && raw.errors === 0,
      // Profiles the raw-socket phase only; summarize with cpu-profile-summary.ts.
      cpuProfile: profileFile,
    },
    null,
    2,
  ),
);

function nextMessage<T extends { type: string }>(from: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (message.type !== type) return;
      from.off('message', onMessage);
      from.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`sandbox child exited (${code}) before '${type}'`));
    from.on('message', onMessage);
    from.once('exit', onExit);
  });
}

function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function concat(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(sum(arrays.map((a) => a.length)));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function round3(value: number): number {
  return Number(value.toFixed(3));
}
