/**
 * The real `orglink` binary as subprocesses: `orglink serve` with the platform credentials
 * in its environment (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, as an operator would set them),
 * and `tree`, `integration sync|test|runs` against it and a sandbox organization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { generateExternalId } from '../../src/core/external-id.js';
import { freePort, parseJson, runOrglink, startServe, type ServeProcess } from '../cli/cli-harness.js';

describe('orglink tree and integration sync (subprocess)', () => {
  let serve: ServeProcess;
  let sandbox: RunningSandbox;
  let globals: string[];

  async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(serve.url + path, {
      method,
      headers: { authorization: `Bearer ${serve.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  beforeAll(async () => {
    const sandboxPort = await freePort();
    // The server needs the sandbox's endpoint and keys at start; the sandbox needs the tenant id (External ID) first.
    serve = await startServe({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${sandboxPort}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAPLACEHOLDER00001',
      AWS_SECRET_ACCESS_KEY: 'placeholder',
    });
    const tenant = await api('POST', '/v1/tenants', { name: 'CLI sync', plan: 'enterprise' });
    const tenantId = tenant.id as string;
    sandbox = await startSandbox({ accounts: 8, ous: 2, depth: 1, seed: 17, port: sandboxPort, externalId: generateExternalId(tenantId) });
    // The server read placeholder keys from its environment: give the sandbox's platform user that key pair.
    const credential = sandbox.world.credentials.get(sandbox.platform.accessKeyId);
    if (credential === undefined) throw new Error('platform key missing');
    sandbox.world.credentials.set('AKIAPLACEHOLDER00001', { ...credential, accessKeyId: 'AKIAPLACEHOLDER00001', secretAccessKey: 'placeholder' });
    await api('POST', `/v1/tenants/${tenantId}/integrations`, {
      handle: 'acme',
      discovery: { roleName: sandbox.memberRoleName, externalId: sandbox.externalId, roleArn: sandbox.discoveryRoleArn },
    });
    globals = ['--url', serve.url, '--token', serve.adminToken, '--tenant', tenantId];
  });

  afterAll(async () => {
    await serve?.stop();
    await sandbox?.close();
  });

  it('integration test passes every step', async () => {
    const result = await runOrglink([...globals, 'integration', 'test', 'acme']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Connection OK.');
  });

  it('sync --dry-run --json prints the plan and writes nothing', async () => {
    const result = await runOrglink([...globals, '--json', 'integration', 'sync', 'acme', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const body = parseJson<{ run: { dryRun: boolean; status: string }; plan: { ops: Array<{ op: string }>; counts: Record<string, number> } }>(result);
    expect(body.run).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(body.plan.counts['add-connection']).toBe(8);
    const runs = await runOrglink([...globals, '--json', 'integration', 'runs', 'acme']);
    expect(parseJson<{ items: unknown[] }>(runs).items).toEqual([]);
  });

  it('sync --wait shows progress lines off a terminal and the summary', async () => {
    const result = await runOrglink([...globals, 'integration', 'sync', 'acme', '--wait']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('walk:');
    expect(result.stderr).toContain('probe:');
    expect(result.stdout).toMatch(/Run sr_[a-z0-9]{12}: succeeded/);
    expect(result.stdout).toContain('8 connections to add');
  });

  it('tree prints the mirror for people and as JSON', async () => {
    const human = await runOrglink([...globals, 'tree', 'acme']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^Root\/ {2}\[root\] {2}r-[a-z0-9]{4} {2}\(ok 8\)$/);
    const json = await runOrglink([...globals, '--json', 'tree', 'acme']);
    const tree = parseJson<{ nodes: Array<Record<string, unknown>> }>(json);
    expect(tree.nodes.filter((n) => n.kind === 'connection')).toHaveLength(8);
    expect(tree.nodes.filter((n) => n.kind === 'folder')).toHaveLength(3);
  });

  it('integration list and show give the last sync time and status', async () => {
    const shown = parseJson<{ sync: { lastSyncedAt: string; lastSyncStatus: string } }>(await runOrglink([...globals, '--json', 'integration', 'show', 'acme']));
    expect(shown.sync).toMatchObject({ lastSyncStatus: 'succeeded', lastSyncedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const human = await runOrglink([...globals, 'integration', 'show', 'acme']);
    expect(human.stdout).toMatch(new RegExp(`^sync\\.lastSyncedAt:\\s+${shown.sync.lastSyncedAt}$`, 'm'));
    expect(human.stdout).toMatch(/^sync\.lastSyncStatus:\s+succeeded$/m);
    const table = await runOrglink([...globals, 'integration', 'list']);
    expect(table.stdout).toMatch(new RegExp(`acme\\s.*\\s${shown.sync.lastSyncedAt}\\s+succeeded\\n`));
  });

  it('runs lists the run; an unknown integration exits 5', async () => {
    const runs = await runOrglink([...globals, 'integration', 'runs', 'acme']);
    expect(runs.stdout).toContain('succeeded');
    const missing = await runOrglink([...globals, 'tree', 'nope']);
    expect(missing.code).toBe(5);
  });
});
