/**
 * The member role in Terraform (`member-terraform`), read back with @cdktf/hcl2json (offline):
 * the same role, trust policy and permissions as `member-cloudformation`, and only the blocks
 * the role needs.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../src/core/capabilities.js';
import { renderTemplate, type TemplateInput } from '../../src/core/templates/render-template.js';
import { parseTemplate } from './parse-template.js';

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    handle: 'doit-flow',
    roleName: 'DoitCloudFlow',
    externalId: 't_abc123def456:Ab3dE5gH',
    platformPrincipalArn: 'arn:aws:iam::111122223333:role/orglink-platform',
    partition: 'aws',
    capabilities: ['read_only'],
    customPolicyArns: [],
    extraActions: [],
    ...overrides,
  };
}

type Blocks = Record<string, Record<string, unknown[]>>;

async function blocksOf(tpl: TemplateInput): Promise<{ resource: Blocks; output: Record<string, unknown[]> }> {
  return (await parseHcl('main.tf', renderTemplate('member-terraform', tpl).body)) as { resource: Blocks; output: Record<string, unknown[]> };
}

describe('member-terraform', () => {
  it.each([
    { capabilities: [] as Capability[], customPolicyArns: [], extraActions: ['s3:GetObject'] },
    { capabilities: ['read_only', 'security_audit'] as Capability[], customPolicyArns: ['arn:aws:iam::123456789012:policy/Flow'], extraActions: [] },
    { capabilities: ['view_only'] as Capability[], customPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'], extraActions: ['ec2:Describe*', 'S3:GetObject'] },
  ])('declares the same role as member-cloudformation for %j', async (permissions) => {
    const tpl = input(permissions);
    const terraform = await parseTemplate('member-terraform', renderTemplate('member-terraform', tpl).body);
    const cloudFormation = await parseTemplate('member-cloudformation', renderTemplate('member-cloudformation', tpl).body);
    expect(terraform.role).toEqual(cloudFormation.role);
    expect(terraform.role.trustPolicy.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/orglink-platform' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 't_abc123def456:Ab3dE5gH' } },
      },
    ]);
  });

  it.each([
    [{ capabilities: ['read_only'] as Capability[], extraActions: [] }, ['aws_iam_role', 'aws_iam_role_policy_attachment']],
    [{ capabilities: [] as Capability[], extraActions: ['iam:ListUsers'] }, ['aws_iam_role', 'aws_iam_role_policy']],
    [{ capabilities: [] as Capability[], extraActions: [] }, ['aws_iam_role']],
    [{ capabilities: ['security_audit'] as Capability[], extraActions: ['iam:ListUsers'] }, ['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment']],
  ])('%j declares only %j, one of each, named orglink_member', async (permissions, types) => {
    const doc = await blocksOf(input(permissions));
    expect(Object.keys(doc.resource).sort()).toEqual(types);
    for (const type of types) expect(Object.keys(doc.resource[type] ?? {})).toEqual(['orglink_member']);
    expect(doc.output.role_arn?.[0]).toMatchObject({ value: '${aws_iam_role.orglink_member.arn}' });
  });

  it('tags the role with the handle and attaches policies to it by reference', async () => {
    const doc = await blocksOf(input({ extraActions: ['s3:GetObject'] }));
    expect(doc.resource.aws_iam_role?.orglink_member?.[0]).toMatchObject({
      name: 'DoitCloudFlow',
      max_session_duration: 3600,
      tags: { 'orglink:handle': 'doit-flow' },
    });
    expect(doc.resource.aws_iam_role_policy_attachment?.orglink_member?.[0]).toMatchObject({
      role: '${aws_iam_role.orglink_member.name}',
      policy_arn: '${each.value}',
    });
    expect(doc.resource.aws_iam_role_policy?.orglink_member?.[0]).toMatchObject({ name: 'orglink-permissions', role: '${aws_iam_role.orglink_member.id}' });
  });

  it('is deterministic and names its file after the handle', () => {
    const a = renderTemplate('member-terraform', input({ extraActions: ['s3:GetObject', 'ec2:Describe*'] }));
    const b = renderTemplate('member-terraform', input({ extraActions: ['ec2:Describe*', 's3:GetObject'] }));
    expect(a.body).toBe(b.body);
    expect(a).toMatchObject({ filename: 'orglink-doit-flow-member-role.tf', contentType: 'text/plain; charset=utf-8' });
  });
});
