/**
 * The EventBridge part of the management templates: present only when the input carries
 * `events`, parsed back with real parsers (yaml, JSON, @cdktf/hcl2json), and deployed into the
 * sandbox's CloudFormation (which accepts AWS::Events::* as resources without effect).
 * The template service adds it when the server's public URL is https.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startSandbox, type RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { deriveEventKey } from '../../src/core/events/event-signature.js';
import { DomainError } from '../../src/core/errors.js';
import { newId } from '../../src/core/ids.js';
import { TEMPLATE_FORMATS, renderTemplate, type TemplateFormat, type TemplateInput } from '../../src/core/templates/render-template.js';
import { ensureWebhookSecret } from '../../src/services/events/webhook-secret.js';
import { renderIntegrationTemplate } from '../../src/services/template-service.js';
import { createSecretBox, generateSecretKey } from '../../src/store/secret-box.js';
import { testDatabases } from '../support/databases.js';
import { integrationRow } from '../support/integration-row.js';

const EVENTS = { endpointUrl: 'https://orglink.example.com/v1/events/aws/i_abcdefabcdef', eventKey: 'k'.repeat(43) };
const PATTERN = {
  source: ['aws.organizations'],
  'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
};

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    handle: 'acme-aws',
    roleName: 'OrglinkAccess',
    externalId: 't_abc123def456:Ab3dE5gH',
    platformPrincipalArn: 'arn:aws:iam::111122223333:role/orglink-platform',
    partition: 'aws',
    capabilities: ['discovery'],
    customPolicyArns: [],
    extraActions: [],
    ...overrides,
  };
}

type Resources = Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;

describe('CloudFormation (YAML and JSON)', () => {
  it.each<[TemplateFormat, (body: string) => unknown]>([
    ['cloudformation', (body) => parseYaml(body)],
    ['cloudformation-json', (body) => JSON.parse(body)],
  ])('%s declares the connection, destination, role and rule', (format, parse) => {
    const doc = parse(renderTemplate(format, input({ events: EVENTS })).body) as {
      Parameters: Record<string, { NoEcho: boolean; Default: string }>;
      Conditions: Record<string, unknown>;
      Resources: Resources;
    };
    const r = doc.Resources;
    expect(doc.Parameters.OrglinkEventKey).toMatchObject({ NoEcho: true, Default: EVENTS.eventKey });
    expect(doc.Conditions.InOrganizationsEventsRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(r.OrglinkEventsConnection?.Properties).toMatchObject({
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'X-Orglink-Event-Key', ApiKeyValue: { Ref: 'OrglinkEventKey' } } },
    });
    expect(r.OrglinkEventsDestination?.Properties).toMatchObject({ InvocationEndpoint: EVENTS.endpointUrl, HttpMethod: 'POST' });
    expect(r.OrglinkEventsRole?.Properties.AssumeRolePolicyDocument).toMatchObject({ Statement: [{ Principal: { Service: 'events.amazonaws.com' } }] });
    const rule = r.OrglinkOrganizationsRule?.Properties as { EventPattern: Record<string, unknown>; Targets: unknown[] };
    expect(rule.EventPattern).toMatchObject(PATTERN);
    expect((rule.EventPattern.detail as { eventName: string[] }).eventName).toEqual(expect.arrayContaining(['CreateAccountResult', 'MoveAccount', 'DeleteOrganizationalUnit']));
    expect(rule.Targets).toEqual([{ Id: 'orglink', Arn: { 'Fn::GetAtt': ['OrglinkEventsDestination', 'Arn'] }, RoleArn: { 'Fn::GetAtt': ['OrglinkEventsRole', 'Arn'] } }]);
    for (const id of ['OrglinkEventsConnection', 'OrglinkEventsDestination', 'OrglinkEventsRole', 'OrglinkOrganizationsRule']) {
      expect(r[id]?.Condition).toBe('InOrganizationsEventsRegion');
    }
  });

  it.each([
    ['aws-cn', 'cn-northwest-1'],
    ['aws-us-gov', 'us-gov-west-1'],
  ] as const)('in %s the rule lives in %s', (partition, region) => {
    const doc = parseYaml(
      renderTemplate('cloudformation', input({ partition, platformPrincipalArn: `arn:${partition}:iam::111122223333:role/orglink-platform`, events: EVENTS })).body,
    ) as { Conditions: Record<string, unknown> };
    expect(doc.Conditions.InOrganizationsEventsRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, region] });
  });
});

describe('Terraform', () => {
  it('declares the same forwarding on a provider pinned to us-east-1', async () => {
    const doc = (await parseHcl('main.tf', renderTemplate('terraform', input({ events: EVENTS })).body)) as {
      provider: { aws: Array<{ alias: string; region: string }> };
      variable: Record<string, [{ default: string; sensitive: boolean }]>;
      resource: Record<string, Record<string, [Record<string, unknown>]>>;
    };
    expect(doc.provider.aws).toEqual([{ alias: 'organizations_events', region: 'us-east-1' }]);
    expect(doc.variable.orglink_event_key?.[0]).toMatchObject({ default: EVENTS.eventKey, sensitive: true });
    const connection = doc.resource.aws_cloudwatch_event_connection?.orglink_events?.[0];
    expect(connection).toMatchObject({ authorization_type: 'API_KEY', provider: '${aws.organizations_events}' });
    expect(connection?.auth_parameters).toEqual([{ api_key: [{ key: 'X-Orglink-Event-Key', value: '${var.orglink_event_key}' }] }]);
    expect(doc.resource.aws_cloudwatch_event_api_destination?.orglink_events?.[0]).toMatchObject({ invocation_endpoint: EVENTS.endpointUrl, http_method: 'POST' });
    const rule = doc.resource.aws_cloudwatch_event_rule?.orglink_organizations?.[0];
    const pattern = String(rule?.event_pattern);
    for (const value of [...PATTERN.source, ...PATTERN['detail-type'], 'CreateAccountResult']) expect(pattern).toContain(value);
    expect(doc.resource.aws_cloudwatch_event_target?.orglink_organizations?.[0]).toMatchObject({
      arn: '${aws_cloudwatch_event_api_destination.orglink_events.arn}',
      role_arn: '${aws_iam_role.orglink_events.arn}',
    });
    expect(doc.resource.aws_iam_role_policy?.orglink_events?.[0]?.policy).toContain('events:InvokeApiDestination');
  });
});

describe('without events, every format renders as before', () => {
  it.each(TEMPLATE_FORMATS)('%s carries no EventBridge resource', (format) => {
    const body = renderTemplate(format, input()).body;
    expect(body).not.toMatch(/Events::|cloudwatch_event|OrglinkEventKey|X-Orglink-Event-Key/);
  });

  it.each(['stackset', 'stackset-terraform', 'member-cloudformation'] as TemplateFormat[])('%s ignores events (member accounts forward nothing)', (format) => {
    expect(renderTemplate(format, input({ events: EVENTS })).body).toBe(renderTemplate(format, input()).body);
  });

  it('the discovery role is the same resource with or without events', () => {
    const withEvents = parseYaml(renderTemplate('cloudformation', input({ events: EVENTS })).body) as { Resources: Resources };
    const without = parseYaml(renderTemplate('cloudformation', input()).body) as { Resources: Resources };
    expect(withEvents.Resources.DiscoveryRole).toEqual(without.Resources.DiscoveryRole);
  });

  it.each([
    [{ ...EVENTS, endpointUrl: 'http://orglink.example.com/v1/events/aws/i_x' }, 'event_endpoint_invalid'],
    [{ ...EVENTS, endpointUrl: 'https://orglink.example.com/"x' }, 'event_endpoint_invalid'],
    [{ ...EVENTS, eventKey: 'short' }, 'event_key_invalid'],
  ])('refuses %j with %s', (events, code) => {
    let caught: unknown;
    try {
      renderTemplate('cloudformation', input({ events }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe(code);
  });
});

describe('deployed into the sandbox CloudFormation', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, accounts: 3, ous: 1 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const deploy = async (format: TemplateFormat, region: string, name: string, roleName: string) => {
    const cfn = new CloudFormationClient({ endpoint: sandbox.endpoint, region, credentials: sandbox.managementRoot, maxAttempts: 1 });
    const body = renderTemplate(format, input({ handle: name, roleName, platformPrincipalArn: sandbox.platform.principalArn, events: EVENTS })).body;
    await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: name }))).StackResources ?? [];
    return { stack, types: resources.map((r) => r.ResourceType).sort() };
  };

  it.each<[TemplateFormat, string]>([
    ['cloudformation', 'events-yaml'],
    ['cloudformation-json', 'events-json'],
  ])('%s creates the discovery role and the forwarding in us-east-1', async (format, name) => {
    const { stack, types } = await deploy(format, 'us-east-1', name, `Role-${name}`);
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(types).toEqual(['AWS::Events::ApiDestination', 'AWS::Events::Connection', 'AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::IAM::Role']);
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'EventForwarding')?.OutputValue).toBe('enabled');
    const iam = new IAMClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: sandbox.managementRoot, maxAttempts: 1 });
    const role = await iam.send(new GetRoleCommand({ RoleName: `orglink-${name}-events` }));
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toContain('events.amazonaws.com');
  });

  it('elsewhere it creates the role only and says where to deploy', async () => {
    const { stack, types } = await deploy('cloudformation', 'eu-west-1', 'events-elsewhere', 'Role-elsewhere');
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(types).toEqual(['AWS::IAM::Role']);
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'EventForwarding')?.OutputValue).toMatch(/deploy this stack in us-east-1/);
  });
});

describe.each(testDatabases)('template service ($name)', (tdb) => {
  it('adds the forwarding to management templates when the public URL is https, with the stored key', async () => {
    const store = await tdb.open();
    try {
      const box = createSecretBox(generateSecretKey());
      const tenantId = newId('t');
      await store.db.insertInto('tenants').values({ id: tenantId, name: 'Acme', plan: 'enterprise' }).execute();
      const integrationId = newId('i');
      await store.db
        .insertInto('integrations')
        .values(integrationRow({ id: integrationId, tenant_id: tenantId, handle: 'acme-aws', role_name: 'OrglinkAccess', external_id: `${tenantId}:Ab3dE5gH` }))
        .execute();
      const admin = { userId: newId('u'), tokenId: null, isAdmin: true };
      const deps = (publicUrl: string) => ({ db: store.db, platformPrincipalArn: 'arn:aws:iam::111122223333:role/orglink-platform', events: { secretBox: box, publicUrl } });

      const plain = await renderIntegrationTemplate(deps('http://127.0.0.1:7480'), admin, tenantId, 'acme-aws', { format: 'cloudformation' });
      expect(plain.body).not.toContain('AWS::Events::Rule');
      const row = await store.db.selectFrom('integrations').select('webhook_secret_enc').where('id', '=', integrationId).executeTakeFirstOrThrow();
      expect(row.webhook_secret_enc).toBeNull();

      const rendered = await renderIntegrationTemplate(deps('https://orglink.example.com/'), admin, tenantId, 'acme-aws', { format: 'terraform' });
      const secret = await ensureWebhookSecret(store.db, box, integrationId);
      expect(rendered.body).toContain(`"https://orglink.example.com/v1/events/aws/${integrationId}"`);
      expect(rendered.body).toContain(`"${deriveEventKey(secret, integrationId)}"`);
      const stackset = await renderIntegrationTemplate(deps('https://orglink.example.com'), admin, tenantId, 'acme-aws', { format: 'stackset' });
      expect(stackset.body).not.toContain('X-Orglink-Event-Key');
    } finally {
      await store.close();
    }
  });
});
