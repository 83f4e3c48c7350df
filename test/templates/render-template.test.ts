import { parse as parseHcl } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Partition } from '../../src/core/arn.js';
import type { Capability, RoleKind } from '../../src/core/capabilities.js';
import { DomainError } from '../../src/core/errors.js';
import { composePermissions } from '../../src/core/policy-composition.js';
import {
  TEMPLATE_FORMATS,
  renderMemberRoleTemplateBody,
  renderTemplate,
  type TemplateFormat,
  type TemplateInput,
} from '../../src/core/templates/render-template.js';
import { parseTemplate, unwrapHclCall } from './parse-template.js';

const principal = (partition: Partition) => `arn:${partition}:iam::111122223333:role/orglink-platform`;

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  const partition = overrides.partition ?? 'aws';
  return {
    handle: 'acme-aws',
    roleName: 'OrglinkAccess',
    externalId: 't_abc123def456:Ab3dE5gH',
    platformPrincipalArn: principal(partition),
    partition,
    capabilities: ['discovery', 'read_only'],
    customPolicyArns: [],
    extraActions: [],
    ...overrides,
  };
}

const ROLE_OF: Record<TemplateFormat, RoleKind> = {
  cloudformation: 'discovery',
  'cloudformation-json': 'discovery',
  terraform: 'discovery',
  stackset: 'member',
  'stackset-terraform': 'member',
  'member-cloudformation': 'member',
  'member-terraform': 'member',
};

const CAPABILITY_SETS: Capability[][] = [
  [],
  ['discovery', 'read_only'],
  ['security_audit', 'view_only'],
  ['discovery', 'read_only', 'identity_read', 'identity_provision'],
];

const cases = TEMPLATE_FORMATS.flatMap((format) =>
  (['aws', 'aws-cn', 'aws-us-gov'] as Partition[]).flatMap((partition) =>
    CAPABILITY_SETS.map((capabilities) => ({ format, partition, capabilities })),
  ),
);

describe('renderTemplate: every format parses and carries the trust policy and permissions', () => {
  it.each(cases)('$format, $partition, $capabilities', async ({ format, partition, capabilities }) => {
    const extraActions = ['s3:GetObject', 'ec2:Describe*'];
    const customPolicyArns = [`arn:${partition}:iam::123456789012:policy/Custom`];
    const tpl = input({ partition, capabilities, extraActions, customPolicyArns });
    const { role } = await parseTemplate(format, renderTemplate(format, tpl).body);

    expect(role.roleName).toBe('OrglinkAccess');
    expect(role.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: principal(partition) },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 't_abc123def456:Ab3dE5gH' } },
        },
      ],
    });
    const expected = composePermissions({ capabilities, customPolicyArns, extraActions, partition, role: ROLE_OF[format] });
    expect(role.managedPolicyArns).toEqual(expected.managedPolicyArns);
    expect(role.statements).toEqual(expected.statements);
    for (const arn of role.managedPolicyArns) expect(arn.startsWith(`arn:${partition}:`)).toBe(true);
  });
});

