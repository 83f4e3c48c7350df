import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, integrationBody, startHarness } from './api-harness.js';

/**
 * Another tenant's object is a 404, indistinguishable from one that never existed: for every
 * route kind, an owner of tenant A addressing tenant B (or B's objects through A's routes)
 * gets the same 404 as for an id nobody has.
 */
describe.each(testDatabases)('cross-tenant isolation on $name', (tdb) => {
  let h: Harness;
  let a: { id: string; ownerToken: string; ownerId: string };
  let b: { id: string; ownerToken: string; ownerId: string };
  let bOrg: { id: string };
  let bIntegration: { id: string; handle: string };
  let bConnection: { id: string; handle: string };

  beforeAll(async () => {
    h = await startHarness(tdb);
    a = await h.tenant('enterprise');
    b = await h.tenant('enterprise');
    await h.org(a.id, 'team');
    bOrg = await h.org(b.id, 'team');
    await h.workspace(bOrg.id, 'b-ws');
    const integration = await h.call('POST', `/v1/orgs/${bOrg.id}/integrations`, { token: b.ownerToken, body: integrationBody('b-int') });
    bIntegration = { id: integration.body.id, handle: 'b-int' };
    const connection = await h.call('POST', `/v1/tenants/${b.id}/connections`, {
      token: b.ownerToken,
      body: { handle: 'b-conn', accountId: '123456789012', roleName: 'R' },
    });
    bConnection = { id: connection.body.id, handle: 'b-conn' };
  });
  afterAll(async () => {
    await h.close();
  });

  const routes = (): Array<[string, string, unknown?]> => [
    ['GET', `/v1/tenants/${b.id}`],
    ['GET', `/v1/tenants/${b.id}/orgs`],
    ['POST', `/v1/tenants/${b.id}/orgs`, { name: 'x', plan: 'team' }],
    ['GET', `/v1/orgs/${bOrg.id}`],
    ['GET', `/v1/orgs/${bOrg.id}/workspaces`],
    ['POST', `/v1/orgs/${bOrg.id}/workspaces`, { handle: 'x', name: 'x' }],
    ['GET', `/v1/tenants/${b.id}/members`],
    ['POST', `/v1/tenants/${b.id}/members`, { email: 'x@example.com', name: 'x', role: 'member' }],
    ['POST', `/v1/tenants/${a.id}/members`, { email: 'y@example.com', name: 'y', role: 'member', orgId: bOrg.id }],
    ['GET', `/v1/tenants/${b.id}/integrations`],
    ['POST', `/v1/tenants/${b.id}/integrations`, integrationBody('x')],
    ['GET', `/v1/orgs/${bOrg.id}/integrations`],
    ['POST', `/v1/orgs/${bOrg.id}/integrations`, integrationBody('x')],
    ['GET', `/v1/tenants/${b.id}/integrations/${bIntegration.id}`],
    ['GET', `/v1/tenants/${a.id}/integrations/${bIntegration.id}`],
    ['GET', `/v1/tenants/${a.id}/integrations/${bIntegration.handle}`],
    ['PATCH', `/v1/tenants/${b.id}/integrations/${bIntegration.id}`, { handle: 'stolen' }],
    ['PATCH', `/v1/tenants/${a.id}/integrations/${bIntegration.id}`, { handle: 'stolen' }],
    ['DELETE', `/v1/tenants/${b.id}/integrations/${bIntegration.id}`, { confirm: 'b-int' }],
    ['DELETE', `/v1/tenants/${a.id}/integrations/${bIntegration.id}`, { confirm: 'b-int' }],
    ['GET', `/v1/tenants/${b.id}/integrations/${bIntegration.id}/templates/cloudformation`],
    ['GET', `/v1/tenants/${a.id}/integrations/${bIntegration.id}/templates/cloudformation`],
    ['GET', `/v1/tenants/${b.id}/connections`],
    ['POST', `/v1/tenants/${b.id}/connections`, { handle: 'x', accountId: '123456789012', roleName: 'R' }],
    ['POST', `/v1/tenants/${a.id}/connections`, { handle: 'x', orgId: bOrg.id, accountId: '123456789012', roleName: 'R' }],
    ['GET', `/v1/tenants/${b.id}/connections/${bConnection.id}`],
    ['GET', `/v1/tenants/${a.id}/connections/${bConnection.id}`],
    ['GET', `/v1/tenants/${a.id}/connections/${bConnection.handle}`],
    ['PATCH', `/v1/tenants/${a.id}/connections/${bConnection.id}`, { title: 'stolen' }],
    ['DELETE', `/v1/tenants/${a.id}/connections/${bConnection.id}`, { confirm: 'b-conn' }],
    ['GET', `/v1/tenants/${a.id}/connections/${bConnection.id}/templates/member-cloudformation`],
    ['GET', `/v1/tenants/${b.id}/audit`],
    ['GET', `/v1/users/${b.ownerId}/tokens`],
    ['POST', `/v1/users/${b.ownerId}/tokens`, { name: 'x' }],
  ];

  it('answers 404 on every route kind for another tenant’s objects', async () => {
    for (const [method, url, body] of routes()) {
      const reply = await h.call(method, url, { token: a.ownerToken, ...(body === undefined ? {} : { body }) });
      expect({ method, url, status: reply.status }).toEqual({ method, url, status: 404 });
    }
    const after = await h.call('GET', `/v1/tenants/${b.id}/integrations/${bIntegration.id}`, { token: b.ownerToken });
    expect(after.body.handle).toBe('b-int');
    const conn = await h.call('GET', `/v1/tenants/${b.id}/connections/${bConnection.id}`, { token: b.ownerToken });
    expect(conn.body.title).toBe('b-conn');
  });

  it('gives the same 404 body for another tenant’s id as for an id nobody has', async () => {
    const theirs = await h.call('GET', `/v1/tenants/${b.id}`, { token: a.ownerToken });
    const nobody = await h.call('GET', '/v1/tenants/t_000000000000', { token: a.ownerToken });
    expect(theirs.body.code).toBe(nobody.body.code);
    const theirOrg = await h.call('GET', `/v1/orgs/${bOrg.id}`, { token: a.ownerToken });
    const noOrg = await h.call('GET', '/v1/orgs/o_000000000000', { token: a.ownerToken });
    expect(theirOrg.body.code).toBe(noOrg.body.code);
  });

  it('lets the installation admin see every tenant without a membership', async () => {
    const tenants = await h.call('GET', '/v1/tenants');
    expect(tenants.body.items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await h.call('GET', `/v1/tenants/${b.id}/integrations/${bIntegration.id}`)).body.handle).toBe('b-int');
    expect((await h.call('GET', `/v1/tenants/${b.id}/connections/${bConnection.handle}`)).body.id).toBe(bConnection.id);
    expect((await h.call('GET', `/v1/tenants/${b.id}/audit?limit=1`)).status).toBe(200);
  });
});
