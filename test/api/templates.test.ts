import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, PLATFORM_PRINCIPAL_ARN, integrationBody, startHarness } from './api-harness.js';

describe.each(testDatabases)('template downloads on $name', (tdb) => {
  let h: Harness;
  let tenant: { id: string; ownerToken: string };
  let externalId: string;
  const url = (ref: string, format: string, query = '') => `/v1/tenants/${tenant.id}/integrations/${ref}/templates/${format}${query}`;

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
    const created = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('tpl') });
    externalId = created.body.discovery.externalId;
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['cloudformation', /yaml/, 'orglink-tpl-discovery-role.yaml'],
    ['cloudformation-json', /json/, 'orglink-tpl-discovery-role.json'],
    ['terraform', /text\/plain/, 'orglink-tpl-discovery-role.tf'],
    ['stackset', /yaml/, 'orglink-tpl-member-roles-stackset.yaml'],
    ['stackset-terraform', /text\/plain/, 'orglink-tpl-member-roles-stackset.tf'],
    ['member-cloudformation', /yaml/, 'orglink-tpl-member-role.yaml'],
  ])('serves %s as a download carrying the principal and External ID', async (format, type, filename) => {
    const reply = await h.call('GET', url('tpl', format), { token: tenant.ownerToken });
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(type);
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
    expect(reply.text).toContain(externalId);
    expect(reply.text).toContain(PLATFORM_PRINCIPAL_ARN);
    if (format === 'cloudformation-json') expect(() => JSON.parse(reply.text)).not.toThrow();
    if (type.source === 'yaml') expect(parseYaml(reply.text)).toHaveProperty('Resources');
    const again = await h.call('GET', url('tpl', format), { token: tenant.ownerToken });
    expect(again.text).toBe(reply.text);
  });

  it('targets chosen OUs in the StackSet and validates them', async () => {
    const reply = await h.call('GET', url('tpl', 'stackset', '?ous=ou-ab12-cdefgh12,ou-ab12-zzzzzzzz'), { token: tenant.ownerToken });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('ou-ab12-cdefgh12');
    expect(reply.text).toContain('ou-ab12-zzzzzzzz');
    const bad = await h.call('GET', url('tpl', 'stackset', '?ous=ou-ab12-cdefgh12,nope'), { token: tenant.ownerToken });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'organizational_unit_id_invalid', field: 'ous.1' });
  });

  it('refuses an unknown format with field format', async () => {
    const reply = await h.call('GET', url('tpl', 'pulumi'), { token: tenant.ownerToken });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'template_format_unknown', field: 'format' });
  });

  it('refuses roles in another partition than the platform principal', async () => {
    await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('tpl-cn', { discovery: { roleName: 'R', roleArn: 'arn:aws-cn:iam::123456789012:role/R' } }),
    });
    const reply = await h.call('GET', url('tpl-cn', 'cloudformation'), { token: tenant.ownerToken });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('platform_principal_partition_mismatch');
  });

  it('serves a standalone connection’s member-account template', async () => {
    const conn = await h.call('POST', `/v1/tenants/${tenant.id}/connections`, {
      token: tenant.ownerToken,
      body: { handle: 'trelica', accountId: '123456789012', roleName: 'TrelicaIntegration' },
    });
    const reply = await h.call('GET', `/v1/tenants/${tenant.id}/connections/trelica/templates/member-cloudformation`, { token: tenant.ownerToken });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain(conn.body.externalId);
    expect(reply.text).toContain('TrelicaIntegration');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="orglink-trelica-member-role.yaml"');
    const wrong = await h.call('GET', `/v1/tenants/${tenant.id}/connections/trelica/templates/stackset`, { token: tenant.ownerToken });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'template_format_unknown', field: 'format' });
  });
});
