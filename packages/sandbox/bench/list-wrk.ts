/**
 * Optional third opinion for list-throughput-raw.ts: Debian's `wrk` (C, one event loop
 * per thread) replaying the same pre-signed requests through a generated Lua script.
 * wrk runs for a fixed time and counts answers that are not 2xx/3xx itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CapturedRequest } from './list-capture.js';

export interface WrkResult {
  calls: number;
  non2xx: number;
  socketErrors: number;
  seconds: number;
  callsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

/** Runs wrk for `seconds` with `connections` over `threads`, replaying `requests` round-robin. */
export async function runWrk(endpoint: string, requests: CapturedRequest[], seconds: number, connections: number, threads: number): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-wrk-'));
  try {
    const script = join(dir, 'replay.lua');
    writeFileSync(script, luaScript(requests));
    const output = await run('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, endpoint]);
    const summary = /^BENCH (\{.*\})$/m.exec(output);
    if (!summary) throw new Error(`wrk printed no summary:\n${output}`);
    const parsed = JSON.parse(summary[1]!) as { requests: number; non2xx: number; socketErrors: number; micros: number; p50: number; p99: number };
    const elapsed = parsed.micros / 1e6;
    return {
      calls: parsed.requests,
      non2xx: parsed.non2xx,
      socketErrors: parsed.socketErrors,
      seconds: Number(elapsed.toFixed(1)),
      callsPerSecond: Math.round(parsed.requests / elapsed),
      latencyMs: { p50: Number((parsed.p50 / 1000).toFixed(2)), p99: Number((parsed.p99 / 1000).toFixed(2)) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A wrk script whose request() hands out the raw signed requests in turn, each thread from its own offset. */
function luaScript(requests: CapturedRequest[]): string {
  const raw = requests.map((r) => {
    const headers = Object.entries(r.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const text = `${r.method} ${r.path} HTTP/1.1\r\n${headers}\r\n${r.body}`;
    // JSON string escapes are valid Lua escapes as long as the text is printable ASCII.
    if (!/^[\x20-\x7e\r\n]*$/.test(text)) throw new Error('a captured request is not printable ASCII');
    return JSON.stringify(text);
  });
  return `local reqs = {\n${raw.join(',\n')}\n}
local counter = 0
setup = function(thread)
  thread:set("offset", counter * 97)
  counter = counter + 1
end
init = function(args)
  index = offset or 0
end
request = function()
  index = index % #reqs + 1
  return reqs[index]
end
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('BENCH {"requests":%d,"non2xx":%d,"socketErrors":%d,"micros":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, non2xx, socket, summary.duration, latency:percentile(50), latency:percentile(99)))
end
`;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`))));
  });
}
