/**
 * The sandbox side of list-throughput-raw.ts, run as its own process so its CPU is
 * measured apart from the load generator's. It serves a 10,000-account, 1,000-OU org
 * (depth 5, 10% blocked) with latency and throttling off, sends its endpoint and root
 * keys over IPC, and answers `{ type: 'usage' }` with its own process.cpuUsage() and RSS.
 * `{ type: 'profile-start' }` / `{ type: 'profile-stop', file }` record a V8 CPU profile of
 * just the measured phase (not the org generation or the request capture).
 * Run by the benchmark: node --import tsx list-server-child.ts
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startSandbox } from '../src/start-sandbox.js';

export interface ServerInfo {
  type: 'ready';
  endpoint: string;
  region: string;
  managementRoot: { accessKeyId: string; secretAccessKey: string };
}

export interface ServerUsage {
  type: 'usage';
  /** process.cpuUsage() of the server process, microseconds. */
  user: number;
  system: number;
  rssMb: number;
}

/** Profiling started (file empty) or the profile was written to `file`. */
export interface ProfileAck {
  type: 'profile';
  file: string;
}

const send = (message: ServerInfo | ServerUsage | ProfileAck): void => {
  process.send?.(message);
};

const sandbox = await startSandbox({ seed: 1, accounts: 10_000, ous: 1_000, depth: 5, blocked: 0.1, throttle: false });
const session = new Session();
process.on('message', (message: { type?: string; file?: string }) => {
  if (message.type === 'profile-start') {
    session.connect();
    void session
      .post('Profiler.enable')
      .then(() => session.post('Profiler.setSamplingInterval', { interval: 200 }))
      .then(() => session.post('Profiler.start'))
      .then(() => send({ type: 'profile', file: '' }));
  } else if (message.type === 'profile-stop' && message.file) {
    const file = message.file;
    void session.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      send({ type: 'profile', file });
    });
  } else if (message.type === 'usage') {
    const cpu = process.cpuUsage();
    send({ type: 'usage', user: cpu.user, system: cpu.system, rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024) });
  } else if (message.type === 'stop') {
    void sandbox.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => {
  void sandbox.close().then(() => process.exit(0));
});
send({ type: 'ready', endpoint: sandbox.endpoint, region: sandbox.region, managementRoot: sandbox.managementRoot });
