import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'smoke-organizations-boto3.py');

describe('an independent client (Debian boto3) against the sandbox', () => {
  it('passes the Organizations smoke script', async () => {
    const probe = await run('/usr/bin/python3', ['-c', 'import boto3']).catch((error: Error) => error);
    if (probe instanceof Error) throw new Error('python3-boto3 is not installed: run scripts/ensure-python-clients.sh', { cause: probe });
    const { stdout } = await run('/usr/bin/python3', [SCRIPT], { timeout: 90_000 });
    expect(stdout).toMatch(/Organizations smoke passed \(45 accounts, 6 OUs\)/);
  });
});
