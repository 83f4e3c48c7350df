import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../src/start-sandbox.js';
import type { RunningSandbox } from '../src/start-sandbox.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPTS = join(import.meta.dirname, '..', 'scripts');

describe('an independent client (Debian boto3) against the sandbox Organizations API', () => {
  beforeAll(async () => {
    const probe = await run(PYTHON, ['-c', 'import boto3']).catch((error: Error) => error);
    if (probe instanceof Error) throw new Error('python3-boto3 is not installed: run scripts/ensure-python-clients.sh', { cause: probe });
  });

  it('passes the Organizations smoke script (reads, paginators, changes, errors)', async () => {
    const { stdout } = await run(PYTHON, [join(SCRIPTS, 'smoke-organizations-boto3.py')], { timeout: 90_000 });
    expect(stdout).toMatch(/Organizations smoke passed \(45 accounts, 6 OUs\)/);
  });

  describe('smoke-boto3.py --organizations', () => {
    let sandbox: RunningSandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ seed: 6, accounts: 23, ous: 4, depth: 2 });
    });
    afterAll(async () => sandbox.close());

    it('walks the organization with the discovery role', async () => {
      const args = ['--endpoint', sandbox.endpoint, '--role-arn', sandbox.discoveryRoleArn, '--external-id', sandbox.externalId, '--organizations'];
      const env = {
        PATH: process.env.PATH ?? '',
        AWS_ACCESS_KEY_ID: sandbox.platform.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sandbox.platform.secretAccessKey,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      };
      const { stdout } = await run(PYTHON, [join(SCRIPTS, 'smoke-boto3.py'), ...args], { env, timeout: 60_000 }).catch(
        (error: { stdout?: string; stderr?: string }) => {
          throw new Error(`smoke-boto3.py failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
        },
      );
      const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as { check: string; ok: boolean });
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.find((r) => r.check === 'check_organizations_walk')).toMatchObject({ accounts: 23, ous: 4 });
      expect(results.map((r) => r.check)).toContain('check_organizations_errors');
    });
  });
});