describe('capabilities land on the right role', () => {
  it.each([
    ['cloudformation', 'organizations:ListRoots', true],
    ['terraform', 'organizations:ListRoots', true],
    ['stackset', 'organizations:ListRoots', false],
    ['stackset-terraform', 'organizations:ListRoots', false],
    ['member-cloudformation', 'organizations:ListRoots', false],
    ['cloudformation', 'sso:CreateAccountAssignment', true],
    ['stackset', 'sso:CreateAccountAssignment', false],
    ['cloudformation', 'identitystore:ListUsers', true],
    ['member-cloudformation', 'identitystore:ListUsers', false],
    ['member-terraform', 'organizations:ListRoots', false],
    ['member-terraform', 'identitystore:ListUsers', false],
  ] as [TemplateFormat, string, boolean][])('%s grants %s: %s', async (format, action, granted) => {
    const tpl = input({ capabilities: ['discovery', 'read_only', 'identity_read', 'identity_provision'] });
    const { role } = await parseTemplate(format, renderTemplate(format, tpl).body);
    expect(role.statements.flatMap((s) => s.Action).includes(action)).toBe(granted);
    expect(role.managedPolicyArns).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  it('the discovery role has the Organizations reads even when discovery is not chosen', async () => {
    const { role } = await parseTemplate('cloudformation', renderTemplate('cloudformation', input({ capabilities: ['read_only'] })).body);
    expect(role.statements.find((s) => s.Sid === 'OrglinkDiscovery')?.Action).toContain('organizations:ListAccountsForParent');
  });
});

describe('renderTemplate: files, determinism and syntax', () => {
  it.each([
    ['cloudformation', 'orglink-acme-aws-discovery-role.yaml', 'application/yaml; charset=utf-8'],
    ['cloudformation-json', 'orglink-acme-aws-discovery-role.json', 'application/json; charset=utf-8'],
    ['terraform', 'orglink-acme-aws-discovery-role.tf', 'text/plain; charset=utf-8'],
    ['stackset', 'orglink-acme-aws-member-roles-stackset.yaml', 'application/yaml; charset=utf-8'],
    ['stackset-terraform', 'orglink-acme-aws-member-roles-stackset.tf', 'text/plain; charset=utf-8'],
    ['member-cloudformation', 'orglink-acme-aws-member-role.yaml', 'application/yaml; charset=utf-8'],
    ['member-terraform', 'orglink-acme-aws-member-role.tf', 'text/plain; charset=utf-8'],
  ] as [TemplateFormat, string, string][])('%s → %s (%s)', (format, filename, contentType) => {
    const rendered = renderTemplate(format, input());
    expect(rendered.filename).toBe(filename);
    expect(rendered.contentType).toBe(contentType);
    expect(rendered.body.endsWith('\n')).toBe(true);
  });

  it.each(TEMPLATE_FORMATS)('%s gives the same bytes for the same input, whatever the list order', (format) => {
    const a = renderTemplate(format, input({ capabilities: ['read_only', 'discovery', 'identity_read'], extraActions: ['s3:GetObject', 'ec2:Describe*'] }));
    const b = renderTemplate(format, input({ capabilities: ['identity_read', 'discovery', 'read_only'], extraActions: ['ec2:Describe*', 's3:GetObject'] }));
    expect(a.body).toBe(b.body);
    expect(renderTemplate(format, input()).body).toBe(renderTemplate(format, input()).body);
  });

  it.each(TEMPLATE_FORMATS.filter((f) => f !== 'cloudformation-json'))('%s uses no YAML short tags and no timestamps', (format) => {
    const body = renderTemplate(format, input()).body;
    expect(body).not.toMatch(/(^|\s)!(Ref|GetAtt|Sub|Join|Select|Split|If|Equals|Not|And|Or|FindInMap|ImportValue|Base64|Cidr|GetAZs)\b/);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it('the StackSet embeds exactly renderMemberRoleTemplateBody, which equals the member-cloudformation stack', () => {
    const stackset = parseYaml(renderTemplate('stackset', input()).body) as {
      Resources: { MemberRoleStackSet: { Properties: { TemplateBody: string } } };
    };
    const body = renderMemberRoleTemplateBody(input());
    expect(stackset.Resources.MemberRoleStackSet.Properties.TemplateBody).toBe(body);
    expect(renderTemplate('member-cloudformation', input()).body).toBe(body);
  });
});

describe('stackset (CloudFormation)', () => {
  const parse = (overrides: Partial<TemplateInput> = {}) =>
    parseYaml(renderTemplate('stackset', input(overrides)).body) as {
      Parameters: Record<string, { Type: string; Default?: string; AllowedValues?: string[] }>;
      Resources: { MemberRoleStackSet: { Type: string; Properties: Record<string, unknown> } };
    };

  it('creates a service-managed StackSet with auto deployment that removes stacks of leaving accounts', () => {
    const stackSet = parse().Resources.MemberRoleStackSet;
    expect(stackSet.Type).toBe('AWS::CloudFormation::StackSet');
    expect(stackSet.Properties).toMatchObject({
      StackSetName: 'orglink-acme-aws-member-roles',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: { Ref: 'CallAs' },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } }, Regions: [{ Ref: 'AWS::Region' }] }],
    });
  });

  it.each([
    [undefined, undefined],
    [['r-ab12'], 'r-ab12'],
    [['ou-ab12-11111111', 'ou-ab12-22222222'], 'ou-ab12-11111111,ou-ab12-22222222'],
  ])('targets %j → parameter default %j', (organizationalUnitIds, expected) => {
    const parameter = parse(organizationalUnitIds === undefined ? {} : { organizationalUnitIds }).Parameters.OrganizationalUnitIds;
    expect(parameter?.Type).toBe('CommaDelimitedList');
    expect(parameter?.Default).toBe(expected);
  });
});

