/** `orglink worker` refuses what it cannot run, as a subprocess: no PostgreSQL, bad flags. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';

const ENTRY = fileURLToPath(new URL('../../bin/orglink.mjs', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'orglink-worker-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function runWorker(args: string[], env: Record<string, string>): { status: number | null; stderr: string } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ORGLINK_') && key !== 'DATABASE_URL')) as Record<string, string>;
  const result = spawnSync(process.execPath, [ENTRY, 'worker', ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr };
}

describe('orglink worker', () => {
  it.each([
    ['without DATABASE_URL', [], {}, 'database_url_required'],
    ['with --concurrency 0', ['--concurrency', '0'], { DATABASE_URL: 'postgres://127.0.0.1:5432/none', ORGLINK_SECRET_KEY: randomBytes(32).toString('base64') }, 'invalid_flag_value'],
    ['with --tick-seconds soon', ['--tick-seconds', 'soon'], {}, 'invalid_flag_value'],
  ])('refuses to start %s', (_name, args, env, code) => {
    const result = runWorker(args, env);
    expect(result.stderr).toContain(`[${code}]`);
    expect(result.status).toBe(EXIT.usage);
    // Refused before anything was written: no embedded-mode secret key appeared.
    expect(existsSync(join(cwd, '.orglink'))).toBe(false);
  });
});
