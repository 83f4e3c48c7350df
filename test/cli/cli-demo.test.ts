/**
 * `orglink demo` as a new user runs it: a subprocess that serves the API with a sandbox AWS
 * Organization and example data; the printed integration really opens the sandbox's
 * discovery role, and a second run finds everything the first one made.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, parseJson, runOrglink } from './cli-harness.js';

const BIN = resolve(import.meta.dirname, '../../bin/orglink.mjs');

interface DemoSummary {
  url: string;
  adminToken: string;
  tenantId: string;
  orgId: string;
  workspaceId: string;
  integration: { id: string; handle: string; roleArn: string; externalId: string };
  sandbox: { endpoint: string; region: string; platform: { accessKeyId: string; secretAccessKey: string } };
}

/** Runs `orglink demo --json` until its summary is printed; `stop()` sends SIGINT and resolves with the exit code. */
async function startDemo(dataDir: string, port: number): Promise<{ summary: DemoSummary; stop(): Promise<string> }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ORGLINK_') && key !== 'DATABASE_URL'));
  const child = spawn(process.execPath, [BIN, 'demo', '--json', '--data-dir', dataDir, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<string>((done) => child.once('close', (code, signal) => done(`code ${code} signal ${signal}`)));
  const summary = await new Promise<DemoSummary>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        done(JSON.parse(stdout) as DemoSummary);
      } catch {
        // the JSON object is not complete yet
      }
    });
    void exited.then((how) => fail(new Error(`orglink demo exited (${how}):\n${stdout}\n${stderr}`)));
  });
  return {
    summary,
    /** SIGINT; resolves with how the process ended and what it printed on stderr. */
    async stop() {
      child.kill('SIGINT');
      return `${await exited}\n${stderr}`;
    },
  };
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'orglink-demo-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('orglink demo', () => {
  it('serves example data wired to the sandbox, and is idempotent across runs', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const first = await startDemo(dataDir, port);
    const { summary } = first;
    try {
      expect(summary.url).toBe(`http://127.0.0.1:${port}`);
      expect(summary.integration.externalId).toMatch(new RegExp(`^${summary.orgId}:[A-Za-z0-9]{8}$`));

      const shown = await runOrglink(['integration', 'show', summary.integration.handle, '--json'], {
        ORGLINK_URL: summary.url,
        ORGLINK_TOKEN: summary.adminToken,
        ORGLINK_TENANT: summary.tenantId,
      });
      expect(shown.code, shown.stderr).toBe(0);
      expect(parseJson<{ orgId: string; discovery: Record<string, string> }>(shown)).toMatchObject({
        orgId: summary.orgId,
        discovery: { roleArn: summary.integration.roleArn, externalId: summary.integration.externalId },
      });

      // The platform principal really can assume the discovery role with the integration's External ID.
      const sts = new STSClient({
        endpoint: summary.sandbox.endpoint,
        region: summary.sandbox.region,
        credentials: summary.sandbox.platform,
      });
      const assumed = await sts.send(
        new AssumeRoleCommand({ RoleArn: summary.integration.roleArn, RoleSessionName: 'cli-demo-test', ExternalId: summary.integration.externalId }),
      );
      expect(assumed.Credentials?.AccessKeyId).toBeTruthy();
      sts.destroy();
    } finally {
      expect(await first.stop()).toMatch(/^code 0 signal null\n/);
    }

    const second = await startDemo(dataDir, port);
    try {
      expect(second.summary).toMatchObject({
        adminToken: summary.adminToken,
        tenantId: summary.tenantId,
        orgId: summary.orgId,
        workspaceId: summary.workspaceId,
        integration: summary.integration,
      });
    } finally {
      expect(await second.stop()).toMatch(/^code 0 signal null\n/);
    }
  });
});