describe('stackset-terraform', () => {
  const parse = async (overrides: Partial<TemplateInput> = {}) =>
    (await parseHcl('main.tf', renderTemplate('stackset-terraform', input(overrides)).body)) as {
      variable: Record<string, [{ default?: unknown; type: string }]>;
      resource: Record<string, Record<string, [Record<string, unknown>]>>;
    };

  it('declares a service-managed aws_cloudformation_stack_set with auto_deployment and an instance on OUs', async () => {
    const doc = await parse();
    const stackSet = doc.resource.aws_cloudformation_stack_set?.orglink_member_roles?.[0];
    expect(stackSet).toMatchObject({
      name: 'orglink-acme-aws-member-roles',
      permission_model: 'SERVICE_MANAGED',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      auto_deployment: [{ enabled: true, retain_stacks_on_account_removal: false }],
    });
    const instance = doc.resource.aws_cloudformation_stack_set_instance?.orglink_member_roles?.[0];
    expect(instance).toMatchObject({
      stack_set_name: '${aws_cloudformation_stack_set.orglink_member_roles.name}',
      deployment_targets: [{ organizational_unit_ids: '${var.organizational_unit_ids}' }],
    });
    expect(unwrapHclCall(stackSet?.template_body, 'jsonencode')).toEqual(
      parseYaml(renderMemberRoleTemplateBody(input())),
    );
  });

  it.each([
    [undefined, undefined],
    [['r-ab12'], ['r-ab12']],
  ])('targets %j → variable default %j', async (organizationalUnitIds, expected) => {
    const doc = await parse(organizationalUnitIds === undefined ? {} : { organizationalUnitIds });
    const variable = doc.variable.organizational_unit_ids?.[0];
    expect(variable?.type).toBe('${list(string)}');
    expect(variable?.default).toEqual(expected);
  });
});

describe('renderTemplate refuses input a template cannot carry', () => {
  it.each([
    [{ handle: 'Bad Handle' }, 'handle_bad_character'],
    [{ roleName: 'bad role' }, 'role_name_bad_character'],
    [{ externalId: 'x"\ny' }, 'external_id_malformed'],
    [{ platformPrincipalArn: 'not-an-arn' }, 'platform_principal_arn_invalid'],
    [{ platformPrincipalArn: 'arn:aws:iam::111122223333:role/x"y' }, 'platform_principal_arn_invalid'],
    [{ partition: 'aws-cn' as Partition, platformPrincipalArn: principal('aws') }, 'platform_principal_partition_mismatch'],
    [{ organizationalUnitIds: ['ou-bad'] }, 'organizational_unit_id_invalid'],
    [{ organizationalUnitIds: [] }, 'organizational_unit_ids_empty'],
  ] as [Partial<TemplateInput>, string][])('%j → %s', (overrides, code) => {
    const tpl = { ...input(), ...overrides };
    for (const format of TEMPLATE_FORMATS) {
      let caught: unknown;
      try {
        renderTemplate(format, tpl);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe(code);
    }
  });
});
