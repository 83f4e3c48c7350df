/**
 * A standalone connection's role permissions (issue 2 §4–5): capabilities, custom managed policy
 * ARNs and extra allowed actions are validated at create and PATCH (IAM limits included), shown
 * in the view and the audit, and are exactly what its member templates grant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { testDatabases } from '../support/databases.js';
import { parseTemplate } from '../templates/parse-template.js';
import { SAMPLE_STANDALONE_CONNECTION } from '../../src/core/templates/example-files.js';
import { type Harness, PLATFORM_PRINCIPAL_ARN, integrationBody, startHarness } from './api-harness.js';

const DOIT_ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const CUSTOMER_POLICY = 'arn:aws:iam::444455556666:policy/CloudFlowWrites';
const S3_READ_POLICY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const SECURITY_AUDIT = 'arn:aws:iam::aws:policy/SecurityAudit';
// The Trelica seed's actions, as the documented sample connection lists them.
const TRELICA_ACTIONS = SAMPLE_STANDALONE_CONNECTION.extraActions;

/** The role of a member-cloudformation template, read with a YAML parser. */
function memberRole(yaml: string) {
  const resources = (parseYaml(yaml) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }).Resources;
  expect(Object.keys(resources)).toEqual(['MemberRole']);
  return resources.MemberRole?.Properties ?? {};
}

