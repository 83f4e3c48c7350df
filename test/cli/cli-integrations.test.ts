/**
 * Integrations, templates and standalone connections through the CLI, as subprocesses
 * against `orglink serve` (also a subprocess).
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, runOrglink, startServe, type ServeProcess } from './cli-harness.js';

let server: ServeProcess;
let env: Record<string, string>;
let orgId: string;
const templateFile = join(tmpdir(), `orglink-cli-template-${process.pid}.json`);

beforeAll(async () => {
  server = await startServe();
  const admin = { ORGLINK_URL: server.url, ORGLINK_TOKEN: server.adminToken };
  const tenant = parseJson<{ id: string }>(await runOrglink(['tenant', 'create', '--name', 'Initech', '--plan', 'enterprise', '--json'], admin));
  env = { ...admin, ORGLINK_TENANT: tenant.id };
  orgId = parseJson<{ id: string }>(await runOrglink(['org', 'create', '--name', 'Ops', '--plan', 'team', '--json'], env)).id;
});

afterAll(async () => {
  await rm(templateFile, { force: true });
  expect(await server?.stop()).toBe(0);
});

interface IntegrationJson {
  id: string;
  handle: string;
  orgId: string | null;
  discovery: { roleName: string; externalId: string; roleArn: string | null };
  connections: { handlePrefix: string | null; regions: 'all' | string[]; advanced: Record<string, unknown> };
  capabilities: string[];
  extraActions: string[];
  sync: { lastSyncedAt: string | null; lastSyncStatus: string | null; intervalSeconds: number | null };
}

describe('orglink integration', { timeout: 180_000 }, () => {
  it('creates an org-level integration from flags, and refuses a clashing handle (exit 6)', async () => {
    const created = await runOrglink(
      [
        'integration', 'create', '--org', orgId, '--handle', 'aws-main', '--role-name', 'OrglinkRole',
        '--role-arn', 'arn:aws:iam::123456789012:role/OrglinkRole', '--handle-prefix', 'main',
        '--regions', 'us-east-1,eu-west-1', '--max-error-retry-attempts', '4',
        '--capability', 'discovery', '--capability', 'read_only', '--extra-action', 's3:GetObject', '--sync-interval', '3600', '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const integration = parseJson<IntegrationJson>(created);
    expect(integration).toMatchObject({
      handle: 'aws-main',
      orgId,
      discovery: { roleName: 'OrglinkRole', roleArn: 'arn:aws:iam::123456789012:role/OrglinkRole' },
      connections: { handlePrefix: 'main', regions: ['us-east-1', 'eu-west-1'], advanced: { maxErrorRetryAttempts: 4 } },
      extraActions: ['s3:GetObject'],
      sync: { lastSyncedAt: null, lastSyncStatus: null, intervalSeconds: 3600 },
    });
    expect(integration.discovery.externalId).toMatch(new RegExp(`^${orgId}:[A-Za-z0-9]{8}$`));

    const clash = await runOrglink(['integration', 'create', '--handle', 'aws-main', '--role-name', 'Other'], env);
    expect(clash.code).toBe(6);
    expect(clash.stderr).toMatch(/^error: /);
  });

  it('lists (table and JSON) and shows by handle', async () => {
    const table = await runOrglink(['integration', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+HANDLE\s+SCOPE\s+ROLE NAME\s+EXTERNAL ID\s+REGIONS\s+LAST SYNC\s+SYNC STATUS\n/);
    expect(table.stdout).toMatch(new RegExp(`aws-main\\s+${orgId}\\s+OrglinkRole\\s+\\S+\\s+us-east-1,eu-west-1\\s+-\\s+-\\n`));

    const shown = await runOrglink(['integration', 'show', 'aws-main'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^discovery\.roleName:\s+OrglinkRole$/m);
    expect(shown.stdout).toMatch(/^connections\.regions:\s+us-east-1,eu-west-1$/m);
    expect(shown.stdout).toMatch(/^sync\.lastSyncedAt:\s+-$/m);
    expect(shown.stdout).toMatch(/^sync\.lastSyncStatus:\s+-$/m);
    expect(shown.stdout).toMatch(/^sync\.intervalSeconds:\s+3600$/m);
  });

  it('--sync-interval sets seconds, off or default; out-of-range is the API\'s 400 and a malformed value a usage error (both exit 2)', async () => {
    const interval = async (value: string) => {
      const result = await runOrglink(['integration', 'update', 'aws-main', '--sync-interval', value, '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      return parseJson<IntegrationJson>(result).sync.intervalSeconds;
    };
    expect(await interval('off')).toBe(0);
    const shownOff = await runOrglink(['integration', 'show', 'aws-main'], env);
    expect(shownOff.stdout).toMatch(/^sync\.intervalSeconds:\s+off$/m);
    expect(await interval('default')).toBeNull();
    const shownDefault = await runOrglink(['integration', 'show', 'aws-main'], env);
    expect(shownDefault.stdout).toMatch(/^sync\.intervalSeconds:\s+default$/m);
    const shownJson = parseJson<IntegrationJson>(await runOrglink(['integration', 'show', 'aws-main', '--json'], env));
    expect(shownJson.sync).toEqual({ lastSyncedAt: null, lastSyncStatus: null, intervalSeconds: null });
    expect(await interval('604800')).toBe(604_800);

    const outOfRange = await runOrglink(['integration', 'update', 'aws-main', '--sync-interval', '299', '--json'], env);
    expect(outOfRange.code).toBe(2);
    expect(JSON.parse(outOfRange.stderr)).toMatchObject({ status: 400, code: 'sync_interval_invalid', field: 'sync.intervalSeconds' });
    const malformed = await runOrglink(['integration', 'update', 'aws-main', '--sync-interval', '1.5'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("Give whole seconds, 'default' or 'off'.");
    expect(parseJson<IntegrationJson>(await runOrglink(['integration', 'show', 'aws-main', '--json'], env)).sync.intervalSeconds).toBe(604_800);
  });

  it('updates only the given fields; an invalid value is exit 2', async () => {
    const updated = await runOrglink(['integration', 'update', 'aws-main', '--handle', 'aws-prod', '--no-handle-prefix', '--regions', 'all', '--json'], env);
    expect(updated.code, updated.stderr).toBe(0);
    expect(parseJson<IntegrationJson>(updated)).toMatchObject({
      handle: 'aws-prod',
      discovery: { roleName: 'OrglinkRole' },
      connections: { handlePrefix: null, regions: 'all', advanced: { maxErrorRetryAttempts: 4 } },
    });

    const invalid = await runOrglink(['integration', 'update', 'aws-prod', '--external-id', 'wrong:abc', '--json'], env);
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stderr)).toMatchObject({ status: 400, field: expect.stringContaining('externalId') });
  });

  it('renders templates to stdout and to a file', async () => {
    const yaml = await runOrglink(['integration', 'templates', 'aws-prod', '--format', 'cloudformation'], env);
    expect(yaml.code, yaml.stderr).toBe(0);
    const parsed = parseYaml(yaml.stdout) as { Resources: Record<string, unknown> };
    expect(Object.keys(parsed.Resources).length).toBeGreaterThan(0);
    expect(yaml.stdout).toContain('sts:ExternalId');

    const written = await runOrglink(['integration', 'templates', 'aws-prod', '--format', 'cloudformation-json', '--output', templateFile], env);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe('');
    const json = JSON.parse(await readFile(templateFile, 'utf8')) as { Resources: Record<string, unknown> };
    expect(Object.keys(json.Resources).length).toBeGreaterThan(0);
  });

  // A missing --confirm is refused before any request: see src/cli/program.test.ts.
  it('deletes only with the handle typed back: a wrong --confirm is exit 2', async () => {
    const wrong = await runOrglink(['integration', 'delete', 'aws-prod', '--confirm', 'aws-main'], env);
    expect(wrong.code).toBe(2);

    const deleted = await runOrglink(['integration', 'delete', 'aws-prod', '--confirm', 'aws-prod', '--json'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(parseJson<{ deleted: boolean; handle: string }>(deleted)).toMatchObject({ deleted: true, handle: 'aws-prod' });

    const gone = await runOrglink(['integration', 'show', 'aws-prod', '--json'], env);
    expect(gone.code).toBe(5);
    expect(JSON.parse(gone.stderr)).toMatchObject({ status: 404 });
  });
});

describe('orglink connection', { timeout: 180_000 }, () => {
  it('creates single-account and all-accounts standalone connections, lists and shows them', async () => {
    const single = await runOrglink(
      ['connection', 'create', '--handle', 'billing', '--account-id', '123456789012', '--role-name', 'OrglinkRole', '--regions', 'us-east-1', '--json'],
      env,
    );
    expect(single.code, single.stderr).toBe(0);
    expect(parseJson<Record<string, unknown>>(single)).toMatchObject({ handle: 'billing', accountId: '123456789012', standalone: true, regions: ['us-east-1'] });

    const all = await runOrglink(['connection', 'create', '--handle', 'finops', '--all-accounts', '--role-name', 'FinOps', '--org', orgId], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^accountScope:\s+all$/m);

    const table = await runOrglink(['connection', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+HANDLE\s+ACCOUNTS\s+ROLE NAME\s+REGIONS\s+SOURCE\s+HEALTH\n/);
    expect(table.stdout).toMatch(/billing\s+123456789012\s+OrglinkRole\s+us-east-1\s+standalone/);
    expect(table.stdout).toMatch(/finops\s+all\s+FinOps/);

    const shown = parseJson<{ handle: string; externalId: string }>(await runOrglink(['connection', 'show', 'billing', '--json'], env));
    expect(shown.handle).toBe('billing');
    expect(shown.externalId).toMatch(/^[a-z]_[a-z0-9]{12}:[A-Za-z0-9]{8}$/);

    const template = await runOrglink(['connection', 'templates', 'billing'], env);
    expect(template.code, template.stderr).toBe(0);
    expect(parseYaml(template.stdout)).toMatchObject({ Resources: expect.any(Object) });
    expect(template.stdout).toContain(shown.externalId);
  });
});
