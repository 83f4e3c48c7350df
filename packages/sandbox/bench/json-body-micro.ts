/**
 * Micro-benchmark behind bench/README.md's profile notes: CPU per call of the sandbox's
 * jsonBody on a 20-account ListAccounts page, against two rewrites (a for-in walk, and a
 * one-pass string writer) and plain JSON.stringify without the Date conversion.
 * Run: node --import tsx packages/sandbox/bench/json-body-micro.ts [iterations]
 */
import { jsonBody } from '../src/protocols/json-output.js';

const iterations = Number(process.argv[2] ?? 20_000);
const page = {
  Accounts: Array.from({ length: 20 }, (_, i) => ({
    Id: String(100_000_000_000 + i),
    Arn: `arn:aws:organizations::111111111111:account/o-abcdefghij/${100_000_000_000 + i}`,
    Email: `account-${i}@example.com`,
    Name: `Account ${i}`,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: 'CREATED',
    JoinedTimestamp: new Date(1_700_000_000_000 + i * 1000),
  })),
  NextToken: 'eyJzIjoiTGlzdEFjY291bnRzIiwibyI6MjB9.abcdefghijklmnopqrstuv',
};

function forInWalk(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(forInWalk);
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (Object.hasOwn(value, key) && v !== undefined) out[key] = forInWalk(v);
  }
  return out;
}

function writer(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return undefined;
  if (value instanceof Date) return String(value.getTime() / 1000);
  if (Array.isArray(value)) return `[${value.map((v) => writer(v) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const key in value) {
    const text = Object.hasOwn(value, key) ? writer((value as Record<string, unknown>)[key]) : undefined;
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

const variants: [string, (value: unknown) => string][] = [
  ['jsonBody (sandbox)', jsonBody],
  ['for-in walk + JSON.stringify', (v) => JSON.stringify(forInWalk(v))],
  ['one-pass string writer', (v) => writer(v) ?? '{}'],
  ['JSON.stringify, Dates as ISO (floor)', (v) => JSON.stringify(v)],
];
const expected = jsonBody(page);
for (const [name, serialize] of variants.slice(0, 3)) {
  if (serialize(page) !== expected) throw new Error(`${name} does not produce jsonBody's output`);
}
for (let round = 0; round < 3; round++) {
  for (const [name, serialize] of variants) {
    const before = process.cpuUsage();
    for (let i = 0; i < iterations; i++) serialize(page);
    const cpu = process.cpuUsage(before);
    if (round === 2) console.log(`${name.padEnd(40)} ${((cpu.user + cpu.system) / 1000 / iterations).toFixed(4)} ms CPU per page`);
  }
}
console.log(`page: ${Buffer.byteLength(expected)} bytes`);
