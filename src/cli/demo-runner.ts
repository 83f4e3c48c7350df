/**
 * `orglink demo`: the server on the embedded database, the sandbox AWS Organization in the
 * same process, and example data wired to it — idempotent across runs.
 *
 * Order matters: the server needs the sandbox's platform principal (for templates), while
 * the sandbox's External ID must start with the example org's id, which only exists once
 * the server has created it. So on a first run the principal is read from an offline copy
 * of the sandbox world (same seed, same principal), and the sandbox starts after the org.
 */
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createWorld, generateOrganization, startSandbox, type RunningSandbox } from '@orglink/sandbox';
import { generateApiToken } from '../core/api-token.js';
import { generateExternalId } from '../core/external-id.js';
import { DEMO_INTEGRATION_HANDLE, ensureDemoIntegration, ensureDemoTenancy, type DemoTenancy } from './demo-seed.js';
import { readDemoState, SANDBOX_STATE_FILE, writeDemoState } from './demo-state.js';
import { ApiClient } from './http-client.js';
import { startService, type RunningService } from './service-runner.js';
import { syncDemoIntegration, type DemoSyncResult } from './demo-sync.js';

/** The seed of the demo's sandbox organization: the same seed gives the same accounts. */
export const DEMO_SANDBOX_SEED = 1;

export interface DemoOptions {
  env: Readonly<Record<string, string | undefined>>;
  dataDir?: string;
  host?: string;
  port?: string;
  sandboxPort?: number;
}

/** A running demo: what it prints, and how to stop it. */
export interface RunningDemo {
  summary: DemoSummary;
  close(): Promise<void>;
}

/** Everything `demo` prints (and, with --json, its JSON). */
export interface DemoSummary {
  url: string;
  adminToken: string;
  dataDir: string;
  tenantId: string;
  orgId: string;
  workspaceId: string;
  integration: { id: string; handle: string; roleArn: string; externalId: string };
  /** The first sync's run: the mirror the demo shows. */
  sync: DemoSyncResult;
  sandbox: {
    endpoint: string;
    region: string;
    organizationId: string;
    managementAccountId: string;
    accountCount: number;
    platform: { accessKeyId: string; secretAccessKey: string; principalArn: string };
  };
}

/** Starts everything and seeds the example data; the caller waits for Ctrl-C, then calls close(). */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir ?? options.env.ORGLINK_DATA_DIR ?? './.orglink');
  const stateFile = join(dataDir, SANDBOX_STATE_FILE);
  const state = await readDemoState(dataDir);
  const adminToken = nonEmpty(options.env.ORGLINK_ADMIN_TOKEN) ?? state.adminToken ?? generateApiToken().token;

  let sandbox: RunningSandbox | undefined = existsSync(stateFile) ? await startSandbox({ stateFile, port: options.sandboxPort ?? 0 }) : undefined;
  let service: RunningService | undefined;
  try {
    const principalArn = sandbox?.platform.principalArn ?? offlinePlatformPrincipal();
    service = await startService({
      // The demo always runs on the embedded database, whatever DATABASE_URL says.
      env: { ...options.env, DATABASE_URL: undefined, ORGLINK_ADMIN_TOKEN: adminToken, ORGLINK_PLATFORM_PRINCIPAL_ARN: principalArn },
      flags: { dataDir, ...(options.host === undefined ? {} : { host: options.host }), ...(options.port === undefined ? {} : { port: options.port }) },
      logLevel: 'warn',
    });
    const api = new ApiClient({ baseUrl: service.url, token: adminToken, timeoutMs: 30_000 });
    const tenancy = await ensureDemoTenancy(api);
    if (sandbox === undefined || !sandbox.externalId.startsWith(`${tenancy.orgId}:`)) {
      // First run, or the database was reset while the sandbox state survived: a new sandbox world.
      if (sandbox !== undefined) await sandbox.close();
      await rm(stateFile, { force: true });
      sandbox = await startSandbox({
        seed: DEMO_SANDBOX_SEED,
        // A few blocked accounts, so the mirror shows what a missing or mistrusting member role looks like.
        blocked: 0.2,
        externalId: generateExternalId(tenancy.orgId),
        stateFile,
        port: options.sandboxPort ?? 0,
      });
    }
    if (sandbox.platform.principalArn !== principalArn) {
      throw new Error(`the sandbox's platform principal ${sandbox.platform.principalArn} differs from the configured ${principalArn}; delete ${dataDir} and start over`);
    }
    exposeSandboxToAwsSdk(sandbox);
    const discovery = { roleName: sandbox.generated.discoveryRoleName, externalId: sandbox.externalId, roleArn: sandbox.discoveryRoleArn };
    const integration = await ensureDemoIntegration(api, tenancy, discovery);
    await writeDemoState(dataDir, { adminToken, ...tenancy, integrationId: integration.id });
    const sync = await syncDemoIntegration(api, tenancy.tenantId, String(integration.id));
    const running = { service, sandbox };
    return {
      summary: summarize(service.url, adminToken, dataDir, tenancy, integration.id, running.sandbox, sync),
      async close() {
        try {
          await running.sandbox.close();
        } finally {
          await running.service.close();
        }
      },
    };
  } catch (error) {
    await sandbox?.close().catch(() => undefined);
    await service?.close().catch(() => undefined);
    throw error;
  }
}

