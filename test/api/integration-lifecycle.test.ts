import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, integrationBody, startHarness } from './api-harness.js';

/** Inserts what discovery would have created: a root folder, an OU, two connections, permissions. */
async function seedDiscovered(h: Harness, tenantId: string, integrationId: string, tag: string) {
  const db = h.store.db;
  const now = new Date();
  await db.insertInto('folders').values([
    { id: `f_root${tag}`, tenant_id: tenantId, integration_id: integrationId, parent_id: null, kind: 'root', aws_id: `r-${tag}`, handle: `root-${tag}`, handle_is_custom: false, title: 'Root', updated_at: now },
    { id: `f_ou${tag}`, tenant_id: tenantId, integration_id: integrationId, parent_id: `f_root${tag}`, kind: 'ou', aws_id: `ou-${tag}`, handle: `ou-${tag}`, handle_is_custom: false, title: 'OU', updated_at: now },
  ]).execute();
  await db.insertInto('connections').values([
    { id: `c_a${tag}`, tenant_id: tenantId, org_id: null, integration_id: integrationId, folder_id: `f_root${tag}`, handle: `acct-a-${tag}`, handle_is_custom: false, title: 'A', aws_account_id: '111111111111', state: 'active', health: 'unknown', updated_at: now },
    { id: `c_b${tag}`, tenant_id: tenantId, org_id: null, integration_id: integrationId, folder_id: `f_ou${tag}`, handle: `acct-b-${tag}`, handle_is_custom: false, title: 'B', aws_account_id: '222222222222', state: 'active', health: 'unknown', updated_at: now },
  ]).execute();
  await db.insertInto('permissions').values([
    { id: `p_1${tag}`, tenant_id: tenantId, target_kind: 'folder', target_id: `f_root${tag}`, grantee_kind: 'all_workspaces', grantee_id: null },
    { id: `p_2${tag}`, tenant_id: tenantId, target_kind: 'connection', target_id: `c_b${tag}`, grantee_kind: 'all_workspaces', grantee_id: null },
  ]).execute();
}

async function countRows(h: Harness, integrationId: string) {
  const db = h.store.db;
  const folders = await db.selectFrom('folders').select('id').where('integration_id', '=', integrationId).execute();
  const connections = await db.selectFrom('connections').select('id').where('integration_id', '=', integrationId).execute();
  const targets = [...folders, ...connections].map((r) => r.id);
  const permissions = targets.length === 0 ? [] : await db.selectFrom('permissions').select('id').where('target_id', 'in', targets).execute();
  const integrations = await db.selectFrom('integrations').select('id').where('id', '=', integrationId).execute();
  return { integrations: integrations.length, folders: folders.length, connections: connections.length, permissions: permissions.length };
}