describe.each(testDatabases)('standalone connection permissions on $name', (tdb) => {
  let h: Harness;
  let tenant: { id: string; ownerToken: string };
  let n = 0;
  const handle = () => `perm-${++n}`;
  const create = (body: Record<string, unknown>) => h.call('POST', `/v1/tenants/${tenant.id}/connections`, { token: tenant.ownerToken, body });
  const patch = (ref: string, body: Record<string, unknown>) =>
    h.call('PATCH', `/v1/tenants/${tenant.id}/connections/${ref}`, { token: tenant.ownerToken, body });
  const template = (ref: string, format: string) =>
    h.call('GET', `/v1/tenants/${tenant.id}/connections/${ref}/templates/${format}`, { token: tenant.ownerToken });

  beforeAll(async () => {
    h = await startHarness(tdb);
    tenant = await h.tenant('enterprise');
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a DoiT-style connection over several accounts with managed policies and extra actions, and its templates grant exactly those', async () => {
    const created = await create({
      handle: 'doit-flow',
      title: 'CloudFlow',
      accountScope: DOIT_ACCOUNTS,
      roleName: 'DoitCloudFlow',
      regions: ['us-east-1', 'eu-west-1'],
      capabilities: ['security_audit'],
      customPolicyArns: [S3_READ_POLICY, CUSTOMER_POLICY, S3_READ_POLICY],
      extraActions: ['S3:GetObject', 'ec2:Describe*', 's3:getobject'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      accountId: null,
      accountScope: DOIT_ACCOUNTS,
      capabilities: ['security_audit'],
      customPolicyArns: [CUSTOMER_POLICY, S3_READ_POLICY],
      extraActions: ['ec2:Describe*', 's3:GetObject'],
    });
    expect((await h.call('GET', `/v1/tenants/${tenant.id}/connections/doit-flow`, { token: tenant.ownerToken })).body).toEqual(created.body);

    const yaml = await template('doit-flow', 'member-cloudformation');
    expect(yaml.status).toBe(200);
    const role = memberRole(yaml.text);
    expect(role).toMatchObject({
      RoleName: 'DoitCloudFlow',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: PLATFORM_PRINCIPAL_ARN },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': created.body.externalId } },
          },
        ],
      },
    });
    expect(role.ManagedPolicyArns).toEqual([CUSTOMER_POLICY, S3_READ_POLICY, SECURITY_AUDIT]);
    expect(role.Policies).toEqual([
      {
        PolicyName: 'orglink-permissions',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'OrglinkExtraActions', Effect: 'Allow', Action: ['ec2:Describe*', 's3:GetObject'], Resource: '*' }],
        },
      },
    ]);

    const tf = await template('doit-flow', 'member-terraform');
    expect(tf.status).toBe(200);
    expect(tf.headers['content-disposition']).toBe('attachment; filename="orglink-doit-flow-member-role.tf"');
    const parsedTf = await parseTemplate('member-terraform', tf.text);
    const parsedYaml = await parseTemplate('member-cloudformation', yaml.text);
    expect(parsedTf.role).toEqual(parsedYaml.role);
  });

  it('creates a single-account Trelica-style connection whose role has only the listed actions', async () => {
    const created = await create({
      handle: 'trelica',
      accountId: '012345678901',
      roleName: 'TrelicaIntegration',
      regions: ['us-east-1'],
      capabilities: [],
      extraActions: [...TRELICA_ACTIONS].reverse(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ accountId: '012345678901', accountScope: null, capabilities: [], customPolicyArns: [], extraActions: TRELICA_ACTIONS });
    const role = memberRole((await template('trelica', 'member-cloudformation')).text);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toEqual([
      {
        PolicyName: 'orglink-permissions',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'OrglinkExtraActions', Effect: 'Allow', Action: TRELICA_ACTIONS, Resource: '*' }] },
      },
    ]);
  });

  it('gives a connection that names no permissions the read_only capability, as before', async () => {
    const created = await create({ handle: handle(), accountId: '123456789012', roleName: 'R' });
    expect(created.body).toMatchObject({ capabilities: ['read_only'], customPolicyArns: [], extraActions: [] });
    const role = memberRole((await template(created.body.handle, 'member-cloudformation')).text);
    expect(role.ManagedPolicyArns).toEqual([READ_ONLY]);
    expect(role.Policies).toBeUndefined();
  });

  const tooManyArns = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:policy/P${i}`);
  const tenArns = tooManyArns.slice(0, 10);
  const hugeActions = Array.from({ length: 100 }, (_, i) => `service${i}:${'Describe'.repeat(12)}${i}`);
  it.each([
    [{ capabilities: ['read_only', 'bogus'] }, 'capability_unknown', 'capabilities.1'],
    [{ capabilities: ['security_audit', 'identity_read'] }, 'capability_not_for_connection', 'capabilities.1'],
    [{ capabilities: ['discovery'] }, 'capability_not_for_connection', 'capabilities.0'],
    [{ customPolicyArns: [S3_READ_POLICY, 'arn:aws:iam::aws:role/ReadOnly'] }, 'managed_policy_arn_invalid', 'customPolicyArns.1'],
    [{ customPolicyArns: ['arn:aws:iam::12345:policy/Short'] }, 'managed_policy_arn_invalid', 'customPolicyArns.0'],
    [{ customPolicyArns: tooManyArns }, 'managed_policy_arns_too_many', 'customPolicyArns'],
    [{ capabilities: ['read_only'], customPolicyArns: tenArns }, 'managed_policy_limit_exceeded', 'customPolicyArns'],
    [{ extraActions: ['s3:GetObject', 'GetObject'] }, 'extra_action_invalid', 'extraActions.1'],
    [{ extraActions: ['*'] }, 'extra_action_invalid', 'extraActions.0'],
    [{ extraActions: ['s3:Get Object'] }, 'extra_action_invalid', 'extraActions.0'],
    [{ extraActions: hugeActions }, 'inline_policy_too_large', 'extraActions'],
    [{ extraActions: 's3:GetObject' }, 'invalid_input', 'extraActions'],
    [{ capabilities: [7] }, 'invalid_input', 'capabilities.0'],
  ])('refuses %j with %s at %s', async (extra, code, field) => {
    const reply = await create({ handle: handle(), accountScope: DOIT_ACCOUNTS, roleName: 'R', ...extra });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code, field });
  });

  it('modifies permissions with PATCH (each list replaced on its own), audits them and re-renders the template', async () => {
    const created = await create({ handle: 'flow-patch', accountScope: DOIT_ACCOUNTS, roleName: 'Flow', capabilities: ['read_only'], extraActions: ['s3:GetObject'] });
    const patched = await patch('flow-patch', { customPolicyArns: [CUSTOMER_POLICY], extraActions: ['sqs:SendMessage', 'lambda:InvokeFunction'] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      accountScope: DOIT_ACCOUNTS,
      capabilities: ['read_only'],
      customPolicyArns: [CUSTOMER_POLICY],
      extraActions: ['lambda:InvokeFunction', 'sqs:SendMessage'],
    });
    const role = memberRole((await template('flow-patch', 'member-cloudformation')).text);
    expect(role.ManagedPolicyArns).toEqual([CUSTOMER_POLICY, READ_ONLY]);
    expect((role.Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[])[0]?.PolicyDocument.Statement[0]?.Action).toEqual([
      'lambda:InvokeFunction',
      'sqs:SendMessage',
    ]);

    const audit = await h.call('GET', `/v1/tenants/${tenant.id}/audit?limit=1`, { token: tenant.ownerToken });
    expect(audit.body.items[0]).toMatchObject({
      action: 'connection.update',
      targetId: created.body.id,
      before: { capabilities: ['read_only'], customPolicyArns: [], extraActions: ['s3:GetObject'] },
      after: { capabilities: ['read_only'], customPolicyArns: [CUSTOMER_POLICY], extraActions: ['lambda:InvokeFunction', 'sqs:SendMessage'] },
    });

    const cleared = await patch('flow-patch', { capabilities: [], customPolicyArns: [] });
    expect(cleared.body).toMatchObject({ capabilities: [], customPolicyArns: [], extraActions: ['lambda:InvokeFunction', 'sqs:SendMessage'] });
  });

  it('refuses a PATCH that breaks a rule or an IAM limit, with the field, and changes nothing', async () => {
    await create({ handle: 'flow-limits', accountId: '123456789012', roleName: 'Flow', capabilities: ['read_only'], customPolicyArns: tenArns.slice(0, 9) });
    const before = (await h.call('GET', `/v1/tenants/${tenant.id}/connections/flow-limits`, { token: tenant.ownerToken })).body;
    // Nine custom policies are fine with read_only; adding security_audit would attach eleven.
    const limit = await patch('flow-limits', { capabilities: ['read_only', 'security_audit'] });
    expect(limit.status).toBe(400);
    expect(limit.body).toMatchObject({ code: 'managed_policy_limit_exceeded', field: 'customPolicyArns', details: { max: 10, got: 11 } });
    const badAction = await patch('flow-limits', { extraActions: ['iam:PassRole', '*:*'] });
    expect(badAction.body).toMatchObject({ code: 'extra_action_invalid', field: 'extraActions.1' });
    const badCapability = await patch('flow-limits', { capabilities: ['identity_provision'] });
    expect(badCapability.body).toMatchObject({ code: 'capability_not_for_connection', field: 'capabilities.0' });
    expect((await h.call('GET', `/v1/tenants/${tenant.id}/connections/flow-limits`, { token: tenant.ownerToken })).body).toEqual(before);
  });

  it('shows null permissions on a discovered connection, which inherits its integration’s', async () => {
    const integration = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, { token: tenant.ownerToken, body: integrationBody('perm-int') });
    await h.store.db
      .insertInto('connections')
      .values({
        id: 'c_permdisc0001', tenant_id: tenant.id, org_id: null, integration_id: integration.body.id, folder_id: null,
        handle: 'perm-discovered', handle_is_custom: false, title: 'D', aws_account_id: '555555555555', state: 'active', health: 'unknown', updated_at: new Date(),
      })
      .execute();
    const shown = await h.call('GET', `/v1/tenants/${tenant.id}/connections/perm-discovered`, { token: tenant.ownerToken });
    expect(shown.body).toMatchObject({ standalone: false, capabilities: null, customPolicyArns: null, extraActions: null });
  });

  it('checks both roles of an integration against IAM limits at create and PATCH', async () => {
    const eight = tenArns.slice(0, 8);
    // read_only, security_audit and view_only go on both roles: with eight custom policies, eleven.
    const refused = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('perm-limit', { capabilities: ['read_only', 'security_audit', 'view_only'], customPolicyArns: eight }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'managed_policy_limit_exceeded', field: 'customPolicyArns' });
    const created = await h.call('POST', `/v1/tenants/${tenant.id}/integrations`, {
      token: tenant.ownerToken,
      body: integrationBody('perm-limit', { capabilities: ['read_only', 'security_audit'], customPolicyArns: eight }),
    });
    expect(created.status).toBe(201);
    const patched = await h.call('PATCH', `/v1/tenants/${tenant.id}/integrations/perm-limit`, {
      token: tenant.ownerToken,
      body: { capabilities: ['read_only', 'security_audit', 'view_only'] },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.code).toBe('managed_policy_limit_exceeded');
    const huge = await h.call('PATCH', `/v1/tenants/${tenant.id}/integrations/perm-limit`, { token: tenant.ownerToken, body: { extraActions: hugeActions } });
    expect(huge.body).toMatchObject({ code: 'inline_policy_too_large', field: 'extraActions' });
  });
});
