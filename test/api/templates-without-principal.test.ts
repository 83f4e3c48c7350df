/**
 * Template downloads on a server with no platform principal configured: access is checked
 * first, so a caller who may not read the integration or connection gets exactly the refusal
 * its own route gives (404 for another tenant's object or another org's, 401 without a token),
 * and only a caller who may read it learns that the server lacks a principal (409).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import type { ApiInstance } from '../../src/api/route-context.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import { testDatabases } from '../support/databases.js';
import { type Harness, integrationBody, startHarness } from './api-harness.js';

describe.each(testDatabases)('template downloads without a platform principal on $name', (tdb) => {
  let h: Harness;
  /** The same database, served by an app whose config has no platform principal (events on, so a download could write). */
  let bare: ApiInstance;
  let a: { id: string; ownerToken: string };
  let b: { id: string; ownerToken: string };
  let own: { integrationId: string; connectionId: string };
  let theirs: { integrationId: string; connectionId: string };
  let orgIntegrationId: string;
  let otherOrgMemberToken: string;

  async function get(url: string, token: string | null): Promise<{ status: number; body: { code?: string; message?: string } }> {
    const response = await bare.inject({ method: 'GET', url, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: JSON.parse(response.body) as { code?: string; message?: string } };
  }

  async function createObjects(tenant: { id: string; ownerToken: string }, prefix: string): Promise<{ integrationId: string; connectionId: string }> {
    const integration = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody(`${prefix}-int`) });
    const connection = await h.call('POST', `/v1/tenants/${tenant.id}/connections`, {
      token: tenant.ownerToken,
      body: { handle: `${prefix}-conn`, accountId: '123456789012', roleName: 'TrelicaIntegration' },
    });
    if (integration.status !== 201 || connection.status !== 201) throw new Error(`set-up failed: ${integration.text} ${connection.text}`);
    return { integrationId: integration.body.id as string, connectionId: connection.body.id as string };
  }

  beforeAll(async () => {
    h = await startHarness(tdb);
    bare = await buildApp({
      store: h.store,
      config: { templateEvents: { secretBox: createSecretBox(randomBytes(32).toString('base64')), publicUrl: 'https://orglink.example.com' } },
    });
    a = await h.tenant('enterprise');
    b = await h.tenant('enterprise');
    own = await createObjects(a, 'own');
    theirs = await createObjects(b, 'their');
    const org = await h.org(a.id, 'team');
    const otherOrg = await h.org(a.id, 'team');
    const orgIntegration = await h.call('POST', `/v1/orgs/${org.id}/integrations`, { token: a.ownerToken, body: integrationBody('org-int') });
    orgIntegrationId = orgIntegration.body.id as string;
    otherOrgMemberToken = (await h.user(a.id, 'member', otherOrg.id)).token;
  });
  afterAll(async () => {
    await bare.close();
    await h.close();
  });

  it('answers 404 for another tenant’s integration or connection, as their own routes do', async () => {
    const cases = [
      [`/v1/tenants/${a.id}/integrations/${theirs.integrationId}`, '/templates/cloudformation'],
      [`/v1/tenants/${b.id}/integrations/${theirs.integrationId}`, '/templates/stackset'],
      [`/v1/tenants/${a.id}/connections/${theirs.connectionId}`, '/templates/member-cloudformation'],
      [`/v1/tenants/${b.id}/connections/${theirs.connectionId}`, '/templates/member-terraform'],
    ];
    for (const [object, template] of cases) {
      const download = await get(`${object}${template}`, a.ownerToken);
      const read = await get(object ?? '', a.ownerToken);
      expect({ url: `${object}${template}`, status: download.status, code: download.body.code }).toEqual({
        url: `${object}${template}`,
        status: 404,
        code: read.body.code,
      });
      expect(read.status).toBe(404);
    }
  });

  it('refuses a member of another org and a caller without a token as the integration route does', async () => {
    const object = `/v1/tenants/${a.id}/integrations/${orgIntegrationId}`;
    for (const token of [otherOrgMemberToken, null]) {
      const download = await get(`${object}/templates/cloudformation`, token);
      const read = await get(object, token);
      expect({ status: download.status, code: download.body.code }).toEqual({ status: read.status, code: read.body.code });
      expect([401, 404]).toContain(download.status);
    }
    expect((await get(`${object}/templates/cloudformation`, a.ownerToken)).status).toBe(409);
  });

  it('answers 409 platform_principal_arn_not_configured for the caller’s own objects, writing nothing', async () => {
    const before = await h.store.db.selectFrom('integrations').select('webhook_secret_enc').where('id', '=', own.integrationId).executeTakeFirstOrThrow();
    for (const url of [
      `/v1/tenants/${a.id}/integrations/${own.integrationId}/templates/cloudformation`,
      `/v1/tenants/${a.id}/integrations/own-int/templates/terraform`,
      `/v1/tenants/${a.id}/connections/own-conn/templates/member-cloudformation`,
    ]) {
      const reply = await get(url, a.ownerToken);
      expect({ url, status: reply.status, code: reply.body.code }).toEqual({ url, status: 409, code: 'platform_principal_arn_not_configured' });
      expect(reply.body.message).toContain('ORGLINK_PLATFORM_PRINCIPAL_ARN');
    }
    // The management templates would carry the events part: the refused download created no webhook secret.
    const after = await h.store.db.selectFrom('integrations').select('webhook_secret_enc').where('id', '=', own.integrationId).executeTakeFirstOrThrow();
    expect(after.webhook_secret_enc).toBe(before.webhook_secret_enc);
    expect(after.webhook_secret_enc).toBeNull();
  });
});
