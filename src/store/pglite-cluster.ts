/**
 * How orglink runs embedded PostgreSQL (PGlite) without its memory peak:
 *
 * - Creating a cluster costs several times what running one does. PGlite 0.5 runs initdb
 *   as a second WebAssembly program beside a helper PostgreSQL instance and copies the
 *   result into the real one; measured on this project's machine, a process that creates a
 *   cluster peaked at 590–890 MB RSS, one that opens an existing cluster at 155–185 MB.
 *   Like PostgreSQL's own initdb, creation therefore runs once, in a short-lived child
 *   process, and the long-running orglink process only ever opens an existing cluster.
 * - PostgreSQL's default shared_buffers (128 MB) is sized for a server with many
 *   connections; PGlite has one session and sits on the OS page cache, so the embedded
 *   default is smaller (see DEFAULT_PGLITE_SHARED_BUFFERS_MB).
 * - V8 compiles PGlite's 9 MB of WebAssembly twice over: first with its baseline compiler
 *   (Liftoff), then hot functions again with its optimizing one (TurboFan). The optimized
 *   code and the compile jobs cost about 70–100 MB of RSS, while for orglink's short queries
 *   speed is a wash (bench/README.md and docs/configuration.md have the figures), so by
 *   default PGlite runs on baseline code only.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

/** shared_buffers of the embedded database, in MB; see bench/README.md for the measurements behind it. */
export const DEFAULT_PGLITE_SHARED_BUFFERS_MB = 16;

/** PGlite's own start parameters plus orglink's memory settings. */
export function pgliteStartParams(sharedBuffersMb: number = DEFAULT_PGLITE_SHARED_BUFFERS_MB): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`];
}

let baselineOnly = false;

/**
 * Stops V8 from optimizing WebAssembly compiled from now on (the flag is process-wide, and
 * PGlite is the only sizeable WebAssembly orglink runs). Call before the first PGlite.create.
 */
export function useBaselineWasmCompiler(): void {
  if (baselineOnly) return;
  v8.setFlagsFromString('--liftoff-only');
  baselineOnly = true;
}

/** What ensurePgliteCluster did. */
export interface ClusterInit {
  created: boolean;
  /** Peak RSS of the initdb child, when one ran. */
  initPeakRssMb?: number;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./pglite-initdb-child.mjs', import.meta.url));
// initdb takes 2–15 s on a loaded 2-core machine; far beyond that something is wrong.
const INIT_TIMEOUT_MS = 5 * 60_000;

/**
 * Makes sure `pgdata` holds a PGlite cluster, creating it in a child process when the
 * directory is missing or empty. The cluster is built beside it and renamed into place, so
 * a crash mid-way never leaves a half-made cluster where the next start would look.
 * The caller must hold the data directory's lock.
 */
export async function ensurePgliteCluster(pgdata: string, startParams: string[] = pgliteStartParams()): Promise<ClusterInit> {
  const state = await clusterState(pgdata);
  if (state === 'cluster') return { created: false };
  if (state === 'other') {
    // Never initdb over files we did not make: they may be a half-restored backup.
    throw new Error(`${pgdata} is not empty but holds no database cluster (no PG_VERSION file); move it away or choose another data directory`);
  }
  const staging = `${pgdata}.init-${randomBytes(4).toString('hex')}`;
  try {
    const initPeakRssMb = await runInitdbChild(staging, startParams);
    // rmdir, never a recursive delete: it removes the empty directory checked above, or fails.
    await rmdir(pgdata).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, pgdata);
    return { created: true, initPeakRssMb };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function clusterState(pgdata: string): Promise<'cluster' | 'absent' | 'other'> {
  try {
    await stat(`${pgdata}/PG_VERSION`);
    return 'cluster';
  } catch {
    // no PG_VERSION: fall through
  }
  try {
    return (await readdir(pgdata)).length === 0 ? 'absent' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

function runInitdbChild(directory: string, startParams: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      // Baseline code only, whatever the server uses: initdb runs once, and measured 2.2 s and
      // 660 MB peak this way against 4.5 s and 890 MB with the optimizing compiler as well.
      ['--liftoff-only', CHILD_SCRIPT, directory, JSON.stringify(startParams)],
      // A bare node: the parent's loaders and flags (tsx, vitest, --inspect) are not wanted here.
      { timeout: INIT_TIMEOUT_MS, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const detail = stderr.trim().split('\n').slice(-5).join('\n') || error.message;
          reject(new Error(`creating the embedded database failed: ${detail}`, { cause: error }));
          return;
        }
        resolve(reportedPeakRssMb(stdout));
      },
    );
  });
}

/** The child's last stdout line is its report; anything else PGlite printed is ignored (0 when there is none). */
function reportedPeakRssMb(stdout: string): number {
  try {
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { peakRssMb?: unknown };
    return typeof report.peakRssMb === 'number' ? report.peakRssMb : 0;
  } catch {
    return 0;
  }
}
