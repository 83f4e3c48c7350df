/**
 * Shared setup for sync tests: a real sandbox over HTTP, a fresh database from
 * test/support/databases.ts with a tenant, an org, a workspace and an integration wired
 * to the sandbox's discovery role, and the SyncDeps a worker would build — the platform
 * credentials passed explicitly. Plus the sandbox's organization as the mirror should be.
 */
import { sql } from 'kysely';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../packages/sandbox/src/start-sandbox.js';
import { newId } from '../../src/core/ids.js';
import type { Store } from '../../src/store/open-store.js';
import { createSyncAwsAccess, runIntegrationSync, type SyncDeps, type SyncRequest } from '../../src/services/sync/sync-service.js';
import type { SyncRunResult } from '../../src/services/sync/sync-types.js';
import type { TestDatabase } from '../support/databases.js';
import { integrationRow } from '../support/integration-row.js';

export interface SyncWorld {
  sandbox: RunningSandbox;
  store: Store;
  deps: SyncDeps;
  tenantId: string;
  orgId: string;
  workspaceId: string;
  integrationId: string;
  sync(options?: Partial<Omit<SyncRequest, 'tenantId' | 'integrationId'>>): Promise<SyncRunResult>;
  close(): Promise<void>;
}

export interface SyncWorldOptions {
  sandbox: StartSandboxOptions;
  handlePrefix?: string | null;
  permissionMode?: 'all' | 'specific' | 'none';
  guard?: { maxShare: number; maxCount: number };
}

