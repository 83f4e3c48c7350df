import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.js';
import { type Harness, integrationBody, startHarness } from './api-harness.js';

describe.each(testDatabases)('integration create rules on $name', (tdb) => {
  let h: Harness;
  let tenant: { id: string; ownerToken: string };
  let n = 0;
  const handle = () => `int-${++n}`;
  const create = (body: unknown, token = tenant.ownerToken) => h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token, body });

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates with defaults: generated External ID, all regions, discovery + read_only, no permissions', async () => {
    const reply = await create(integrationBody('aws-prod'));
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^i_[a-z0-9]{12}$/),
      tenantId: tenant.id,
      orgId: null,
      scope: 'tenant',
      kind: 'aws_organization',
      handle: 'aws-prod',
      discovery: { roleName: 'OrglinkDiscovery', externalId: expect.stringMatching(new RegExp(`^${tenant.id}:[A-Za-z0-9]{8}$`)), roleArn: null },
      connections: { handlePrefix: null, regions: 'all', advanced: {} },
      capabilities: ['discovery', 'read_only'],
      customPolicyArns: [],
      extraActions: [],
      permissions: { mode: 'none', workspaceIds: [] },
    });
    expect(reply.text).not.toContain('webhook');
    const shown = await h.call('GET', `/v1/tenants/${tenant.id}/integrations/aws-prod`, { token: tenant.ownerToken });
    expect(shown.body).toEqual(reply.body);
    expect((await h.call('GET', `/v1/tenants/${tenant.id}/integrations/${reply.body.id}`, { token: tenant.ownerToken })).body.handle).toBe('aws-prod');
  });

  it('never returns the stored webhook secret', async () => {
    const created = await create(integrationBody(handle()));
    await h.store.db.updateTable('integrations').set({ webhook_secret_enc: 'SEALED-SECRET' }).where('id', '=', created.body.id).execute();
    const shown = await h.call('GET', `/v1/tenants/${tenant.id}/integrations/${created.body.id}`, { token: tenant.ownerToken });
    expect(shown.status).toBe(200);
    expect(shown.text).not.toContain('SEALED-SECRET');
    const list = await h.call('GET', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken });
    expect(list.text).not.toContain('SEALED-SECRET');
  });

  it.each([
    ['', 'handle_empty'],
    ['Aws', 'handle_bad_character'],
    ['aws prod', 'handle_bad_character'],
    ['aws.prod', 'handle_bad_character'],
    ['1aws', 'handle_must_start_with_letter'],
    ['-aws', 'handle_must_start_with_letter'],
    ['a'.repeat(41), 'handle_too_long'],
  ])('refuses handle %j with %s', async (value, code) => {
    const reply = await create(integrationBody(value));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field: 'handle' });
  });

  it('accepts a 40-character handle with digits, _ and -', async () => {
    const value = `a${'b_-9'.repeat(9)}xyz`;
    expect(value).toHaveLength(40);
    expect((await create(integrationBody(value))).status).toBe(201);
  });

  it.each([
    ['no colon', () => 'abcdefgh', 'external_id_malformed'],
    ['wrong identifier', () => 't_aaaaaaaaaaaa:abcd1234', 'external_id_wrong_identifier'],
    ['too short', () => `${tenant.id}:abc123`, 'external_id_wrong_length'],
    ['too long', () => `${tenant.id}:abc123456`, 'external_id_wrong_length'],
    ['bad character', () => `${tenant.id}:abc-1234`, 'external_id_bad_character'],
  ])('refuses an External ID with %s', async (_label, value, code) => {
    const reply = await create(integrationBody(handle(), { discovery: { roleName: 'R', externalId: value() } }));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field: 'discovery.externalId' });
  });

  it('accepts a customized External ID and refuses its reuse with 409 external_id_taken', async () => {
    const externalId = `${tenant.id}:Custom01`;
    const first = await create(integrationBody(handle(), { discovery: { roleName: 'R', externalId } }));
    expect(first.status).toBe(201);
    expect(first.body.discovery.externalId).toBe(externalId);
    const second = await create(integrationBody(handle(), { discovery: { roleName: 'R', externalId } }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'external_id_taken', field: 'discovery.externalId' });
  });

  it('refuses an External ID already used by a standalone connection', async () => {
    const externalId = `${tenant.id}:FromConn`;
    const conn = await h.call('POST', `/v1/tenants/${tenant.id}/connections`, {
      token: tenant.ownerToken,
      body: { handle: handle(), accountId: '123456789012', roleName: 'R', externalId },
    });
    expect(conn.status).toBe(201);
    const reply = await create(integrationBody(handle(), { discovery: { roleName: 'R', externalId } }));
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('external_id_taken');
  });

  it.each([
    ['bad name', 'role_name_bad_character'],
    ['', 'role_name_empty'],
    ['R'.repeat(65), 'role_name_too_long'],
  ])('refuses role name %j with %s', async (roleName, code) => {
    const reply = await create(integrationBody(handle(), { discovery: { roleName } }));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field: 'discovery.roleName' });
  });

  it.each([
    'arn:aws:iam::123456789012:role/OrglinkDiscovery',
    'arn:aws-cn:iam::123456789012:role/OrglinkDiscovery',
    'arn:aws-us-gov:iam::123456789012:role/OrglinkDiscovery',
    'arn:aws:iam::123456789012:role/path/to/OrglinkDiscovery',
  ])('accepts role ARN %s', async (roleArn) => {
    const reply = await create(integrationBody(handle(), { discovery: { roleName: 'OrglinkDiscovery', roleArn } }));
    expect(reply.status).toBe(201);
    expect(reply.body.discovery.roleArn).toBe(roleArn);
  });

  it.each([
    ['arn:aws:iam::123456789012:role/SomethingElse', 'role_arn_name_mismatch'],
    ['not-an-arn', 'role_arn_malformed'],
    ['arn:aws-iso:iam::123456789012:role/OrglinkDiscovery', 'role_arn_unknown_partition'],
    ['arn:aws:s3:::bucket/OrglinkDiscovery', 'role_arn_not_iam'],
    ['arn:aws:iam::12345:role/OrglinkDiscovery', 'role_arn_bad_account_id'],
    ['arn:aws:iam::123456789012:user/OrglinkDiscovery', 'role_arn_not_a_role'],
  ])('refuses role ARN %s with %s', async (roleArn, code) => {
    const reply = await create(integrationBody(handle(), { discovery: { roleName: 'OrglinkDiscovery', roleArn } }));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field: 'discovery.roleArn' });
  });

  it('stores a region list, handle prefix and advanced options', async () => {
    const reply = await create(
      integrationBody(handle(), {
        connections: { handlePrefix: 'acme_', regions: ['us-east-1', 'eu-west-1', 'us-east-1'], advanced: { maxErrorRetryAttempts: 3, defaultRegion: 'us-east-1' } },
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.connections).toEqual({
      handlePrefix: 'acme_',
      regions: ['us-east-1', 'eu-west-1'],
      advanced: { maxErrorRetryAttempts: 3, defaultRegion: 'us-east-1' },
    });
  });

  it.each([
    [{ regions: ['us-east-1', 'mars-north-1'] }, 'unknown_region', 'connections.regions.1'],
    [{ regions: [] }, 'regions_empty', 'connections.regions'],
    [{ regions: 'some' }, 'invalid_input', 'connections.regions'],
    [{ handlePrefix: 'Acme' }, 'handle_prefix_bad_character', 'connections.handlePrefix'],
    [{ handlePrefix: '9acme' }, 'handle_prefix_must_start_with_letter', 'connections.handlePrefix'],
    [{ advanced: { maxErrorRetryAttempts: 99 } }, 'advanced_option_invalid', 'connections.advanced.maxErrorRetryAttempts'],
    [{ advanced: { minErrorRetryDelayMs: 0 } }, 'advanced_option_invalid', 'connections.advanced.minErrorRetryDelayMs'],
    [{ advanced: { ignoreErrorCodes: ['not valid!'] } }, 'advanced_option_invalid', 'connections.advanced.ignoreErrorCodes.0'],
    [{ advanced: { defaultRegion: 'nowhere-1' } }, 'unknown_region', 'connections.advanced.defaultRegion'],
    [{ advanced: { colour: 'blue' } }, 'advanced_option_unknown', 'connections.advanced.colour'],
  ])('refuses connection settings %j with %s at %s', async (connections, code, field) => {
    const reply = await create(integrationBody(handle(), { connections }));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field });
  });

  it.each([
    [{ capabilities: ['discovery', 'root_access'] }, 'capability_unknown', 'capabilities.1'],
    [{ extraActions: ['*'] }, 'extra_action_invalid', 'extraActions.0'],
    [{ extraActions: ['s3GetObject'] }, 'extra_action_invalid', 'extraActions.0'],
    [{ customPolicyArns: ['arn:aws:iam::aws:role/Nope'] }, 'managed_policy_arn_invalid', 'customPolicyArns.0'],
  ])('refuses permissions input %j with %s', async (extra, code, field) => {
    const reply = await create(integrationBody(handle(), extra));
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field });
  });

  it('stores chosen capabilities, custom policies and extra actions', async () => {
    const reply = await create(
      integrationBody(handle(), {
        capabilities: ['identity_read', 'discovery'],
        customPolicyArns: ['arn:aws:iam::aws:policy/SecurityAudit'],
        extraActions: ['S3:GetObject', 'ec2:Describe*'],
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.capabilities).toEqual(['discovery', 'identity_read']);
    expect(reply.body.customPolicyArns).toEqual(['arn:aws:iam::aws:policy/SecurityAudit']);
    expect(reply.body.extraActions).toEqual(['ec2:Describe*', 's3:GetObject']);
  });

  it('names the first failing field for shape errors', async () => {
    const reply = await create({ handle: 'x', discovery: { roleName: 7 } });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'invalid_input', field: 'discovery.roleName' });
    const missing = await create({ handle: 'x' });
    expect(missing.body).toMatchObject({ code: 'invalid_input', field: 'discovery' });
    const unknown = await create({ ...integrationBody('x'), colour: 'blue' });
    expect(unknown.body).toMatchObject({ code: 'invalid_input', field: 'colour' });
  });
});

