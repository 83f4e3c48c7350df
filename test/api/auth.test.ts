import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { bootstrapAdmin } from '../../src/services/bootstrap.js';
import { type Harness, startHarness } from './api-harness.js';

describe.each(testDatabases)('auth and tokens on $name', (tdb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(tdb);
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves /healthz without a token', async () => {
    const reply = await h.call('GET', '/healthz', { token: null });
    expect(reply).toMatchObject({ status: 200, body: { ok: true } });
  });

  it.each([
    ['no header', null, undefined, 'missing_token'],
    ['another scheme', null, { authorization: 'Basic abc' }, 'missing_token'],
    ['an unknown token', 'olk_not_a_real_token', undefined, 'invalid_token'],
  ])('answers 401 for %s', async (_label, token, headers, code) => {
    const reply = await h.call('GET', '/v1/me', { token, ...(headers ? { headers } : {}) });
    expect(reply.status).toBe(401);
    expect(reply.body.code).toBe(code);
  });

  it('stores tokens only as hashes and refuses a revoked token', async () => {
    const tenant = await h.tenant();
    const member = await h.user(tenant.id, 'member');
    const rows = await h.store.db.selectFrom('api_tokens').select('token_hash').where('user_id', '=', member.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).not.toContain(member.token);
    expect((await h.call('GET', '/v1/me', { token: member.token })).status).toBe(200);

    const tokens = await h.call('GET', `/v1/users/${member.id}/tokens`, { token: member.token });
    expect(tokens.body.items[0]).not.toHaveProperty('token');
    expect(tokens.body.items[0]).not.toHaveProperty('tokenHash');
    const revoked = await h.call('DELETE', `/v1/users/${member.id}/tokens/${tokens.body.items[0].id}`, { token: member.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const after = await h.call('GET', '/v1/me', { token: member.token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('token_revoked');
  });

  it('lets a user create their own tokens but not anyone else’s (404)', async () => {
    const tenant = await h.tenant();
    const alice = await h.user(tenant.id, 'member');
    const bob = await h.user(tenant.id, 'member');
    const own = await h.call('POST', `/v1/users/${alice.id}/tokens`, { token: alice.token, body: { name: 'laptop' } });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ userId: alice.id, name: 'laptop', token: expect.any(String) });
    expect((await h.call('GET', '/v1/me', { token: own.body.token })).body.user.id).toBe(alice.id);
    const other = await h.call('POST', `/v1/users/${bob.id}/tokens`, { token: alice.token, body: { name: 'steal' } });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('user_not_found');
    expect((await h.call('DELETE', `/v1/users/${bob.id}/tokens/tok_whatever`, { token: alice.token })).status).toBe(404);
  });

  it('audits token creation and revocation in the installation log, without secrets', async () => {
    const tenant = await h.tenant();
    const member = await h.user(tenant.id, 'member');
    const tokens = await h.call('GET', `/v1/users/${member.id}/tokens`, { token: member.token });
    await h.call('DELETE', `/v1/users/${member.id}/tokens/${tokens.body.items[0].id}`, { token: member.token });
    const log = await h.call('GET', '/v1/audit?tenantId=none&limit=2');
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['token.revoke', 'token.create']);
    expect(log.body.items[0]).toMatchObject({ tenantId: null, actorUserId: member.id, targetId: tokens.body.items[0].id });
    expect(log.body.items[0].before.revokedAt).toBeNull();
    expect(log.body.items[0].after.revokedAt).toEqual(expect.any(String));
    expect(log.text).not.toContain(member.token);
    const rows = await h.store.db.selectFrom('api_tokens').select('token_hash').where('user_id', '=', member.id).execute();
    expect(log.text).not.toContain(rows[0]?.token_hash);
    const all = await h.call('GET', `/v1/audit?tenantId=${tenant.id}`);
    expect(all.body.items.every((e: { tenantId: string }) => e.tenantId === tenant.id)).toBe(true);
    const refused = await h.call('GET', '/v1/audit', { token: tenant.ownerToken });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('audit_requires_installation_admin');
  });

  it('/v1/me shows the user and memberships', async () => {
    const tenant = await h.tenant();
    const org = await h.org(tenant.id);
    const member = await h.user(tenant.id, 'admin', org.id);
    const me = await h.call('GET', '/v1/me', { token: member.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: member.id, isAdmin: false });
    expect(me.body.memberships).toEqual([expect.objectContaining({ tenantId: tenant.id, scopeKind: 'org', scopeId: org.id, role: 'admin' })]);
    const admin = await h.call('GET', '/v1/me');
    expect(admin.body.user.isAdmin).toBe(true);
  });
});

describe.each(testDatabases)('bootstrapAdmin on $name', (tdb) => {
  it('generates a token once, then reuses the admin', async () => {
    const store = await tdb.open();
    try {
      const first = await bootstrapAdmin({ db: store.db });
      expect(first.generatedToken).toEqual(expect.any(String));
      const second = await bootstrapAdmin({ db: store.db });
      expect(second.generatedToken).toBeUndefined();
      expect(second.userId).toBe(first.userId);
      const admins = await store.db.selectFrom('users').select('id').where('is_admin', '=', true).execute();
      expect(admins).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('registers ORGLINK_ADMIN_TOKEN idempotently and adds a changed one', async () => {
    const store = await tdb.open();
    try {
      const first = await bootstrapAdmin({ db: store.db, adminToken: 'first-admin-token-value' });
      expect(first).toMatchObject({ adminTokenAdded: true });
      expect(first.generatedToken).toBeUndefined();
      const again = await bootstrapAdmin({ db: store.db, adminToken: 'first-admin-token-value' });
      expect(again.adminTokenAdded).toBe(false);
      const changed = await bootstrapAdmin({ db: store.db, adminToken: 'second-admin-token-value' });
      expect(changed.adminTokenAdded).toBe(true);
      const tokens = await store.db.selectFrom('api_tokens').selectAll().execute();
      expect(tokens).toHaveLength(2);
      expect(JSON.stringify(tokens)).not.toContain('admin-token-value');
    } finally {
      await store.close();
    }
  });

  it('is safe when two bootstraps race', async () => {
    const store = await tdb.open();
    try {
      const results = await Promise.all([bootstrapAdmin({ db: store.db }), bootstrapAdmin({ db: store.db })]);
      expect(results.filter((r) => r.generatedToken !== undefined)).toHaveLength(1);
      expect(await store.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
