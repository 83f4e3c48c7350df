import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, startHarness } from './api-harness.js';

describe.each(testDatabases)('tenants, orgs, workspaces and members on $name', (tdb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(tdb);
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a tenant with an owner (admin only) and ids with the t_ prefix', async () => {
    const created = await h.call('POST', '/v1/tenants', {
      body: { name: 'Acme', plan: 'enterprise', owner: { email: 'Owner@Acme.example', name: 'Olivia' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^t_[a-z0-9]{12}$/), name: 'Acme', plan: 'enterprise' });
    const members = await h.call('GET', `/v1/tenants/${created.body.id}/members`);
    expect(members.body.items).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ email: 'owner@acme.example' }), membership: expect.objectContaining({ role: 'owner', scopeKind: 'tenant' }) }),
    ]);
  });

  it('refuses tenant creation to non-admins with a named rule', async () => {
    const tenant = await h.tenant();
    const reply = await h.call('POST', '/v1/tenants', { token: tenant.ownerToken, body: { name: 'X', plan: 'standard' } });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('tenant_create_requires_installation_admin');
  });

  it.each([
    [{ name: 'X', plan: 'gold' }, 'plan'],
    [{ plan: 'standard' }, 'name'],
    [{ name: 'X', plan: 'standard', extra: 1 }, 'extra'],
    [{ name: 'X', plan: 'standard', owner: { email: 'not-an-email', name: 'n' } }, 'owner.email'],
  ])('validates tenant input %j → field %s', async (body, field) => {
    const reply = await h.call('POST', '/v1/tenants', { body });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'invalid_input', field });
  });

  it('lists only the tenants a user belongs to', async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const list = await h.call('GET', '/v1/tenants', { token: a.ownerToken });
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([a.id]);
    expect((await h.call('GET', `/v1/tenants/${b.id}`, { token: a.ownerToken })).status).toBe(404);
    expect((await h.call('GET', `/v1/tenants/${a.id}`, { token: a.ownerToken })).body.id).toBe(a.id);
  });

  it('creates orgs (o_) and workspaces, with role rules', async () => {
    const tenant = await h.tenant('standard');
    const org = await h.call('POST', `/v1/tenants/${tenant.id}/orgs`, { token: tenant.ownerToken, body: { name: 'Eng', plan: 'free' } });
    expect(org.status).toBe(201);
    expect(org.body.id).toMatch(/^o_[a-z0-9]{12}$/);
    const member = await h.user(tenant.id, 'member');
    const refused = await h.call('POST', `/v1/tenants/${tenant.id}/orgs`, { token: member.token, body: { name: 'No', plan: 'free' } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('org_create_requires_tenant_owner_or_admin');

    const ws = await h.call('POST', `/v1/orgs/${org.body.id}/workspaces`, { token: tenant.ownerToken, body: { handle: 'prod', name: 'Prod' } });
    expect(ws.status).toBe(201);
    expect(ws.body).toMatchObject({ id: expect.stringMatching(/^w_/), orgId: org.body.id, tenantId: tenant.id, handle: 'prod' });
    const dup = await h.call('POST', `/v1/orgs/${org.body.id}/workspaces`, { token: tenant.ownerToken, body: { handle: 'prod', name: 'Again' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'handle_taken', field: 'handle', details: { where: { kind: 'workspace', orgId: org.body.id } } });
    const bad = await h.call('POST', `/v1/orgs/${org.body.id}/workspaces`, { token: tenant.ownerToken, body: { handle: 'Prod!', name: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('handle');
    const byMember = await h.call('POST', `/v1/orgs/${org.body.id}/workspaces`, { token: member.token, body: { handle: 'dev', name: 'Dev' } });
    expect(byMember.status).toBe(403);
    expect(byMember.body.code).toBe('workspace_create_requires_org_owner_or_admin');
    const list = await h.call('GET', `/v1/orgs/${org.body.id}/workspaces`, { token: member.token });
    expect(list.body.items).toHaveLength(1);
  });

  it('lets org-only members see their org but not sibling orgs', async () => {
    const tenant = await h.tenant();
    const mine = await h.org(tenant.id);
    const sibling = await h.org(tenant.id);
    const user = await h.user(tenant.id, 'member', mine.id);
    const orgs = await h.call('GET', `/v1/tenants/${tenant.id}/orgs`, { token: user.token });
    expect(orgs.body.items.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    expect((await h.call('GET', `/v1/orgs/${mine.id}`, { token: user.token })).status).toBe(200);
    expect((await h.call('GET', `/v1/orgs/${sibling.id}`, { token: user.token })).status).toBe(404);
  });

  it('adds members: new user once, 409 on duplicates, only owners grant owner', async () => {
    const tenant = await h.tenant();
    const admin = await h.user(tenant.id, 'admin');
    const first = await h.call('POST', `/v1/tenants/${tenant.id}/members`, { token: admin.token, body: { email: 'm@example.com', name: 'M', role: 'member' } });
    expect(first.status).toBe(201);
    expect(first.body.userCreated).toBe(true);
    const again = await h.call('POST', `/v1/tenants/${tenant.id}/members`, { token: admin.token, body: { email: 'm@example.com', name: 'M', role: 'admin' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('membership_exists');
    const owner = await h.call('POST', `/v1/tenants/${tenant.id}/members`, { token: admin.token, body: { email: 'o@example.com', name: 'O', role: 'owner' } });
    expect(owner.status).toBe(403);
    expect(owner.body.code).toBe('owner_grant_requires_owner');
    const member = await h.user(tenant.id, 'member');
    const byMember = await h.call('POST', `/v1/tenants/${tenant.id}/members`, { token: member.token, body: { email: 'z@example.com', name: 'Z', role: 'member' } });
    expect(byMember.status).toBe(403);
    expect(byMember.body.code).toBe('member_add_requires_owner_or_admin');
  });
});