describe.each(testDatabases)('integration plan rules, permissions and handle clashes on $name', (tdb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(tdb);
  });
  afterAll(async () => {
    await h.close();
  });

  it('tenant level: refuses a standard tenant, even for the installation admin', async () => {
    const tenant = await h.tenant('standard');
    for (const token of [tenant.ownerToken, h.adminToken]) {
      const reply = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token, body: integrationBody('aws') });
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('tenant_integration_requires_enterprise_tenant');
    }
  });

  it('tenant level: refuses a tenant admin or member, allows the owner and the installation admin', async () => {
    const tenant = await h.tenant('enterprise');
    for (const role of ['admin', 'member'] as const) {
      const user = await h.user(tenant.id, role);
      const reply = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: user.token, body: integrationBody('aws') });
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('tenant_integration_requires_tenant_owner');
    }
    expect((await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('aws') })).status).toBe(201);
    expect((await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { body: integrationBody('aws2') })).status).toBe(201);
  });

  it('org level: refuses a free org', async () => {
    const tenant = await h.tenant('enterprise');
    const org = await h.org(tenant.id, 'free');
    const reply = await h.call('POST', `/v1/orgs/${org.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('aws') });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('org_integration_requires_team_or_enterprise_org');
  });

  it('org level: refuses an org member, allows an org admin and owner on team and enterprise orgs', async () => {
    const tenant = await h.tenant('standard');
    const team = await h.org(tenant.id, 'team');
    const enterprise = await h.org(tenant.id, 'enterprise');
    const member = await h.user(tenant.id, 'member', team.id);
    const refused = await h.call('POST', `/v1/orgs/${team.id}/integrations`, { token: member.token, body: integrationBody('aws') });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('org_integration_requires_org_owner_or_admin');
    const admin = await h.user(tenant.id, 'admin', team.id);
    const ok = await h.call('POST', `/v1/orgs/${team.id}/integrations`, { token: admin.token, body: integrationBody('aws-team') });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ scope: 'org', orgId: team.id, discovery: { externalId: expect.stringMatching(new RegExp(`^${team.id}:`)) } });
    const owner = await h.user(tenant.id, 'owner', enterprise.id);
    expect((await h.call('POST', `/v1/orgs/${enterprise.id}/integrations`, { token: owner.token, body: integrationBody('aws-ent') })).status).toBe(201);
  });

  it('org level: the External ID identifier must be the org id, not the tenant id', async () => {
    const tenant = await h.tenant('enterprise');
    const org = await h.org(tenant.id, 'team');
    const reply = await h.call('POST', `/v1/orgs/${org.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('aws', { discovery: { roleName: 'R', externalId: `${tenant.id}:abcd1234` } }),
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'external_id_wrong_identifier', details: { expected: org.id } });
  });

  it('handles are unique across the tenant, including every org, and the 409 says where', async () => {
    const tenant = await h.tenant('enterprise');
    const orgA = await h.org(tenant.id, 'team');
    const orgB = await h.org(tenant.id, 'team');
    const tenantLevel = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('shared') });
    const orgLevel = await h.call('POST', `/v1/orgs/${orgA.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('org-a') });

    const clashTenant = await h.call('POST', `/v1/orgs/${orgB.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('shared') });
    expect(clashTenant.status).toBe(409);
    expect(clashTenant.body).toMatchObject({
      code: 'handle_taken',
      field: 'handle',
      details: { where: { kind: 'integration', scope: 'tenant', id: tenantLevel.body.id } },
    });
    const clashOrg = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('org-a') });
    expect(clashOrg.status).toBe(409);
    expect(clashOrg.body.details.where).toEqual({ kind: 'integration', scope: 'org', id: orgLevel.body.id, orgId: orgA.id, orgName: orgA.name });
    expect(clashOrg.body.message).toContain(orgA.name);
    const clashSibling = await h.call('POST', `/v1/orgs/${orgB.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('org-a') });
    expect(clashSibling.status).toBe(409);

    const other = await h.tenant('enterprise');
    expect((await h.call('POST', `/v1/tenants/${other.id}/integrations`, { token: other.ownerToken, body: integrationBody('shared') })).status).toBe(201);
  });

  it('permissions: workspaces must belong to the scope', async () => {
    const tenant = await h.tenant('enterprise');
    const orgA = await h.org(tenant.id, 'team');
    const orgB = await h.org(tenant.id, 'team');
    const wsA = await h.workspace(orgA.id);
    const wsB = await h.workspace(orgB.id);
    const other = await h.tenant('enterprise');
    const otherOrg = await h.org(other.id, 'team');
    const wsOther = await h.workspace(otherOrg.id);

    const tenantWide = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('t-perm', { permissions: { mode: 'specific', workspaceIds: [wsA.id, wsB.id] } }),
    });
    expect(tenantWide.status).toBe(201);
    expect(tenantWide.body.permissions).toEqual({ mode: 'specific', workspaceIds: [wsA.id, wsB.id] });

    const foreign = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('t-foreign', { permissions: { mode: 'specific', workspaceIds: [wsA.id, wsOther.id] } }),
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ code: 'workspace_not_in_scope', field: 'permissions.workspaceIds', details: { workspaceId: wsOther.id } });

    const sibling = await h.call('POST', `/v1/orgs/${orgA.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('o-sibling', { permissions: { mode: 'specific', workspaceIds: [wsB.id] } }),
    });
    expect(sibling.status).toBe(400);
    expect(sibling.body.field).toBe('permissions.workspaceIds');
    const own = await h.call('POST', `/v1/orgs/${orgA.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('o-own', { permissions: { mode: 'specific', workspaceIds: [wsA.id] } }),
    });
    expect(own.status).toBe(201);

    for (const [permissions, code] of [
      [{ mode: 'specific', workspaceIds: [] }, 'permissions_workspaces_required'],
      [{ mode: 'all', workspaceIds: [wsA.id] }, 'permissions_workspaces_unexpected'],
    ] as const) {
      const reply = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('t-x', { permissions }) });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ code, field: 'permissions.workspaceIds' });
    }
    const all = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('t-all', { permissions: { mode: 'all' } }) });
    expect(all.body.permissions).toEqual({ mode: 'all', workspaceIds: [] });
  });

  it('lists tenant and org integrations according to visibility', async () => {
    const tenant = await h.tenant('enterprise');
    const orgA = await h.org(tenant.id, 'team');
    const orgB = await h.org(tenant.id, 'team');
    await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('t-one') });
    await h.call('POST', `/v1/orgs/${orgA.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('a-one') });
    await h.call('POST', `/v1/orgs/${orgB.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('b-one') });
    const all = await h.call('GET', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken });
    expect(all.body.items.map((i: { handle: string }) => i.handle)).toEqual(['a-one', 'b-one', 't-one']);
    const orgMember = await h.user(tenant.id, 'member', orgA.id);
    const mine = await h.call('GET', `/v1/tenants/${tenant.id}/integrations`, { token: orgMember.token });
    expect(mine.body.items.map((i: { handle: string }) => i.handle)).toEqual(['a-one']);
    expect((await h.call('GET', `/v1/tenants/${tenant.id}/integrations/b-one`, { token: orgMember.token })).status).toBe(404);
    expect((await h.call('GET', `/v1/tenants/${tenant.id}/integrations/t-one`, { token: orgMember.token })).status).toBe(404);
    const byOrg = await h.call('GET', `/v1/orgs/${orgB.id}/integrations`, { token: tenant.ownerToken });
    expect(byOrg.body.items.map((i: { handle: string }) => i.handle)).toEqual(['b-one']);
    const filtered = await h.call('GET', `/v1/tenants/${tenant.id}/integrations?orgId=${orgA.id}`, { token: tenant.ownerToken });
    expect(filtered.body.items.map((i: { handle: string }) => i.handle)).toEqual(['a-one']);
  });
});
