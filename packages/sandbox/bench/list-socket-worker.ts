/**
 * The lightest load generator for list-throughput-raw.ts: each of `connections` plain TCP
 * sockets writes one pre-serialized, pre-signed HTTP/1.1 request, reads the answer
 * (status line, Content-Length, body), checks it is 200 with a JSON listing, and sends the
 * next, until the thread has sent `count`. Node's http client costs about as much CPU per
 * call as the sandbox itself; this costs a fraction, like wrk.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { LISTING_KEY, type ReplayInput } from './replay-input.js';
import type { ReplayResult } from './list-replay-worker.js';

// The listing as it starts in the raw body: a substring check, cheaper than parsing the JSON.
const LISTING_START: Record<string, string> = Object.fromEntries(Object.entries(LISTING_KEY).map(([operation, key]) => [operation, `"${key}":[`]));
const HEADER_END = Buffer.from('\r\n\r\n');

const input = workerData as ReplayInput;
const wire = input.requests.map((r) => {
  const headers = Object.entries({ ...r.headers, connection: 'keep-alive' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\n${headers}\r\n${r.body}`, 'utf8');
});
const result: ReplayResult = { calls: 0, errors: 0, failures: [], seconds: 0, cpuMs: 0, latencies: new Float64Array(input.count) };
let next = 0;

function fail(message: string): void {
  result.errors++;
  if (result.failures.length < 5) result.failures.push(message);
}

/** Sends requests on one socket, one at a time, until the thread's quota is used up. */
function drive(): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: input.hostname, port: input.port, noDelay: true });
    let buffer: Buffer = Buffer.alloc(0);
    let index = 0;
    let started = 0;
    const sendNext = (): void => {
      if (next >= input.count) {
        socket.end();
        return resolve();
      }
      index = (input.offset + next++) % wire.length;
      started = performance.now();
      socket.write(wire[index]!);
    };
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
    socket.on('connect', sendNext);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const headEnd = buffer.indexOf(HEADER_END);
      if (headEnd < 0) return;
      const head = buffer.toString('latin1', 0, headEnd);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) {
        fail(`no Content-Length in ${head.slice(0, 200)}`);
        return socket.destroy();
      }
      const end = headEnd + 4 + Number(length[1]);
      if (buffer.length < end) return;
      const latency = performance.now() - started;
      const body = buffer.toString('utf8', headEnd + 4, end);
      buffer = buffer.subarray(end);
      check(index, head, body, latency);
      sendNext();
    });
    socket.on('error', (error) => {
      fail(`socket: ${error.message}`);
      resolve();
    });
  });
}

function check(index: number, head: string, body: string, latency: number): void {
  const operation = input.requests[index]!.operation;
  if (!head.startsWith('HTTP/1.1 200 ')) return fail(`${operation}: ${head.slice(0, 40)} ${body.slice(0, 200)}`);
  try {
    JSON.parse(body);
  } catch {
    return fail(`${operation}: body is not JSON: ${body.slice(0, 200)}`);
  }
  if (!body.includes(LISTING_START[operation] ?? '\u0000')) return fail(`${operation}: no listing in ${body.slice(0, 200)}`);
  result.latencies[result.calls++] = latency;
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: input.connections }, drive));
result.seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
result.cpuMs = (cpu.user + cpu.system) / 1000;
result.latencies = result.latencies.slice(0, result.calls);
parentPort!.postMessage(result, [result.latencies.buffer]);
