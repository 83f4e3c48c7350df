/** An integration's sync group: its own schedule (create, PATCH, refusals, audit, OpenAPI) and, against the sandbox, its sync state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExternalId } from '../../src/core/external-id.js';
import { testDatabases } from '../support/databases.js';
import { startSyncApiHarness, type SyncApiHarness } from '../sync/sync-api-harness.js';
import { type Harness, integrationBody, startHarness } from './api-harness.js';

const ALLOWED = 'null (the server default), 0 (never scheduled) or a whole number of seconds from 300 to 604800 (7 days)';
const NEVER_SYNCED = { lastSyncedAt: null, lastSyncStatus: null, intervalSeconds: null };

describe.each(testDatabases)('integration sync interval on $name', (tdb) => {
  let h: Harness;
  let tenant: { id: string; ownerToken: string };
  const url = (ref: string) => `/v1/tenants/${tenant.id}/integrations/${ref}`;
  const create = (body: unknown) => h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body });
  const patch = (ref: string, body: unknown) => h.call('PATCH', url(ref), { token: tenant.ownerToken, body });
  const storedInterval = async (id: string) =>
    (await h.store.db.selectFrom('integrations').select('sync_interval_seconds').where('id', '=', id).executeTakeFirstOrThrow()).sync_interval_seconds;

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
  });
  afterAll(async () => {
    await h.close();
  });

  it('a new integration follows the server default and has never synced', async () => {
    const created = await create(integrationBody('plain'));
    expect(created.status).toBe(201);
    expect(created.body.sync).toEqual(NEVER_SYNCED);
    expect((await h.call('GET', url('plain'), { token: tenant.ownerToken })).body.sync).toEqual(NEVER_SYNCED);
    const list = await h.call('GET', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken });
    expect(list.body.items.find((i: { handle: string }) => i.handle === 'plain').sync).toEqual(NEVER_SYNCED);
  });

  it.each([
    [0, 0],
    [300, 300],
    [604_800, 604_800],
    [null, null],
  ])('create stores an interval of %j', async (value, expected) => {
    const handle = `created-${String(value)}`;
    const created = await create(integrationBody(handle, { sync: { intervalSeconds: value } }));
    expect(created.status).toBe(201);
    expect(created.body.sync).toEqual({ ...NEVER_SYNCED, intervalSeconds: expected });
    expect(await storedInterval(created.body.id)).toBe(expected);
  });

  it('PATCH sets, turns off and clears the interval, and other PATCHes leave it alone', async () => {
    const { body } = await create(integrationBody('scheduled'));
    const set = await patch('scheduled', { sync: { intervalSeconds: 3600 } });
    expect(set.status).toBe(200);
    expect(set.body.sync).toEqual({ ...NEVER_SYNCED, intervalSeconds: 3600 });
    expect(await storedInterval(body.id)).toBe(3600);

    const renamed = await patch('scheduled', { connections: { regions: ['eu-west-1'] } });
    expect(renamed.body.sync.intervalSeconds).toBe(3600);

    const off = await patch('scheduled', { sync: { intervalSeconds: 0 } });
    expect(off.body.sync.intervalSeconds).toBe(0);
    expect(await storedInterval(body.id)).toBe(0);

    const cleared = await patch('scheduled', { sync: { intervalSeconds: null } });
    expect(cleared.body.sync).toEqual(NEVER_SYNCED);
    expect(await storedInterval(body.id)).toBeNull();
  });

  it.each([
    ['299', 299, 'sync_interval_invalid'],
    ['604801', 604_801, 'sync_interval_invalid'],
    ['1.5', 1.5, 'sync_interval_invalid'],
    ['negative', -3600, 'sync_interval_invalid'],
    ['a string', 'x', 'invalid_input'],
    ['a numeric string', '3600', 'invalid_input'],
    ['a boolean', true, 'invalid_input'],
  ])('refuses %s on create and PATCH with field sync.intervalSeconds', async (_label, value, code) => {
    const handle = `refused-${_label.replace(/[^a-z0-9]/g, '')}`;
    const refusedCreate = await create(integrationBody(handle, { sync: { intervalSeconds: value } }));
    expect(refusedCreate.status).toBe(400);
    expect(refusedCreate.body).toMatchObject({ code, field: 'sync.intervalSeconds' });
    expect(refusedCreate.body.message).toContain(ALLOWED);
    expect(await h.store.db.selectFrom('integrations').select('id').where('handle', '=', handle).execute()).toEqual([]);

    const { body } = await create(integrationBody(handle, { sync: { intervalSeconds: 900 } }));
    const refusedPatch = await patch(handle, { sync: { intervalSeconds: value } });
    expect(refusedPatch.status).toBe(400);
    expect(refusedPatch.body).toMatchObject({ code, field: 'sync.intervalSeconds' });
    expect(refusedPatch.body.message).toContain(ALLOWED);
    expect(await storedInterval(body.id)).toBe(900);
  });

  it('refuses a sync group without an interval or with unknown keys', async () => {
    await create(integrationBody('strict'));
    const empty = await patch('strict', { sync: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'invalid_input', field: 'sync.intervalSeconds' });
    const unknown = await patch('strict', { sync: { intervalSeconds: 600, cron: '* * * * *' } });
    expect(unknown.body).toMatchObject({ code: 'invalid_input', field: 'sync.cron' });
    const readOnly = await patch('strict', { sync: { intervalSeconds: 600, lastSyncStatus: 'succeeded' } });
    expect(readOnly.body).toMatchObject({ code: 'invalid_input', field: 'sync.lastSyncStatus' });
  });

  it('audits the change of interval with before and after', async () => {
    const { body } = await create(integrationBody('audited-sync'));
    await patch('audited-sync', { sync: { intervalSeconds: 7200 } });
    const audit = await h.call('GET', `/v1/tenants/${tenant.id}/audit?limit=2`, { token: tenant.ownerToken });
    const [update, created] = audit.body.items;
    expect(created).toMatchObject({ action: 'integration.create', targetId: body.id, after: { sync: NEVER_SYNCED } });
    expect(update).toMatchObject({
      action: 'integration.update',
      targetId: body.id,
      before: { sync: { intervalSeconds: null } },
      after: { sync: { intervalSeconds: 7200 } },
    });
  });

  it("another tenant's integration is a 404, and its interval stays", async () => {
    const other = await h.tenant('enterprise');
    const theirs = await h.call('POST', `/v1/tenants/${other.id}/integrations`, {
      token: other.ownerToken,
      body: integrationBody('theirs', { sync: { intervalSeconds: 600 } }),
    });
    for (const ref of ['theirs', theirs.body.id as string]) {
      const viaOwn = await patch(ref, { sync: { intervalSeconds: 0 } });
      expect(viaOwn.status).toBe(404);
      expect(viaOwn.body.code).toBe('integration_not_found');
      const viaTheirs = await h.call('PATCH', `/v1/tenants/${other.id}/integrations/${ref}`, { token: tenant.ownerToken, body: { sync: { intervalSeconds: 0 } } });
      expect(viaTheirs.status).toBe(404);
      expect((await h.call('GET', `/v1/tenants/${other.id}/integrations/${ref}`, { token: tenant.ownerToken })).status).toBe(404);
    }
    expect(await storedInterval(theirs.body.id)).toBe(600);
  });

  it('OpenAPI shows the sync group in the create and PATCH bodies and in the integration', async () => {
    const doc = (await h.call('GET', '/openapi.json', { token: null })).body;
    const jsonSchema = (op: { requestBody?: { content: Record<string, { schema: any }> } }) => op.requestBody?.content['application/json']?.schema; // eslint-disable-line @typescript-eslint/no-explicit-any
    const post = doc.paths['/v1/tenants/{tenantId}/integrations'].post;
    const patchOp = doc.paths['/v1/tenants/{tenantId}/integrations/{ref}'].patch;
    for (const op of [post, patchOp]) {
      const interval = jsonSchema(op).properties.sync.properties.intervalSeconds;
      expect(interval).toMatchObject({ type: 'number', nullable: true });
      expect(interval.description).toContain(ALLOWED);
    }
    const view = patchOp.responses['200'].content['application/json'].schema.properties.sync;
    expect(Object.keys(view.properties).sort()).toEqual(['intervalSeconds', 'lastSyncStatus', 'lastSyncedAt']);
    expect(view.properties.lastSyncStatus.enum).toEqual(['succeeded', 'failed', 'awaiting_approval']);
  });
});

describe.each(testDatabases)('integration sync state after syncs on $name', (tdb) => {
  let h: SyncApiHarness;
  let url: string;

  beforeAll(async () => {
    h = await startSyncApiHarness(tdb, { accounts: 3, ous: 1, seed: 7 });
    url = `/v1/tenants/${h.tenantId}/integrations/${h.integrationHandle}`;
  });
  afterAll(async () => {
    await h.close();
  });

  const syncNow = async () => {
    const reply = await h.call('POST', `${url}/sync`, { token: h.ownerToken, body: {} });
    expect(reply.status).toBe(202);
    await h.runner.drain();
    return (await h.call('GET', `/v1/tenants/${h.tenantId}/sync-runs/${reply.body.run.id}`, { token: h.ownerToken })).body;
  };

  it('shows null before the first sync, then when the last sync ended and how', async () => {
    expect((await h.call('GET', url, { token: h.ownerToken })).body.sync).toEqual(NEVER_SYNCED);

    const succeeded = await syncNow();
    expect(succeeded.status).toBe('succeeded');
    const afterSuccess = (await h.call('GET', url, { token: h.ownerToken })).body.sync;
    expect(afterSuccess).toEqual({ lastSyncedAt: succeeded.finishedAt, lastSyncStatus: 'succeeded', intervalSeconds: null });
    expect(new Date(afterSuccess.lastSyncedAt).toISOString()).toBe(afterSuccess.lastSyncedAt);

    // Another External ID than the sandbox's role expects: AssumeRole is denied and the run fails.
    const original = (await h.call('GET', url, { token: h.ownerToken })).body.discovery.externalId;
    expect((await h.call('PATCH', url, { token: h.ownerToken, body: { discovery: { externalId: generateExternalId(h.tenantId) } } })).status).toBe(200);
    const failed = await syncNow();
    expect(failed.status).toBe('failed');
    const list = await h.call('GET', `/v1/tenants/${h.tenantId}/integrations`, { token: h.ownerToken });
    expect(list.body.items[0].sync).toEqual({ lastSyncedAt: failed.finishedAt, lastSyncStatus: 'failed', intervalSeconds: null });
    expect(Date.parse(failed.finishedAt)).toBeGreaterThanOrEqual(Date.parse(succeeded.finishedAt));

    // The schedule is a setting of its own: changing it keeps the sync state.
    await h.call('PATCH', url, { token: h.ownerToken, body: { discovery: { externalId: original }, sync: { intervalSeconds: 86_400 } } });
    const scheduled = (await h.call('GET', url, { token: h.ownerToken })).body.sync;
    expect(scheduled).toEqual({ lastSyncedAt: failed.finishedAt, lastSyncStatus: 'failed', intervalSeconds: 86_400 });
  });

  it("another tenant cannot read or set the sync state of this integration (404)", async () => {
    const other = await h.otherTenant();
    expect((await h.call('GET', url, { token: other.ownerToken })).status).toBe(404);
    const set = await h.call('PATCH', url, { token: other.ownerToken, body: { sync: { intervalSeconds: 0 } } });
    expect(set.status).toBe(404);
    expect((await h.call('GET', url, { token: h.ownerToken })).body.sync.intervalSeconds).toBe(86_400);
  });
});