describe.each(testDatabases)('integration modify, delete and audit on $name', (tdb) => {
  let h: Harness;
  let tenant: { id: string; ownerToken: string; ownerId: string };
  const url = (ref: string) => `/v1/tenants/${tenant.id}/integrations/${ref}`;

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
  });
  afterAll(async () => {
    await h.close();
  });

  it('PATCH changes handle, prefix, credentials and settings, validating the merged result', async () => {
    const created = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('patch-me') });
    const id = created.body.id;
    const arn = 'arn:aws:iam::123456789012:role/OrglinkDiscovery';
    const patched = await h.call('PATCH', url('patch-me'), {
      token: tenant.ownerToken,
      body: {
        handle: 'patched',
        discovery: { roleArn: arn, externalId: `${tenant.id}:Changed1` },
        connections: { handlePrefix: 'acme-', regions: ['eu-west-1'] },
        capabilities: ['discovery', 'security_audit'],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id,
      handle: 'patched',
      discovery: { roleName: 'OrglinkDiscovery', roleArn: arn, externalId: `${tenant.id}:Changed1` },
      connections: { handlePrefix: 'acme-', regions: ['eu-west-1'], advanced: {} },
      capabilities: ['discovery', 'security_audit'],
    });
    expect((await h.call('GET', url('patch-me'), { token: tenant.ownerToken })).status).toBe(404);

    const mismatch = await h.call('PATCH', url(id), { token: tenant.ownerToken, body: { discovery: { roleName: 'Renamed' } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({ code: 'role_arn_name_mismatch', field: 'discovery.roleArn' });
    const both = await h.call('PATCH', url(id), {
      token: tenant.ownerToken,
      body: { discovery: { roleName: 'Renamed', roleArn: 'arn:aws-us-gov:iam::123456789012:role/Renamed' } },
    });
    expect(both.status).toBe(200);
    const cleared = await h.call('PATCH', url(id), { token: tenant.ownerToken, body: { connections: { handlePrefix: null } } });
    expect(cleared.body.connections.handlePrefix).toBeNull();
    expect(cleared.body.connections.regions).toEqual(['eu-west-1']);

    for (const [body, code, field] of [
      [{ handle: 'Bad Handle' }, 'handle_bad_character', 'handle'],
      [{ discovery: { externalId: 'x:abcdefgh' } }, 'external_id_wrong_identifier', 'discovery.externalId'],
      [{ connections: { regions: ['nowhere'] } }, 'unknown_region', 'connections.regions.0'],
      [{}, 'nothing_to_update', 'body'],
    ] as const) {
      const reply = await h.call('PATCH', url(id), { token: tenant.ownerToken, body });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ code, field });
    }
  });

  it('PATCH refuses a handle or External ID another integration has (409)', async () => {
    const a = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('clash-a') });
    await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('clash-b') });
    const handle = await h.call('PATCH', url('clash-b'), { token: tenant.ownerToken, body: { handle: 'clash-a' } });
    expect(handle.status).toBe(409);
    expect(handle.body).toMatchObject({ code: 'handle_taken', details: { where: { id: a.body.id, scope: 'tenant' } } });
    const ext = await h.call('PATCH', url('clash-b'), { token: tenant.ownerToken, body: { discovery: { externalId: a.body.discovery.externalId } } });
    expect(ext.status).toBe(409);
    expect(ext.body.code).toBe('external_id_taken');
    const same = await h.call('PATCH', url('clash-a'), { token: tenant.ownerToken, body: { handle: 'clash-a', discovery: { externalId: a.body.discovery.externalId } } });
    expect(same.status).toBe(200);
  });

  it('PATCH and DELETE follow the plan rules', async () => {
    await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('guarded') });
    const admin = await h.user(tenant.id, 'admin');
    const patch = await h.call('PATCH', url('guarded'), { token: admin.token, body: { handle: 'nope' } });
    expect(patch.status).toBe(403);
    expect(patch.body.code).toBe('tenant_integration_requires_tenant_owner');
    const del = await h.call('DELETE', url('guarded'), { token: admin.token, body: { confirm: 'guarded' } });
    expect(del.status).toBe(403);
  });

  it('writes audit entries with who, what, when, before and after, and no secrets', async () => {
    const created = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('audited') });
    await h.store.db.updateTable('integrations').set({ webhook_secret_enc: 'SEALED-SECRET' }).where('id', '=', created.body.id).execute();
    await h.call('PATCH', url('audited'), { token: tenant.ownerToken, body: { connections: { regions: ['us-west-2'] } } });
    await h.call('DELETE', url('audited'), { token: tenant.ownerToken, body: { confirm: 'audited' } });
    const audit = await h.call('GET', `/v1/tenants/${tenant.id}/audit?limit=3`, { token: tenant.ownerToken });
    expect(audit.status).toBe(200);
    const [del, update, create] = audit.body.items;
    expect(create).toMatchObject({
      action: 'integration.create',
      targetKind: 'integration',
      targetId: created.body.id,
      actorUserId: tenant.ownerId,
      actorTokenId: expect.stringMatching(/^tok_/),
      before: null,
      after: expect.objectContaining({ handle: 'audited', discovery: expect.objectContaining({ externalId: created.body.discovery.externalId }) }),
      at: expect.any(String),
      requestId: expect.any(String),
    });
    expect(update.action).toBe('integration.update');
    expect(update.before.connections.regions).toBe('all');
    expect(update.after.connections.regions).toEqual(['us-west-2']);
    expect(del).toMatchObject({ action: 'integration.delete', before: expect.objectContaining({ handle: 'audited' }), after: { deleted: true } });
    expect(audit.text).not.toContain('SEALED-SECRET');
    const older = await h.call('GET', `/v1/tenants/${tenant.id}/audit?limit=1&before=${create.id}`, { token: tenant.ownerToken });
    expect(Number(older.body.items[0].id)).toBeLessThan(Number(create.id));

    const member = await h.user(tenant.id, 'member');
    const refused = await h.call('GET', `/v1/tenants/${tenant.id}/audit`, { token: member.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('audit_requires_tenant_owner_or_admin');
    const badLimit = await h.call('GET', `/v1/tenants/${tenant.id}/audit?limit=0`, { token: tenant.ownerToken });
    expect(badLimit.body).toMatchObject({ code: 'invalid_input', field: 'limit' });
  });

  it('DELETE requires the handle typed back as confirm', async () => {
    await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('keep-me') });
    const wrong = await h.call('DELETE', url('keep-me'), { token: tenant.ownerToken, body: { confirm: 'keep-m' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'confirmation_mismatch', field: 'confirm' });
    const missing = await h.call('DELETE', url('keep-me'), { token: tenant.ownerToken, body: {} });
    expect(missing.body).toMatchObject({ code: 'invalid_input', field: 'confirm' });
    expect((await h.call('GET', url('keep-me'), { token: tenant.ownerToken })).status).toBe(200);
  });

  it('DELETE removes the integration, its folders, connections and their permissions, and nothing else', async () => {
    const doomed = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('doomed') });
    const kept = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('kept') });
    await seedDiscovered(h, tenant.id, doomed.body.id, 'doomed00001');
    await seedDiscovered(h, tenant.id, kept.body.id, 'kept0000001');
    expect(await countRows(h, doomed.body.id)).toEqual({ integrations: 1, folders: 2, connections: 2, permissions: 2 });

    const reply = await h.call('DELETE', url('doomed'), { token: tenant.ownerToken, body: { confirm: 'doomed' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: doomed.body.id, handle: 'doomed', deleted: true, removed: { folders: 2, connections: 2, permissions: 2 } });
    expect(await countRows(h, doomed.body.id)).toEqual({ integrations: 0, folders: 0, connections: 0, permissions: 0 });
    const orphanPermissions = await h.store.db.selectFrom('permissions').select('id').where('id', 'in', ['p_1doomed00001', 'p_2doomed00001']).execute();
    expect(orphanPermissions).toEqual([]);
    expect(await countRows(h, kept.body.id)).toEqual({ integrations: 1, folders: 2, connections: 2, permissions: 2 });
    expect((await h.call('GET', url('doomed'), { token: tenant.ownerToken })).status).toBe(404);
  });

  it('writes nothing when a later step of the transaction fails', async () => {
    const db = h.store.db;
    const victim = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('atomic') });
    await seedDiscovered(h, tenant.id, victim.body.id, 'atomic00001');
    const auditBefore = await db.selectFrom('audit_log').select('id').execute();
    // The audit insert is the last step of every mutation; make it fail.
    await sql`CREATE FUNCTION orglink_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER orglink_test_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION orglink_test_fail()`.execute(db);
    try {
      const create = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('never') });
      expect(create.status).toBe(500);
      expect(create.body).toEqual({ code: 'internal', message: 'Internal error' });
      expect(await db.selectFrom('integrations').select('id').where('handle', '=', 'never').execute()).toEqual([]);

      const del = await h.call('DELETE', url('atomic'), { token: tenant.ownerToken, body: { confirm: 'atomic' } });
      expect(del.status).toBe(500);
      expect(await countRows(h, victim.body.id)).toEqual({ integrations: 1, folders: 2, connections: 2, permissions: 2 });

      const patch = await h.call('PATCH', url('atomic'), { token: tenant.ownerToken, body: { handle: 'renamed-atomic' } });
      expect(patch.status).toBe(500);
      expect((await db.selectFrom('integrations').select('handle').where('id', '=', victim.body.id).executeTakeFirstOrThrow()).handle).toBe('atomic');

      const conn = await h.call('POST', `/v1/tenants/${tenant.id}/connections`, {
        token: tenant.ownerToken,
        body: { handle: 'never-conn', accountId: '123456789012', roleName: 'R' },
      });
      expect(conn.status).toBe(500);
      expect(await db.selectFrom('connections').select('id').where('handle', '=', 'never-conn').execute()).toEqual([]);
    } finally {
      await sql`DROP TRIGGER orglink_test_fail ON audit_log`.execute(db);
      await sql`DROP FUNCTION orglink_test_fail()`.execute(db);
    }
    expect(await db.selectFrom('audit_log').select('id').execute()).toHaveLength(auditBefore.length);
  });
});
