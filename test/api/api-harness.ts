/**
 * Test harness for API suites: a fresh database from test/support/databases.ts, a
 * bootstrapped admin, the app (never listening; requests go through app.inject), and
 * helpers that create tenants, orgs, workspaces and users holding a role and a token.
 */
import type { Store } from '../../src/store/open-store.js';
import type { TestDatabase } from '../support/databases.js';
import { buildApp } from '../../src/api/app.js';
import type { ApiInstance } from '../../src/api/route-context.js';
import { bootstrapAdmin } from '../../src/services/bootstrap.js';

export const PLATFORM_PRINCIPAL_ARN = 'arn:aws:iam::111122223333:role/orglink-platform';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  text: string;
  headers: Record<string, unknown>;
}

export interface Harness {
  store: Store;
  app: ApiInstance;
  adminToken: string;
  call(method: string, url: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  tenant(plan?: 'standard' | 'enterprise'): Promise<{ id: string; ownerToken: string; ownerId: string }>;
  org(tenantId: string, plan?: 'free' | 'team' | 'enterprise'): Promise<{ id: string; name: string }>;
  workspace(orgId: string, handle?: string): Promise<{ id: string }>;
  user(tenantId: string, role: 'owner' | 'admin' | 'member', orgId?: string): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 7)}`;
}

/** Opens a database, bootstraps the admin and builds the app. */
export async function startHarness(tdb: TestDatabase, clock?: () => Date): Promise<Harness> {
  const store = await tdb.open();
  const boot = await bootstrapAdmin({ db: store.db });
  if (boot.generatedToken === undefined) throw new Error('bootstrap generated no token on a fresh database');
  const adminToken = boot.generatedToken;
  const app = await buildApp({ store, config: { platformPrincipalArn: PLATFORM_PRINCIPAL_ARN }, ...(clock ? { clock } : {}) });

  const call: Harness['call'] = async (method, url, options = {}) => {
    const token = options.token === undefined ? adminToken : options.token;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
    let body: unknown = undefined;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, body, text: response.body, headers: response.headers };
  };

  const expectOk = (reply: Reply, what: string): Reply => {
    if (reply.status >= 300) throw new Error(`${what} failed: ${reply.status} ${reply.text}`);
    return reply;
  };

  const user: Harness['user'] = async (tenantId, role, orgId) => {
    const email = `${unique('user')}@example.com`;
    const added = expectOk(
      await call('POST', `/v1/tenants/${tenantId}/members`, { body: { email, name: 'Test user', role, ...(orgId ? { orgId } : {}) } }),
      'add member',
    );
    const userId = added.body.user.id as string;
    const token = expectOk(await call('POST', `/v1/users/${userId}/tokens`, { body: { name: 'test' } }), 'create token');
    return { id: userId, token: token.body.token as string };
  };

  return {
    store,
    app,
    adminToken,
    call,
    user,
    async tenant(plan = 'enterprise') {
      const created = expectOk(await call('POST', '/v1/tenants', { body: { name: unique('Tenant '), plan } }), 'create tenant');
      const owner = await user(created.body.id, 'owner');
      return { id: created.body.id as string, ownerToken: owner.token, ownerId: owner.id };
    },
    async org(tenantId, plan = 'team') {
      const name = unique('Org ');
      const created = expectOk(await call('POST', `/v1/tenants/${tenantId}/orgs`, { body: { name, plan } }), 'create org');
      return { id: created.body.id as string, name };
    },
    async workspace(orgId, handle = unique('ws')) {
      const created = expectOk(await call('POST', `/v1/orgs/${orgId}/workspaces`, { body: { handle, name: handle } }), 'create workspace');
      return { id: created.body.id as string };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A valid tenant-level integration body. */
export function integrationBody(handle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { handle, discovery: { roleName: 'OrglinkDiscovery' }, ...extra };
}
