/**
 * Benchmark: Organizations List calls per second through the real SDK against a sandbox
 * serving a 10,000-account, 1,000-OU organization, with latency and throttling off.
 * The sandbox runs as its own process (the orglink-sandbox CLI); the load comes from
 * worker threads, each with its own SDK client, so SDK signing work spreads over cores.
 * It also reports the CPU the sandbox spent per call, which does not depend on how busy
 * the machine is. Target: ≥ 2,000 calls/s.
 * Run: node --import tsx packages/sandbox/bench/list-throughput.ts [seconds] [concurrency] [workers]
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { LoadResult } from './list-load-worker.js';

const seconds = Number(process.argv[2] ?? 10);
const concurrency = Number(process.argv[3] ?? 64);
const workers = Number(process.argv[4] ?? Math.max(1, cpus().length));
const bin = join(import.meta.dirname, '..', 'bin', 'sandbox.mjs');

const child = spawn(process.execPath, [bin, '--json', '--port', '0', '--accounts', '10000', '--ous', '1000', '--depth', '5', '--no-throttle'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))) as {
  endpoint: string;
  region: string;
  managementRoot: { accessKeyId: string; secretAccessKey: string };
};

/** CPU seconds (user + system) the sandbox process has used, from /proc. */
function serverCpuSeconds(): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const cpuBefore = serverCpuSeconds();
const workerUrl = new URL('./list-load-worker.ts', import.meta.url).href;
// Workers do not inherit tsx's loader on Node 20, so each one registers it before importing the TypeScript worker.
const tsxApi = import.meta.resolve('tsx/esm/api');
const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
const results = await Promise.all(
  Array.from({ length: workers }, (_, index) => {
    const share = Math.floor(concurrency / workers) + (index < concurrency % workers ? 1 : 0);
    const worker = new Worker(bootstrap, { eval: true, workerData: { ...info, seconds, concurrency: share } });
    return new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  }),
);
const serverCpu = serverCpuSeconds() - cpuBefore;
const serverRssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
child.kill('SIGTERM');

const calls = results.reduce((sum, r) => sum + r.calls, 0);
const errors = results.reduce((sum, r) => sum + r.errors, 0);
const elapsed = Math.max(...results.map((r) => r.seconds));
const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
const pct = (p: number) => Number((latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(2));
const perSecond = Math.round(calls / elapsed);
console.log(
  JSON.stringify({
    benchmark: 'list-throughput',
    operation: 'ListAccountsForParent (root, MaxResults 20)',
    concurrency,
    workers,
    seconds: Number(elapsed.toFixed(1)),
    calls,
    errors,
    callsPerSecond: perSecond,
    latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    serverRssMb,
    // CPU the sandbox spent per call: one idle core serves about 1000 / this many calls per second.
    serverCpuMsPerCall: Number(((serverCpu * 1000) / Math.max(calls, 1)).toFixed(3)),
    serverCallsPerCpuSecond: Math.round(calls / Math.max(serverCpu, 0.01)),
    // Each thread reports the whole process's CPU over its run (threads run side by side), so take the largest.
    clientCpuMsPerCall: Number((Math.max(...results.map((r) => r.cpuMs)) / Math.max(calls, 1)).toFixed(3)),
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    target: { callsPerSecond: 2000 },
    pass: perSecond >= 2000 && errors === 0,
  }),
);
