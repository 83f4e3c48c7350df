import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, startHarness } from './api-harness.js';

const METHODS = ['get', 'post', 'patch', 'delete', 'put'] as const;

describe.each(testDatabases)('OpenAPI document and error mapping on $name', (tdb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(tdb);
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists every route with an operationId, tags, request and response schemas', async () => {
    const reply = await h.call('GET', '/openapi.json', { token: null });
    expect(reply.status).toBe(200);
    const doc = reply.body;
    expect(doc.openapi).toMatch(/^3\./);
    const operations: Array<{ path: string; method: string; op: Record<string, any> }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of METHODS) {
        if (item[method]) operations.push({ path, method, op: item[method] as Record<string, unknown> });
      }
    }
    for (const expected of [
      'get /healthz', 'get /v1/me', 'post /v1/tenants', 'get /v1/tenants', 'get /v1/tenants/{tenantId}',
      'post /v1/tenants/{tenantId}/orgs', 'get /v1/tenants/{tenantId}/orgs', 'get /v1/orgs/{orgId}',
      'post /v1/orgs/{orgId}/workspaces', 'get /v1/orgs/{orgId}/workspaces',
      'post /v1/tenants/{tenantId}/members', 'get /v1/tenants/{tenantId}/members',
      'post /v1/users/{userId}/tokens', 'get /v1/users/{userId}/tokens', 'delete /v1/users/{userId}/tokens/{tokenId}',
      'post /v1/tenants/{tenantId}/integrations', 'get /v1/tenants/{tenantId}/integrations',
      'post /v1/orgs/{orgId}/integrations', 'get /v1/orgs/{orgId}/integrations',
      'get /v1/tenants/{tenantId}/integrations/{ref}', 'patch /v1/tenants/{tenantId}/integrations/{ref}',
      'delete /v1/tenants/{tenantId}/integrations/{ref}', 'get /v1/tenants/{tenantId}/integrations/{ref}/templates/{format}',
      'post /v1/tenants/{tenantId}/connections', 'get /v1/tenants/{tenantId}/connections',
      'get /v1/tenants/{tenantId}/connections/{ref}', 'patch /v1/tenants/{tenantId}/connections/{ref}',
      'delete /v1/tenants/{tenantId}/connections/{ref}', 'get /v1/tenants/{tenantId}/connections/{ref}/templates/{format}',
      'get /v1/tenants/{tenantId}/audit', 'get /v1/audit',
    ]) {
      expect(operations.map((o) => `${o.method} ${o.path}`)).toContain(expected);
    }
    const ids = new Set<string>();
    for (const { path, method, op } of operations) {
      const where = `${method} ${path}`;
      expect(op.operationId, where).toEqual(expect.any(String));
      expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      expect(op.tags?.length, where).toBeGreaterThan(0);
      const success = op.responses['200'] ?? op.responses['201'];
      expect(success?.content, where).toBeDefined();
      if (path.includes('{')) expect(op.parameters?.some((p: { in: string }) => p.in === 'path'), where).toBe(true);
      if (['post', 'patch', 'delete'].includes(method) && !path.includes('/tokens/{tokenId}')) {
        expect(op.requestBody?.content?.['application/json']?.schema, where).toBeDefined();
      }
      if (path.startsWith('/v1/')) expect(op.responses['404'], where).toBeDefined();
    }
    const integration = doc.paths['/v1/tenants/{tenantId}/integrations/{ref}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(integration.properties)).toContain('discovery');
    expect(JSON.stringify(integration)).not.toContain('webhook');
  });

  it('serves readable docs at /docs', async () => {
    const reply = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain('swagger');
  });

  it('maps bad JSON, oversized bodies, wrong media types and unknown routes to typed errors', async () => {
    const headers = { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' };
    const badJson = await h.app.inject({ method: 'POST', url: '/v1/tenants', headers, payload: '{"name": ' });
    expect(badJson.statusCode).toBe(400);
    expect(JSON.parse(badJson.body)).toMatchObject({ code: 'invalid_json' });
    const big = await h.app.inject({ method: 'POST', url: '/v1/tenants', headers, payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), plan: 'standard' }) });
    expect(big.statusCode).toBe(400);
    expect(JSON.parse(big.body)).toMatchObject({ code: 'body_too_large' });
    const media = await h.app.inject({ method: 'POST', url: '/v1/tenants', headers: { ...headers, 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(media.statusCode).toBe(400);
    expect(JSON.parse(media.body)).toMatchObject({ code: 'unsupported_media_type' });
    const missing = await h.call('GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('route_not_found');
    const noBody = await h.call('POST', '/v1/tenants');
    expect(noBody.status).toBe(400);
    expect(noBody.body).toMatchObject({ code: 'invalid_input', field: 'body' });
  });

  it('checks auth before input, so unauthenticated callers learn nothing', async () => {
    const reply = await h.call('POST', '/v1/tenants', { token: null, body: { nonsense: true } });
    expect(reply.status).toBe(401);
  });
});
