/**
 * Runs the real `orglink` binary as a subprocess: `orglink serve` on a free port with a
 * temporary data directory, and one-shot client commands against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateApiToken } from '../../src/core/api-token.js';

const BIN = resolve(import.meta.dirname, '../../bin/orglink.mjs');
const REPO = resolve(import.meta.dirname, '../..');

/** What one CLI run produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node bin/orglink.mjs ...args` and waits for it to exit. */
export function runOrglink(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  await new Promise<void>((closed) => server.close(() => closed()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A running `orglink serve` subprocess. */
export interface ServeProcess {
  url: string;
  dataDir: string;
  adminToken: string;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, wait for exit, remove the data dir; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `orglink serve` on a free port with a fresh data dir and a known admin token (plus extra env and flags). */
export async function startServe(extraEnv: Record<string, string> = {}, extraArgs: string[] = []): Promise<ServeProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'orglink-cli-'));
  const port = await freePort();
  const adminToken = generateApiToken().token;
  const env = cleanEnv({
    ORGLINK_ADMIN_TOKEN: adminToken,
    ORGLINK_PLATFORM_PRINCIPAL_ARN: 'arn:aws:iam::123456789012:role/orglink-platform',
    ...extraEnv,
  });
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1', ...extraArgs], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);
  return {
    url,
    dataDir,
    adminToken,
    output: () => output,
    async stop() {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill('SIGTERM');
      const code = child.exitCode ?? (await exited);
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`orglink serve exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((later) => setTimeout(later, 200));
  }
}

/** The parent's environment without ORGLINK_* (so a developer's shell cannot leak in), plus `env`. */
function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ORGLINK_') && key !== 'DATABASE_URL'));
  const merged: NodeJS.ProcessEnv = { ...base, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Parses stdout as JSON, with the whole result in the error when it is not. */
export function parseJson<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}
