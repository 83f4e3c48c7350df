/**
 * `npm run bench`: runs the issue-4 benchmarks one after another (each in its own process,
 * each with its own sandbox child, so one's memory and throttling budget never touch
 * another's) and prints one table of target vs measured. Progress goes to stderr.
 * Under the sandbox's AWS-like throttling every walk of the 10,000-account organization
 * takes ≈ 7 minutes, so the whole suite takes about 55 minutes (3 walks and a 4-minute naive walk, then two syncs per database, then the events).
 * Run: npm run bench [-- <benchmark names to run>]  (builds dist/ first and runs the compiled scripts, as orglink runs in production)
 *  or: node --import tsx bench/run.ts [...]           (the TypeScript sources under tsx's loader)
 * Names:  (walk-discovery, first-sync-pglite, first-sync-postgres, event-apply-postgres, event-apply-pglite)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BenchRow, MachineInfo } from './bench-report.js';

interface Suite {
  name: string;
  file: string;
  args: string[];
}

const SUITES: Suite[] = [
  { name: 'walk-discovery', file: 'walk-discovery.ts', args: [] },
  { name: 'first-sync-pglite', file: 'first-sync.ts', args: ['pglite'] },
  { name: 'first-sync-postgres', file: 'first-sync.ts', args: ['postgres'] },
  { name: 'event-apply-postgres', file: 'event-apply.ts', args: ['postgres'] },
  { name: 'event-apply-pglite', file: 'event-apply.ts', args: ['pglite'] },
];

interface SuiteResult {
  benchmark: string;
  machine?: MachineInfo;
  rows: BenchRow[];
}

function runSuite(suite: Suite): Promise<SuiteResult> {
  return new Promise((resolve) => {
    // Compiled (dist/bench/run.js, what `npm run bench` runs) or from the sources under tsx.
    const compiled = import.meta.url.endsWith('.js');
    const script = join(import.meta.dirname, compiled ? suite.file.replace(/\.ts$/, '.js') : suite.file);
    const child = spawn(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), script, ...suite.args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.on('close', (code) => {
      const line = stdout.split('\n').reverse().find((l) => l.startsWith('{'));
      if (code === 0 && line !== undefined) {
        resolve(JSON.parse(line) as SuiteResult);
        return;
      }
      resolve({ benchmark: suite.name, rows: [{ metric: `${suite.name} did not complete`, target: '-', measured: `exit code ${code}`, verdict: 'fail' }] });
    });
  });
}

const cell = (text: string): string => text.replaceAll('|', '\\|');
const wanted = new Set(process.argv.slice(2));
const chosen = wanted.size === 0 ? SUITES : SUITES.filter((s) => wanted.has(s.name));
const results: SuiteResult[] = [];
for (const suite of chosen) {
  process.stderr.write(`\n=== ${suite.name}\n`);
  results.push(await runSuite(suite));
}

const lines = ['| benchmark | metric | target | measured | verdict |', '|---|---|---|---|---|'];
for (const result of results) {
  for (const row of result.rows) lines.push(`| ${result.benchmark} | ${cell(row.metric)} | ${cell(row.target)} | ${cell(row.measured)} | ${row.verdict} |`);
}
const machine = results.find((r) => r.machine !== undefined)?.machine;
if (machine !== undefined) {
  lines.unshift(`Machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node} (${machine.runtime}); ${machine.date}; load average ${machine.loadAverage}`, '');
}
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = results.some((r) => r.rows.some((row) => row.verdict === 'fail')) ? 1 : 0;
