/**
 * One load-generating thread for list-throughput-raw.ts: replays pre-signed requests over
 * `connections` keep-alive node:http sockets until it has sent `requests` of them, and
 * checks that every answer is 200 with a JSON body holding the listing. No SDK, no
 * signing: the client's per-call CPU stays small next to the server's.
 */
import { Agent, request as httpRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { LISTING_KEY, type ReplayInput } from './replay-input.js';

export interface ReplayResult {
  calls: number;
  errors: number;
  /** First few failures, for the report. */
  failures: string[];
  seconds: number;
  /** The whole process's CPU (all threads) from this thread's first request to its last, ms. */
  cpuMs: number;
  latencies: Float64Array<ArrayBuffer>;
}

const input = workerData as ReplayInput;
const agent = new Agent({ keepAlive: true, maxSockets: input.connections });
const bodies = input.requests.map((r) => Buffer.from(r.body, 'utf8'));
const result: ReplayResult = { calls: 0, errors: 0, failures: [], seconds: 0, cpuMs: 0, latencies: new Float64Array(input.count) };
let next = 0;

function fail(message: string): void {
  result.errors++;
  if (result.failures.length < 5) result.failures.push(message);
}

function send(index: number): Promise<void> {
  const captured = input.requests[index]!;
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(
      { agent, hostname: input.hostname, port: input.port, method: captured.method, path: captured.path, headers: captured.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const latency = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            fail(`${captured.operation}: ${res.statusCode} ${text.slice(0, 200)}`);
          } else {
            try {
              const parsed = JSON.parse(text) as Record<string, unknown>;
              if (!Array.isArray(parsed[LISTING_KEY[captured.operation] ?? ''])) fail(`${captured.operation}: no listing in ${text.slice(0, 200)}`);
              else result.latencies[result.calls++] = latency;
            } catch {
              fail(`${captured.operation}: body is not JSON: ${text.slice(0, 200)}`);
            }
          }
          resolve();
        });
      },
    );
    // A request the server never answers must fail the run, not hang it.
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (error) => {
      fail(`${captured.operation}: ${error.message}`);
      resolve();
    });
    req.end(bodies[index]);
  });
}

async function loop(): Promise<void> {
  while (next < input.count) {
    const index = (input.offset + next++) % input.requests.length;
    await send(index);
  }
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: input.connections }, loop));
result.seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
result.cpuMs = (cpu.user + cpu.system) / 1000;
result.latencies = result.latencies.slice(0, result.calls);
agent.destroy();
parentPort!.postMessage(result, [result.latencies.buffer]);
