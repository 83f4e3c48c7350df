import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, integrationBody, startHarness } from './api-harness.js';

describe.each(testDatabases)('standalone connections on $name', (tdb) => {
  let h: Harness;
  let tenant: { id: string; ownerToken: string };
  let n = 0;
  const handle = () => `conn-${++n}`;
  const create = (body: Record<string, unknown>, token = tenant.ownerToken) =>
    h.call('POST', `/v1/tenants/${tenant.id}/connections`, { token, body });
  const url = (ref: string) => `/v1/tenants/${tenant.id}/connections/${ref}`;

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a single-account connection (Trelica style) with a generated External ID', async () => {
    const reply = await create({ handle: 'trelica', accountId: '012345678901', roleName: 'TrelicaIntegration', regions: ['us-east-1'] });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^c_[a-z0-9]{12}$/),
      tenantId: tenant.id,
      orgId: null,
      scope: 'tenant',
      standalone: true,
      integrationId: null,
      handle: 'trelica',
      title: 'trelica',
      accountId: '012345678901',
      accountScope: null,
      roleName: 'TrelicaIntegration',
      externalId: expect.stringMatching(new RegExp(`^${tenant.id}:[A-Za-z0-9]{8}$`)),
      regions: ['us-east-1'],
      advanced: {},
      state: 'active',
      health: 'unknown',
    });
    const shown = await h.call('GET', url('trelica'), { token: tenant.ownerToken });
    expect(shown.body).toEqual(reply.body);
  });

  it('creates connections scoped to several accounts or all of them (DoiT style)', async () => {
    const several = await create({ handle: handle(), title: 'CloudFlow', accountScope: ['111111111111', '222222222222', '111111111111'], roleName: 'DoitFlow' });
    expect(several.status).toBe(201);
    expect(several.body).toMatchObject({ accountId: null, accountScope: ['111111111111', '222222222222'], title: 'CloudFlow', regions: 'all' });
    const all = await create({ handle: handle(), accountScope: 'all', roleName: 'DoitFlow' });
    expect(all.body.accountScope).toBe('all');
  });

  it('creates an org-scoped connection whose External ID uses the org id', async () => {
    const org = await h.org(tenant.id, 'team');
    const generated = await create({ handle: handle(), orgId: org.id, accountId: '123456789012', roleName: 'R' });
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({ orgId: org.id, scope: 'org', externalId: expect.stringMatching(new RegExp(`^${org.id}:`)) });
    const wrong = await create({ handle: handle(), orgId: org.id, accountId: '123456789012', roleName: 'R', externalId: `${tenant.id}:abcd1234` });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'external_id_wrong_identifier', field: 'externalId' });
  });

  it.each([
    [{ accountId: '12345' }, 'account_id_invalid', 'accountId'],
    [{ accountScope: ['123456789012', 'abc'] }, 'account_id_invalid', 'accountScope.1'],
    [{ accountScope: [] }, 'account_scope_empty', 'accountScope'],
    [{ accountId: '123456789012', accountScope: 'all' }, 'account_choice_conflict', 'accountScope'],
    [{}, 'account_required', 'accountId'],
    [{ accountId: '123456789012', roleName: 'bad role' }, 'role_name_bad_character', 'roleName'],
    [{ accountId: '123456789012', externalId: 'nocolon' }, 'external_id_malformed', 'externalId'],
    [{ accountId: '123456789012', externalId: 't_zzzzzzzzzzzz:abcd1234' }, 'external_id_wrong_identifier', 'externalId'],
    [{ accountId: '123456789012', externalId: 'SELF:abc' }, 'external_id_wrong_length', 'externalId'],
    [{ accountId: '123456789012', externalId: 'SELF:abcd_123' }, 'external_id_bad_character', 'externalId'],
    [{ accountId: '123456789012', regions: ['atlantis-1'] }, 'unknown_region', 'regions.0'],
    [{ accountId: '123456789012', advanced: { maxErrorRetryAttempts: -1 } }, 'advanced_option_invalid', 'advanced.maxErrorRetryAttempts'],
    [{ accountId: '123456789012', handle: 'Nope' }, 'handle_bad_character', 'handle'],
  ])('refuses %j with %s at %s', async (extra, code, field) => {
    const body: Record<string, unknown> = { handle: handle(), roleName: 'R', ...extra };
    if (typeof body.externalId === 'string') body.externalId = body.externalId.replace('SELF', tenant.id);
    const reply = await create(body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field });
  });

  it('refuses a taken handle (409 with where) and a taken External ID across integrations and connections', async () => {
    const first = await create({ handle: 'dup', accountId: '123456789012', roleName: 'R', externalId: `${tenant.id}:Dupl1cat` });
    const again = await create({ handle: 'dup', accountId: '123456789012', roleName: 'R' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'handle_taken', field: 'handle', details: { where: { kind: 'connection', id: first.body.id, scope: 'tenant' } } });
    const ext = await create({ handle: handle(), accountId: '123456789012', roleName: 'R', externalId: `${tenant.id}:Dupl1cat` });
    expect(ext.status).toBe(409);
    expect(ext.body).toMatchObject({ code: 'external_id_taken', field: 'externalId' });
    const integration = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('conn-ext-src') });
    const fromIntegration = await create({ handle: handle(), accountId: '123456789012', roleName: 'R', externalId: integration.body.discovery.externalId });
    expect(fromIntegration.status).toBe(409);
    expect(fromIntegration.body.code).toBe('external_id_taken');
  });

  it('applies the plan rules of the chosen scope', async () => {
    const standard = await h.tenant('standard');
    const tenantLevel = await h.call('POST', `/v1/tenants/${standard.id}/connections`, {
      token: standard.ownerToken,
      body: { handle: 'x', accountId: '123456789012', roleName: 'R' },
    });
    expect(tenantLevel.status).toBe(403);
    expect(tenantLevel.body.code).toBe('tenant_integration_requires_enterprise_tenant');
    const free = await h.org(standard.id, 'free');
    const orgLevel = await h.call('POST', `/v1/tenants/${standard.id}/connections`, {
      token: standard.ownerToken,
      body: { handle: 'x', orgId: free.id, accountId: '123456789012', roleName: 'R' },
    });
    expect(orgLevel.status).toBe(403);
    expect(orgLevel.body.code).toBe('org_integration_requires_team_or_enterprise_org');
    const team = await h.org(standard.id, 'team');
    const member = await h.user(standard.id, 'member', team.id);
    const byMember = await h.call('POST', `/v1/tenants/${standard.id}/connections`, {
      token: member.token,
      body: { handle: 'x', orgId: team.id, accountId: '123456789012', roleName: 'R' },
    });
    expect(byMember.body.code).toBe('org_integration_requires_org_owner_or_admin');
    const admin = await h.user(tenant.id, 'admin');
    const byTenantAdmin = await create({ handle: handle(), accountId: '123456789012', roleName: 'R' }, admin.token);
    expect(byTenantAdmin.body.code).toBe('tenant_integration_requires_tenant_owner');
  });

  it('lists connections with filters, and modifies and deletes standalone ones', async () => {
    await create({ handle: 'list-me', accountId: '123456789012', roleName: 'R' });
    const list = await h.call('GET', `/v1/tenants/${tenant.id}/connections?standalone=true`, { token: tenant.ownerToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { handle: string }) => c.handle)).toContain('list-me');

    const patched = await h.call('PATCH', url('list-me'), {
      token: tenant.ownerToken,
      body: { handle: 'listed', title: 'Listed', accountId: null, accountScope: ['123456789012', '210987654321'], regions: ['eu-central-1'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ handle: 'listed', title: 'Listed', accountId: null, accountScope: ['123456789012', '210987654321'], regions: ['eu-central-1'] });
    const bad = await h.call('PATCH', url('listed'), { token: tenant.ownerToken, body: { accountId: '123456789012', accountScope: 'all' } });
    expect(bad.body).toMatchObject({ code: 'account_choice_conflict' });
    const single = await h.call('PATCH', url('listed'), { token: tenant.ownerToken, body: { accountId: '123456789012' } });
    expect(single.body).toMatchObject({ accountId: '123456789012', accountScope: null });

    const wrong = await h.call('DELETE', url('listed'), { token: tenant.ownerToken, body: { confirm: 'list-me' } });
    expect(wrong.body).toMatchObject({ code: 'confirmation_mismatch', field: 'confirm' });
    const deleted = await h.call('DELETE', url('listed'), { token: tenant.ownerToken, body: { confirm: 'listed' } });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ handle: 'listed', deleted: true });
    expect((await h.call('GET', url('listed'), { token: tenant.ownerToken })).status).toBe(404);
    const audit = await h.call('GET', `/v1/tenants/${tenant.id}/audit?limit=2`, { token: tenant.ownerToken });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['connection.delete', 'connection.update']);
    expect(audit.body.items[1].before.accountScope).toEqual(['123456789012', '210987654321']);
    expect(audit.body.items[1].after.accountId).toBe('123456789012');
  });

  it('refuses to modify or delete a connection that an integration created', async () => {
    const integration = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('owner-int') });
    await h.store.db.insertInto('connections').values({
      id: 'c_discovered01', tenant_id: tenant.id, org_id: null, integration_id: integration.body.id, folder_id: null,
      handle: 'discovered-one', handle_is_custom: false, title: 'D', aws_account_id: '333333333333', state: 'active', health: 'unknown', updated_at: new Date(),
    }).execute();
    const shown = await h.call('GET', url('discovered-one'), { token: tenant.ownerToken });
    expect(shown.body).toMatchObject({ standalone: false, integrationId: integration.body.id });
    const patch = await h.call('PATCH', url('discovered-one'), { token: tenant.ownerToken, body: { title: 'x' } });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('connection_managed_by_integration');
  });
});
