/**
 * The sandbox side of list-throughput-raw.ts, run as its own process so its CPU is
 * measured apart from the load generator's. It serves a 10,000-account, 1,000-OU org
 * (depth 5, 10% blocked) with latency and throttling off, sends its endpoint and root
 * keys over IPC, and answers `{ type: 'usage' }` with its own process.cpuUsage() and RSS.
 * Run by the benchmark: node --import tsx [--cpu-prof] list-server-child.ts
 */
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

const send = (message: ServerInfo | ServerUsage): void => {
  process.send?.(message);
};

const sandbox = await startSandbox({ seed: 1, accounts: 10_000, ous: 1_000, depth: 5, blocked: 0.1, throttle: false });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'usage') {
    const cpu = process.cpuUsage();
    send({ type: 'usage', user: cpu.user, system: cpu.system, rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024) });
  } else if (message.type === 'stop') {
    // A normal exit (not a signal) so --cpu-prof writes its profile.
    void sandbox.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => {
  void sandbox.close().then(() => process.exit(0));
});
send({ type: 'ready', endpoint: sandbox.endpoint, region: sandbox.region, managementRoot: sandbox.managementRoot });
