/**
 * One load-generating thread for list-throughput.ts: its own SDK client and keep-alive
 * agent, `concurrency` loops paging ListAccountsForParent over the root until time is up
 * (or, when `maxCalls` is given, until this thread has sent that many calls).
 */
import { Agent } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { ListAccountsForParentCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  /** The whole process's CPU over this thread's run (process.cpuUsage is process-wide): do not sum over threads. */
  cpuMs: number;
  latencies: number[];
}

const { endpoint, region, managementRoot, seconds, concurrency, maxCalls } = workerData as {
  endpoint: string;
  region: string;
  managementRoot: { accessKeyId: string; secretAccessKey: string };
  seconds: number;
  concurrency: number;
  maxCalls?: number;
};
const client = new OrganizationsClient({
  endpoint,
  region,
  credentials: managementRoot,
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) }),
});
const root = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!;
const result: LoadResult = { calls: 0, errors: 0, seconds: 0, cpuMs: 0, latencies: [] };
const cpuBefore = process.cpuUsage();
const started = performance.now();
const deadline = started + seconds * 1000;
let issued = 0;

async function loop(): Promise<void> {
  let token: string | undefined;
  while (performance.now() < deadline && (maxCalls === undefined || issued < maxCalls)) {
    issued++;
    const callStarted = performance.now();
    try {
      const out = await client.send(new ListAccountsForParentCommand({ ParentId: root, MaxResults: 20, NextToken: token }));
      token = out.NextToken;
      result.calls++;
      result.latencies.push(performance.now() - callStarted);
    } catch {
      result.errors++;
      token = undefined;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, loop));
result.seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
result.cpuMs = (cpu.user + cpu.system) / 1000;
client.destroy();
parentPort!.postMessage(result);
