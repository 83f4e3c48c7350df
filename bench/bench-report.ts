/**
 * What every issue-4 benchmark prints: the machine it ran on and one row per target
 * (target, measured, verdict), as a single JSON line that bench/run.ts collects.
 */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

export type Verdict = 'pass' | 'fail' | 'info' | 'pending';

export interface BenchRow {
  metric: string;
  target: string;
  measured: string;
  verdict: Verdict;
}

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  loadAverage: string;
  node: string;
  /** compiled: dist/ as `npm run bench` and `orglink` run it; tsx: the TypeScript sources under tsx's loader. */
  runtime: 'compiled' | 'tsx';
}

/** The machine as it is right now (load average at the time of the call). */
export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadAverage(),
    node: process.version,
    runtime: import.meta.url.endsWith('.ts') ? 'tsx' : 'compiled',
  };
}

/** The 1, 5 and 15 minute load averages from /proc/loadavg. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Peak resident set size of this process so far, in MB (maxRSS is in kilobytes). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Seconds since `start` (a performance.now() value), to `digits` decimals. */
export function secondsSince(start: number, digits = 2): number {
  return round((performance.now() - start) / 1000, digits);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Pass when `ok`, else fail. */
export function verdict(ok: boolean): Verdict {
  return ok ? 'pass' : 'fail';
}

/** Prints the result line bench/run.ts parses (the last stdout line that is a JSON object). */
export function printResult(result: { benchmark: string; machine: MachineInfo; rows: BenchRow[]; details: unknown }): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Progress for a human watching, on stderr so stdout stays machine-readable. */
export function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
