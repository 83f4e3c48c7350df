import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamService } from '../src/services/iam.js';
import { stsService } from '../src/services/sts.js';
import { startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { CUSTOMER_ACCOUNT, EXTERNAL_ID, createTrustWorld } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

// The independent client of issue 3 §1: Debian's boto3 runs scripts/smoke-boto3.py against the sandbox.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../scripts/smoke-boto3.py', import.meta.url));

describe('boto3 smoke script', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;

  beforeAll(async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(`boto3 is not importable by ${PYTHON}; run scripts/ensure-python-clients.sh (installs Debian's python3-boto3). ${probe.stderr ?? ''}`);
    }
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService] });
  });
  afterAll(() => sandbox?.close());

  it('passes every check', async () => {
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [SCRIPT, '--endpoint', sandbox.endpoint, '--role-arn', `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/OrgLinkMember`, '--external-id', EXTERNAL_ID],
      { env: { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: tw.platform.accessKeyId, AWS_SECRET_ACCESS_KEY: tw.platform.secretAccessKey, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`smoke-boto3.py failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as { check: string; ok: boolean });
    expect(results.map((r) => [r.check, r.ok])).toEqual([
      ['check_caller_identity', true],
      ['check_assume_role', true],
      ['check_wrong_external_id', true],
      ['check_iam_list_roles', true],
    ]);
    expect(results[1]).toMatchObject({ assumedRoleArn: `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/OrgLinkMember/boto3-smoke` });
  });
});