/** The platform principal of the demo's sandbox world, computed without starting a server. */
function offlinePlatformPrincipal(): string {
  return generateOrganization(createWorld({ seed: DEMO_SANDBOX_SEED }), { seed: DEMO_SANDBOX_SEED }).platform.principalArn;
}

/** Discovery (a later issue) calls AWS through the SDK, which reads these variables: point it at the sandbox. */
function exposeSandboxToAwsSdk(sandbox: RunningSandbox): void {
  process.env.AWS_ENDPOINT_URL = sandbox.endpoint;
  process.env.AWS_REGION = sandbox.region;
  process.env.AWS_ACCESS_KEY_ID = sandbox.platform.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = sandbox.platform.secretAccessKey;
}

function summarize(url: string, adminToken: string, dataDir: string, tenancy: DemoTenancy, integrationId: string, sandbox: RunningSandbox, sync: DemoSyncResult): DemoSummary {
  return {
    url,
    sync,
    adminToken,
    dataDir,
    ...tenancy,
    integration: { id: integrationId, handle: DEMO_INTEGRATION_HANDLE, roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId },
    sandbox: {
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      organizationId: sandbox.organizationId,
      managementAccountId: sandbox.managementAccountId,
      accountCount: sandbox.generated.accountCount,
      platform: { ...sandbox.platform },
    },
  };
}

/** The text `demo` prints for people. */
export function renderDemoSummary(s: DemoSummary): string {
  const cli = 'node bin/orglink.mjs';
  return [
    'orglink demo is running.',
    '',
    `  URL           ${s.url}   (API docs: ${s.url}/docs)`,
    `  Admin token   ${s.adminToken}`,
    `  Data dir      ${s.dataDir}`,
    '',
    'Example data:',
    `  tenant        ${s.tenantId}  Example Enterprise (enterprise plan)`,
    `  org           ${s.orgId}  Example Team (team plan)`,
    `  workspace     ${s.workspaceId}  demo`,
    `  integration   ${s.integration.id}  ${s.integration.handle}`,
    `                role ARN     ${s.integration.roleArn}`,
    `                External ID  ${s.integration.externalId}`,
    '',
    `Sandbox AWS Organization ${s.sandbox.organizationId} (${s.sandbox.accountCount} accounts, management ${s.sandbox.managementAccountId}) at ${s.sandbox.endpoint}`,
    `Mirror        sync ${s.sync.runId} ${s.sync.status}: ${s.sync.ous} OUs, ${s.sync.accounts} accounts; health ${formatHealth(s.sync.health)}${s.sync.error === undefined ? '' : ` (${s.sync.error})`}`,
    '',
    'Try, in another terminal:',
    `  export ORGLINK_URL=${s.url} ORGLINK_TOKEN=${s.adminToken} ORGLINK_TENANT=${s.tenantId}`,
    `  ${cli} tree ${s.integration.handle}`,
    `  ${cli} integration sync ${s.integration.handle} --dry-run`,
    `  ${cli} integration test ${s.integration.handle}`,
    `  ${cli} integration list`,
    `  ${cli} integration show ${s.integration.handle}`,
    `  ${cli} integration templates ${s.integration.handle} --format cloudformation`,
    `  ${cli} connection create --handle billing --account-id 123456789012 --role-name OrglinkRole --org ${s.orgId}`,
    `  ${cli} audit list --limit 10`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function formatHealth(counts: Record<string, number>): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([health, n]) => `${n} ${health}`);
  return parts.length === 0 ? 'not checked' : parts.join(', ');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
