/**
 * Benchmark: generate a 10,000-account, 1,000-OU organization (depth 5, 10% blocked)
 * and report the time and the process memory it costs. Targets: < 10 s, < 300 MB RSS.
 * Run: node --import tsx packages/sandbox/bench/create-org.ts [accounts] [ous]
 */
import { generateOrganization } from '../src/generator.js';
import { createWorld } from '../src/world-factory.js';

const accounts = Number(process.argv[2] ?? 10_000);
const ous = Number(process.argv[3] ?? 1_000);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

globalThis.gc?.();
const before = process.memoryUsage();
const started = performance.now();
const world = createWorld({ seed: 1 });
const generated = generateOrganization(world, { seed: 1, accounts, ous, depth: 5, blocked: 0.1 });
const seconds = (performance.now() - started) / 1000;
globalThis.gc?.();
const after = process.memoryUsage();

console.log(
  JSON.stringify({
    benchmark: 'create-org',
    accounts: generated.accountCount,
    ous: generated.ouCount,
    blocked: generated.blockedAccounts.length,
    seconds: Number(seconds.toFixed(2)),
    rssMb: mb(after.rss),
    heapUsedMb: mb(after.heapUsed),
    heapGrowthMb: mb(after.heapUsed - before.heapUsed),
    targets: { seconds: 10, rssMb: 300 },
    pass: seconds < 10 && mb(after.rss) < 300,
  }),
);