/** Deps for syncing against `sandbox` with its platform keys (no environment variables involved). */
export function sandboxSyncDeps(store: Store, sandbox: RunningSandbox, guard = { maxShare: 0.25, maxCount: 50 }): SyncDeps {
  const aws = createSyncAwsAccess({
    region: sandbox.region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
    organizationsRate: 2000,
    stsRate: 2000,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  return { db: store.db, clock: () => new Date(), aws, guard };
}

/** Inserts a tenant, org, workspace and an integration pointing at the sandbox. */
export async function seedIntegration(
  store: Store,
  sandbox: RunningSandbox,
  options: { handle?: string; handlePrefix?: string | null; permissionMode?: 'all' | 'specific' | 'none'; tenantId?: string } = {},
): Promise<{ tenantId: string; orgId: string; workspaceId: string; integrationId: string }> {
  const db = store.db;
  const tenantId = options.tenantId ?? newId('t');
  if (options.tenantId === undefined) await db.insertInto('tenants').values({ id: tenantId, name: 'Acme', plan: 'enterprise' }).execute();
  const orgId = newId('o');
  await db.insertInto('orgs').values({ id: orgId, tenant_id: tenantId, name: 'Acme org', plan: 'enterprise' }).execute();
  const workspaceId = newId('w');
  await db.insertInto('workspaces').values({ id: workspaceId, tenant_id: tenantId, org_id: orgId, handle: `ws${workspaceId.slice(2, 8)}`, name: 'Main' }).execute();
  const integrationId = newId('i');
  const mode = options.permissionMode ?? 'all';
  await db
    .insertInto('integrations')
    .values(
      integrationRow({
        id: integrationId, tenant_id: tenantId, handle: options.handle ?? 'acme-org', role_name: sandbox.memberRoleName, external_id: sandbox.externalId,
        role_arn: sandbox.discoveryRoleArn, handle_prefix: options.handlePrefix ?? null, permission_mode: mode,
        permission_workspace_ids: JSON.stringify(mode === 'specific' ? [workspaceId] : []),
      }),
    )
    .execute();
  return { tenantId, orgId, workspaceId, integrationId };
}

/** Starts a sandbox and a database with one integration wired to it. */
export async function startSyncWorld(tdb: TestDatabase, options: SyncWorldOptions): Promise<SyncWorld> {
  const sandbox = await startSandbox(options.sandbox);
  const store = await tdb.open();
  const deps = sandboxSyncDeps(store, sandbox, options.guard);
  const seeded = await seedIntegration(store, sandbox, {
    ...(options.handlePrefix === undefined ? {} : { handlePrefix: options.handlePrefix }),
    ...(options.permissionMode === undefined ? {} : { permissionMode: options.permissionMode }),
  });
  return {
    sandbox,
    store,
    deps,
    ...seeded,
    sync: (request = {}) => runIntegrationSync(deps, { tenantId: seeded.tenantId, integrationId: seeded.integrationId, trigger: 'manual', ...request }),
    async close() {
      await store.close();
      await sandbox.close();
    },
  };
}

export interface MirrorImage {
  folders: Array<{ awsId: string; parentAwsId: string | null; kind: string; title: string }>;
  connections: Array<{ accountId: string; parentAwsId: string | null; title: string; state: string; awsState: string | null }>;
}

const byKey = <T>(key: (item: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The mirror the sandbox's organization should have: every OU a folder, every account not CLOSED a connection. */
export function expectedMirror(sandbox: RunningSandbox): MirrorImage {
  const org = sandbox.world.organization;
  if (org === null) throw new Error('no organization');
  const folders = [
    { awsId: org.rootId, parentAwsId: null, kind: 'root', title: 'Root' },
    ...[...org.ous.values()].map((ou) => ({ awsId: ou.id, parentAwsId: ou.parentId, kind: 'ou', title: ou.name })),
  ];
  const connections = [...org.childAccounts.entries()].flatMap(([parentId, ids]) =>
    ids.flatMap((id) => {
      const account = sandbox.world.accounts.get(id);
      if (account === undefined || account.state === 'CLOSED') return [];
      return [{ accountId: id, parentAwsId: parentId, title: account.name, state: account.state === 'ACTIVE' ? 'active' : 'disabled', awsState: account.state }];
    }),
  );
  return { folders: folders.sort(byKey((f) => f.awsId)), connections: connections.sort(byKey((c) => c.accountId)) };
}

/** The integration's mirror as stored, in the same shape. */
export async function actualMirror(store: Store, integrationId: string): Promise<MirrorImage> {
  const folders = await store.db.selectFrom('folders').selectAll().where('integration_id', '=', integrationId).execute();
  const awsIdOf = new Map(folders.map((f) => [f.id, f.aws_id]));
  const connections = await store.db.selectFrom('connections').selectAll().where('integration_id', '=', integrationId).execute();
  return {
    folders: folders
      .map((f) => ({ awsId: f.aws_id, parentAwsId: f.parent_id === null ? null : (awsIdOf.get(f.parent_id) ?? 'missing'), kind: f.kind, title: f.title }))
      .sort(byKey((f) => f.awsId)),
    connections: connections
      .map((c) => ({
        accountId: c.aws_account_id ?? '',
        parentAwsId: c.folder_id === null ? null : (awsIdOf.get(c.folder_id) ?? 'missing'),
        title: c.title,
        state: c.state,
        awsState: c.aws_state,
      }))
      .sort(byKey((c) => c.accountId)),
  };
}

/** Everything a write would change: row counts, the audit log's size, and each mirror row's xmin and updated_at. */
export async function databaseFingerprint(store: Store): Promise<unknown> {
  const rows = async (table: 'folders' | 'connections' | 'permissions'): Promise<string[]> => {
    const result = await sql<{ line: string }>`select id || ':' || xmin::text as line from ${sql.table(table)} order by id`.execute(store.db);
    return result.rows.map((r) => r.line);
  };
  const stamps = async (table: 'folders' | 'connections'): Promise<string[]> => {
    const result = await sql<{ line: string }>`select id || ':' || updated_at::text as line from ${sql.table(table)} order by id`.execute(store.db);
    return result.rows.map((r) => r.line);
  };
  const audit = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return {
    folders: await rows('folders'),
    connections: await rows('connections'),
    permissions: await rows('permissions'),
    folderStamps: await stamps('folders'),
    connectionStamps: await stamps('connections'),
    audit: audit.n,
  };
}
