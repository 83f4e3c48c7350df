/**
 * The event endpoint's authentication through the real API (Fastify inject): the event key
 * and the body signature accept; a wrong key, another integration's key, a stale timestamp,
 * a tampered body or an unknown integration get the same 401, before the body is even
 * validated. Rotation ends the old key at once. Credential routes need an integration manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import type { ApiInstance } from '../../src/api/route-context.js';
import { deriveEventKey, signEventBody } from '../../src/core/events/event-signature.js';
import { newId } from '../../src/core/ids.js';
import { bootstrapAdmin } from '../../src/services/bootstrap.js';
import { pruneIntegrationEvents } from '../../src/services/events/prune-events.js';
import { ensureWebhookSecret } from '../../src/services/events/webhook-secret.js';
import { createSyncAwsAccess } from '../../src/services/sync/sync-service.js';
import type { Store } from '../../src/store/open-store.js';
import { createSecretBox, generateSecretKey } from '../../src/store/secret-box.js';
import { testDatabases } from '../support/databases.js';
import { integrationRow } from '../support/integration-row.js';

const PUBLIC_URL = 'https://orglink.example.com';
const box = createSecretBox(generateSecretKey());
const NOW = new Date('2026-11-21T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

/** An event orglink ignores (no AWS call), so these tests are about authentication only. */
function eventBody(id = 'ev-1'): string {
  return JSON.stringify({ version: '0', id, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.organizations', detail: { eventName: 'TagResource' } });
}

async function insertIntegration(store: Store, tenantId: string, handle: string): Promise<string> {
  const id = newId('i');
  await store.db
    .insertInto('integrations')
    .values(integrationRow({ id, tenant_id: tenantId, handle, role_name: 'OrglinkAccess', external_id: `${tenantId}:${handle.slice(0, 8).padEnd(8, 'x')}`, updated_at: NOW }))
    .execute();
  return id;
}

describe.each(testDatabases)('event endpoint authentication ($name)', (tdb) => {
  let store: Store;
  let app: ApiInstance;
  let adminToken: string;
  let tenantId: string;
  let a: { id: string; key: string; secret: Buffer };
  let b: { id: string; key: string };
  let unkeyed: string;
  const fullSyncs: string[] = [];

  const post = async (integrationId: string, body: string, headers: Record<string, string>) => {
    const response = await app.inject({ method: 'POST', url: `/v1/events/aws/${integrationId}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
    return { status: response.statusCode, body: response.body === '' ? undefined : (JSON.parse(response.body) as Record<string, unknown>) };
  };

  beforeAll(async () => {
    store = await tdb.open();
    const boot = await bootstrapAdmin({ db: store.db });
    adminToken = boot.generatedToken ?? '';
    const aws = createSyncAwsAccess({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } });
    app = await buildApp({
      store,
      config: { platformPrincipalArn: 'arn:aws:iam::111122223333:role/orglink-platform' },
      clock: () => NOW,
      events: {
        secretBox: box, publicUrl: PUBLIC_URL, aws, guard: { maxShare: 0.25, maxCount: 50 },
        requestFullSync: async ({ integrationId }) => {
          fullSyncs.push(integrationId);
        },
      },
    });
    const tenant = await app.inject({ method: 'POST', url: '/v1/tenants', headers: { authorization: `Bearer ${adminToken}` }, payload: { name: 'Acme', plan: 'enterprise' } });
    tenantId = (JSON.parse(tenant.body) as { id: string }).id;
    const aId = await insertIntegration(store, tenantId, 'acme-a');
    const bId = await insertIntegration(store, tenantId, 'acme-b');
    unkeyed = await insertIntegration(store, tenantId, 'acme-c');
    const aSecret = await ensureWebhookSecret(store.db, box, aId);
    const bSecret = await ensureWebhookSecret(store.db, box, bId);
    a = { id: aId, key: deriveEventKey(aSecret, aId), secret: aSecret };
    b = { id: bId, key: deriveEventKey(bSecret, bId) };
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('accepts the event key (X-Orglink-Event-Key) and answers 202 for an event that changes nothing', async () => {
    const reply = await post(a.id, eventBody(), { 'x-orglink-event-key': a.key });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'ignored', eventId: 'ev-1', eventName: 'TagResource' });
  });

  it('accepts a fresh signature (X-Orglink-Signature) over the raw body', async () => {
    const body = eventBody('ev-2');
    const reply = await post(a.id, body, { 'x-orglink-signature': signEventBody(a.secret, T - 60, body) });
    expect(reply.status).toBe(202);
  });

  const refusals: Array<[string, () => [string, string, Record<string, string>]]> = [
    ['no credentials', () => [a.id, eventBody(), {}]],
    ['a wrong key', () => [a.id, eventBody(), { 'x-orglink-event-key': `${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}` }]],
    ["another integration's key", () => [a.id, eventBody(), { 'x-orglink-event-key': b.key }]],
    ['a key on an unknown integration', () => [newId('i'), eventBody(), { 'x-orglink-event-key': a.key }]],
    ['a malformed integration id', () => ['Not-An-Id', eventBody(), { 'x-orglink-event-key': a.key }]],
    ['an integration with no secret issued yet', () => [unkeyed, eventBody(), { 'x-orglink-event-key': a.key }]],
    ['a stale timestamp (6 minutes)', () => [a.id, eventBody(), { 'x-orglink-signature': signEventBody(a.secret, T - 360, eventBody()) }]],
    ['a tampered body', () => [a.id, eventBody('ev-tampered'), { 'x-orglink-signature': signEventBody(a.secret, T, eventBody()) }]],
    ['a valid key with a bad signature', () => [a.id, eventBody(), { 'x-orglink-event-key': a.key, 'x-orglink-signature': `t=${T},v1=${'0'.repeat(64)}` }]],
    ['malformed JSON without credentials (401 before 400)', () => [a.id, '{not json', {}]],
  ];

  it.each(refusals)('refuses %s with the same 401', async (_, request) => {
    const [integrationId, body, headers] = request();
    const reply = await post(integrationId, body, headers);
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ code: 'event_unauthorized', message: 'The event was not accepted: unknown integration or invalid credentials' });
  });

  it.each([
    ['malformed JSON', '{not json'],
    ['an envelope without detail', JSON.stringify({ id: 'x', source: 'aws.organizations', 'detail-type': 'AWS API Call via CloudTrail' })],
  ])('validates the body only after authentication: %s → 400', async (_, body) => {
    const reply = await post(a.id, body, { 'x-orglink-signature': signEventBody(a.secret, T, body) });
    expect(reply.status).toBe(400);
  });

  it('rotation ends the old key at once and returns the new credentials; it is audited without secrets', async () => {
    const rotated = await app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/integrations/acme-b/events/rotate-key`, headers: { authorization: `Bearer ${adminToken}` } });
    expect(rotated.statusCode).toBe(200);
    const credentials = JSON.parse(rotated.body) as { endpointUrl: string; eventKey: string; signingSecret: string };
    expect(credentials.endpointUrl).toBe(`${PUBLIC_URL}/v1/events/aws/${b.id}`);
    expect(credentials.eventKey).not.toBe(b.key);
    expect(deriveEventKey(Buffer.from(credentials.signingSecret, 'base64'), b.id)).toBe(credentials.eventKey);
    expect((await post(b.id, eventBody('ev-3'), { 'x-orglink-event-key': b.key })).status).toBe(401);
    expect((await post(b.id, eventBody('ev-3'), { 'x-orglink-event-key': credentials.eventKey })).status).toBe(202);
    const audit = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'integration.events.rotate_key').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]?.after)).not.toContain(credentials.signingSecret);
  });

  it('reads the credentials (creating the secret lazily) for managers only', async () => {
    const read = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/integrations/acme-c/events`, headers: { authorization: `Bearer ${adminToken}` } });
    expect(read.statusCode).toBe(200);
    const { eventKey } = JSON.parse(read.body) as { eventKey: string };
    expect((await post(unkeyed, eventBody('ev-4'), { 'x-orglink-event-key': eventKey })).status).toBe(202);
    const again = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/integrations/acme-c/events`, headers: { authorization: `Bearer ${adminToken}` } });
    expect((JSON.parse(again.body) as { eventKey: string }).eventKey).toBe(eventKey);

    const member = await app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/members`, headers: { authorization: `Bearer ${adminToken}` }, payload: { email: 'm@example.com', name: 'M', role: 'member' } });
    const userId = (JSON.parse(member.body) as { user: { id: string } }).user.id;
    const token = await app.inject({ method: 'POST', url: `/v1/users/${userId}/tokens`, headers: { authorization: `Bearer ${adminToken}` }, payload: { name: 't' } });
    const memberToken = (JSON.parse(token.body) as { token: string }).token;
    const refused = await app.inject({ method: 'GET', url: `/v1/tenants/${tenantId}/integrations/acme-c/events`, headers: { authorization: `Bearer ${memberToken}` } });
    expect([403, 404]).toContain(refused.statusCode);
    const anonymous = await app.inject({ method: 'POST', url: `/v1/tenants/${tenantId}/integrations/acme-c/events/rotate-key` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('documents the routes in OpenAPI, the receiver without bearer security', async () => {
    const spec = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body) as {
      paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    };
    expect(spec.paths['/v1/events/aws/{integrationId}']?.post).toMatchObject({ operationId: 'receiveAwsEvent', security: [] });
    expect(spec.paths['/v1/tenants/{tenantId}/integrations/{ref}/events/rotate-key']?.post?.operationId).toBe('rotateIntegrationEventKey');
    expect(spec.paths['/v1/tenants/{tenantId}/integrations/{ref}/events']?.get?.operationId).toBe('getIntegrationEventCredentials');
  });

  it('prunes event records older than the retention, keeping recent ones', async () => {
    const events = store.db;
    const row = (eventId: string, hoursAgo: number) => ({
      tenant_id: tenantId, integration_id: a.id, event_id: eventId, event_name: 'MoveAccount',
      received_at: new Date(NOW.getTime() - hoursAgo * 3600_000), processed_at: NOW, outcome: JSON.stringify({ status: 'unchanged' }),
    });
    await events.insertInto('integration_events').values([row('old', 49), row('recent', 47)]).execute();
    expect(await pruneIntegrationEvents(store.db, NOW)).toBe(1);
    const left = await events.selectFrom('integration_events').select('event_id').where('integration_id', '=', a.id).execute();
    expect(left.map((r) => r.event_id)).toEqual(['recent']);
  });

  it('never asked for a full sync: ignored events need none', () => {
    expect(fullSyncs).toEqual([]);
  });
});
