/**
 * An API for sync tests: the real app (buildApp) plus the sync and tree routes wired to
 * a sandbox, mounted the way app.ts mounts /v1 routes (same auth hook), with the
 * in-process runner exposed so tests can wait for queued syncs. The tenant is inserted
 * before the sandbox starts, because the sandbox's External ID must start with its id.
 */
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { buildApp } from '../../src/api/app.js';
import { registerSyncRoutes } from '../../src/api/routes/sync-routes.js';
import { bearerToken, type ApiInstance, type RouteContext } from '../../src/api/route-context.js';
import { generateExternalId } from '../../src/core/external-id.js';
import { newId } from '../../src/core/ids.js';
import { bootstrapAdmin } from '../../src/services/bootstrap.js';
import type { InProcessSyncRunner } from '../../src/services/sync/sync-queue.js';
import { authenticate } from '../../src/services/token-service.js';
import type { Store } from '../../src/store/open-store.js';
import type { Reply } from '../api/api-harness.js';
import type { TestDatabase } from '../support/databases.js';
import { sandboxSyncDeps } from './sync-harness.js';

type Call = (method: string, url: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string> }) => Promise<Reply>;

export interface SyncApiHarness {
  store: Store;
  app: ApiInstance;
  sandbox: RunningSandbox;
  runner: InProcessSyncRunner;
  adminToken: string;
  tenantId: string;
  ownerToken: string;
  integrationHandle: string;
  call: Call;
  /** A user of the tenant with a role and a token. */
  user(tenantId: string, role: 'owner' | 'admin' | 'member'): Promise<{ id: string; token: string }>;
  /** Another enterprise tenant with its owner. */
  otherTenant(): Promise<{ id: string; ownerToken: string }>;
  close(): Promise<void>;
}

/** A tenant whose integration points at a fresh sandbox organization (External ID made for that tenant). */
export async function startSyncApiHarness(tdb: TestDatabase, sandboxOptions: { accounts: number; ous: number; seed: number }): Promise<SyncApiHarness> {
  const store = await tdb.open();
  const boot = await bootstrapAdmin({ db: store.db });
  const adminToken = boot.generatedToken;
  if (adminToken === undefined) throw new Error('bootstrap generated no token');
  const tenantId = newId('t');
  await store.db.insertInto('tenants').values({ id: tenantId, name: 'Sync API tenant', plan: 'enterprise' }).execute();
  const sandbox = await startSandbox({ ...sandboxOptions, depth: 1, externalId: generateExternalId(tenantId) });
  const deps = sandboxSyncDeps(store, sandbox);
  const app = await buildApp({ store, config: { platformPrincipalArn: sandbox.platform.principalArn } });
  const context: RouteContext = { deps: { db: store.db, clock: () => new Date() }, config: { platformPrincipalArn: sandbox.platform.principalArn } };
  let runner: InProcessSyncRunner | undefined;
  await app.register(async (v1) => {
    v1.decorateRequest('actor', null);
    v1.addHook('onRequest', async (request) => {
      request.actor = await authenticate(context.deps, bearerToken(request));
    });
    // buildApp already serves the tree routes; sync routes are registered here to reach their runner.
    runner = registerSyncRoutes(v1, context, { aws: deps.aws, guard: deps.guard });
  });
  await app.ready();
  if (runner === undefined) throw new Error('sync routes not registered');
  const theRunner = runner;

  const call: Call = async (method, url, options = {}) => {
    const token = options.token === undefined ? adminToken : options.token;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await app.inject({ method: method as 'GET', url, headers, ...(options.body === undefined ? {} : { payload: options.body as object }) });
    let body: unknown;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, body, text: response.body, headers: response.headers };
  };
  const ok = (reply: Reply, what: string): Reply => {
    if (reply.status >= 300) throw new Error(`${what}: ${reply.status} ${reply.text}`);
    return reply;
  };
  let counter = 0;
  const user: SyncApiHarness['user'] = async (forTenant, role) => {
    counter += 1;
    const added = ok(await call('POST', `/v1/tenants/${forTenant}/members`, { body: { email: `sync${counter}${newId('u')}@example.com`, name: 'Sync user', role } }), 'add member');
    const token = ok(await call('POST', `/v1/users/${added.body.user.id}/tokens`, { body: { name: 'test' } }), 'create token');
    return { id: added.body.user.id as string, token: token.body.token as string };
  };
  const owner = await user(tenantId, 'owner');
  const integrationHandle = 'acme-aws';
  ok(
    await call('POST', `/v1/tenants/${tenantId}/integrations`, {
      body: {
        handle: integrationHandle,
        discovery: { roleName: sandbox.memberRoleName, externalId: sandbox.externalId, roleArn: sandbox.discoveryRoleArn },
        permissions: { mode: 'all' },
      },
    }),
    'create integration',
  );
  return {
    store,
    app,
    sandbox,
    runner: theRunner,
    adminToken,
    tenantId,
    ownerToken: owner.token,
    integrationHandle,
    call,
    user,
    async otherTenant() {
      const created = ok(await call('POST', '/v1/tenants', { body: { name: 'Other tenant', plan: 'enterprise' } }), 'create tenant');
      const other = await user(created.body.id as string, 'owner');
      return { id: created.body.id as string, ownerToken: other.token };
    },
    async close() {
      await theRunner.drain();
      await app.close();
      await store.close();
      await sandbox.close();
    },
  };
}

/** The NDJSON lines of a streamed answer. */
export function ndjsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
