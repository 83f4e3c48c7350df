/**
 * Databases for the sync benchmark: a fresh PGlite data directory, or a fresh PostgreSQL
 * database created on the test server (as test/support/databases.ts does, but without its
 * template: the benchmark times migrations separately) and dropped afterwards. Plus the
 * tenant, org, workspace and integration a sync needs, and a fingerprint of every row a
 * sync could write, to prove a resync wrote nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { newId } from '../src/core/ids.js';
import { type Store, openStore, postgresConnectionConfig } from '../src/store/open-store.js';
import type { SandboxInfo } from './sandbox-child.js';
import { integrationRow } from '../test/support/integration-row.js';

export type BenchDatabase = 'pglite' | 'postgres';

/**
 * orglink's configuration as `orglink serve` would load it from this environment: the bench
 * processes run with the same process and embedded-database settings (ORGLINK_RUNTIME_*,
 * ORGLINK_EMBEDDED_*), so setting those variables measures the alternatives.
 */
export const benchConfig = loadConfig({ env: process.env });

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client(postgresConnectionConfig(ADMIN_URL));
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Opens a fresh, migrated database of the given kind; close() also drops it. PGlite gets a
 * new data directory, as `orglink serve` does on first start (the embedded default).
 */
export async function openBenchStore(kind: BenchDatabase): Promise<Store> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'orglink-bench-'));
    const store = await openStore({ dataDir, embedded: benchConfig.embedded });
    return {
      ...store,
      async close() {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `orglink_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString() });
  return {
    ...store,
    async close() {
      await store.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Inserts a tenant, org, workspace and an integration wired to the sandbox's discovery role. */
export async function seedBenchIntegration(store: Store, sandbox: SandboxInfo): Promise<{ tenantId: string; integrationId: string }> {
  const db = store.db;
  const tenantId = newId('t');
  await db.insertInto('tenants').values({ id: tenantId, name: 'Bench', plan: 'enterprise' }).execute();
  const orgId = newId('o');
  await db.insertInto('orgs').values({ id: orgId, tenant_id: tenantId, name: 'Bench org', plan: 'enterprise' }).execute();
  await db.insertInto('workspaces').values({ id: newId('w'), tenant_id: tenantId, org_id: orgId, handle: 'main', name: 'Main' }).execute();
  const integrationId = newId('i');
  await db
    .insertInto('integrations')
    .values(
      integrationRow({
        id: integrationId, tenant_id: tenantId, handle: 'bench-org', role_name: sandbox.memberRoleName, external_id: sandbox.externalId,
        role_arn: sandbox.discoveryRoleArn, handle_prefix: 'acme-', permission_mode: 'all',
      }),
    )
    .execute();
  return { tenantId, integrationId };
}

const MIRROR_TABLES = ['folders', 'connections', 'permissions', 'audit_log'] as const;
export type MirrorTable = (typeof MIRROR_TABLES)[number];

/** Every row of the mirror tables and the audit log as `id:xmin` (xmin changes on any write to the row). */
export async function rowFingerprint(store: Store): Promise<Record<MirrorTable, Set<string>>> {
  const result = {} as Record<MirrorTable, Set<string>>;
  for (const table of MIRROR_TABLES) {
    const rows = await sql<{ line: string }>`select id::text || ':' || xmin::text as line from ${sql.table(table)}`.execute(store.db);
    result[table] = new Set(rows.rows.map((r) => r.line));
  }
  return result;
}

/** Rows inserted, updated or deleted between two fingerprints, per table. */
export function rowsWritten(before: Record<MirrorTable, Set<string>>, after: Record<MirrorTable, Set<string>>): Record<MirrorTable, number> {
  const result = {} as Record<MirrorTable, number>;
  for (const table of MIRROR_TABLES) {
    const added = [...after[table]].filter((line) => !before[table].has(line)).length;
    const gone = [...before[table]].filter((line) => !after[table].has(line)).length;
    // An updated row shows once as gone (old xmin) and once as added (new xmin): count it once.
    result[table] = Math.max(added, gone);
  }
  return result;
}

/** Row counts of the mirror tables and the audit log. */
export function rowCounts(fingerprint: Record<MirrorTable, Set<string>>): Record<MirrorTable, number> {
  return Object.fromEntries(MIRROR_TABLES.map((t) => [t, fingerprint[t].size])) as Record<MirrorTable, number>;
}
