/**
 * Reads rendered templates back with real parsers (yaml, JSON.parse, @cdktf/hcl2json) and returns
 * the role(s) they declare in one neutral shape, so tests can compare every format alike.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import type { TemplateFormat } from '../../src/core/templates/render-template.js';

export interface ParsedRole {
  roleName: string;
  trustPolicy: {
    Version: string;
    Statement: { Effect: string; Principal: { AWS: string }; Action: string; Condition: { StringEquals: Record<string, string> } }[];
  };
  managedPolicyArns: string[];
  statements: { Sid: string; Effect: string; Action: string[]; Resource: string }[];
}

export interface ParsedTemplate {
  role: ParsedRole;
  /** The whole parsed document (CloudFormation object or hcl2json output). */
  document: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

function obj(value: unknown, what: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Obj;
}

/** The value of an HCL attribute `"${fn(<json>)}"` written by orglink, parsed as JSON. */
export function unwrapHclCall(value: unknown, fn: 'jsonencode' | 'toset'): unknown {
  if (typeof value !== 'string') throw new Error(`expected an HCL expression string, got ${typeof value}`);
  const prefix = `\${${fn}(`;
  if (!value.startsWith(prefix) || !value.endsWith(')}')) throw new Error(`not a ${fn}(...) expression: ${value.slice(0, 40)}`);
  const inner = value
    .slice(prefix.length, -2)
    .replaceAll('$${', () => '${')
    .replaceAll('%%{', '%{')
    .replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(inner);
}

/** A CloudFormation AWS::IAM::Role resource in the neutral shape. */
export function roleFromCloudFormation(resource: unknown): ParsedRole {
  const r = obj(resource, 'role resource');
  if (r.Type !== 'AWS::IAM::Role') throw new Error(`resource type is ${String(r.Type)}`);
  const p = obj(r.Properties, 'role properties');
  const policies = (p.Policies ?? []) as { PolicyName: string; PolicyDocument: { Statement: ParsedRole['statements'] } }[];
  return {
    roleName: p.RoleName as string,
    trustPolicy: p.AssumeRolePolicyDocument as ParsedRole['trustPolicy'],
    managedPolicyArns: (p.ManagedPolicyArns ?? []) as string[],
    statements: policies.flatMap((policy) => policy.PolicyDocument.Statement),
  };
}

function hclResource(doc: Obj, type: string, name: string): Obj {
  const resources = obj(doc.resource, 'resource blocks');
  const byName = obj(resources[type], `${type} resources`);
  const list = byName[name] as Obj[] | undefined;
  if (list?.length !== 1) throw new Error(`expected one ${type}.${name}`);
  return obj(list[0], `${type}.${name}`);
}

function hclResourceOrNull(doc: Obj, type: string, name: string): Obj | null {
  const resources = obj(doc.resource, 'resource blocks');
  return resources[type] === undefined ? null : hclResource(doc, type, name);
}

/** The role a Terraform file declares as `aws_iam_role.<name>`, with its attachments and inline policy of the same name. */
async function terraformRole(body: string, name: string): Promise<ParsedTemplate> {
  const document = obj(await parseHcl('main.tf', body), 'hcl');
  const role = hclResource(document, 'aws_iam_role', name);
  const attachment = hclResourceOrNull(document, 'aws_iam_role_policy_attachment', name);
  const inline = hclResourceOrNull(document, 'aws_iam_role_policy', name);
  return {
    document,
    role: {
      roleName: role.name as string,
      trustPolicy: unwrapHclCall(role.assume_role_policy, 'jsonencode') as ParsedRole['trustPolicy'],
      managedPolicyArns: attachment === null ? [] : (unwrapHclCall(attachment.for_each, 'toset') as string[]),
      statements: inline === null ? [] : (unwrapHclCall(inline.policy, 'jsonencode') as { Statement: ParsedRole['statements'] }).Statement,
    },
  };
}

/** Parse a rendered template of any format and extract the role it creates (the member role for StackSets). */
export async function parseTemplate(format: TemplateFormat, body: string): Promise<ParsedTemplate> {
  switch (format) {
    case 'cloudformation':
    case 'cloudformation-json': {
      const document = obj(format === 'cloudformation' ? parseYaml(body) : JSON.parse(body), 'template');
      return { document, role: roleFromCloudFormation(obj(document.Resources, 'Resources').DiscoveryRole) };
    }
    case 'member-cloudformation': {
      const document = obj(parseYaml(body), 'template');
      return { document, role: roleFromCloudFormation(obj(document.Resources, 'Resources').MemberRole) };
    }
    case 'stackset': {
      const document = obj(parseYaml(body), 'template');
      const stackSet = obj(obj(document.Resources, 'Resources').MemberRoleStackSet, 'StackSet');
      const member = obj(parseYaml(obj(stackSet.Properties, 'StackSet properties').TemplateBody as string), 'TemplateBody');
      return { document, role: roleFromCloudFormation(obj(member.Resources, 'member Resources').MemberRole) };
    }
    case 'terraform':
      return terraformRole(body, 'orglink_discovery');
    case 'member-terraform':
      return terraformRole(body, 'orglink_member');
    case 'stackset-terraform': {
      const document = obj(await parseHcl('main.tf', body), 'hcl');
      const stackSet = hclResource(document, 'aws_cloudformation_stack_set', 'orglink_member_roles');
      const member = obj(unwrapHclCall(stackSet.template_body, 'jsonencode'), 'template_body');
      return { document, role: roleFromCloudFormation(obj(member.Resources, 'member Resources').MemberRole) };
    }
  }
}
