import { stringify } from 'yaml';
import { cloudFormationEventsPart } from './events-forwarding.js';
import { cloudFormationRoleResource, roleModel, type RoleModel } from './role-model.js';
import type { TemplateInput } from './template-input.js';

/**
 * CloudFormation YAML is written with long-form intrinsics (`Fn::GetAtt: [...]`), never short tags
 * (`!GetAtt`), so any YAML parser reads it. YAML 1.1 quoting keeps CloudFormation from reading
 * strings such as `2010-09-09` or `on` as dates or booleans; anchors are never emitted.
 */
export function toCloudFormationYaml(template: unknown): string {
  return stringify(template, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, indent: 2 });
}

/** Pretty JSON with a final newline, for `cloudformation-json`. */
export function toCloudFormationJson(template: unknown): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

function roleArnOutput(logicalId: string, description: string) {
  return { Description: description, Value: { 'Fn::GetAtt': [logicalId, 'Arn'] } };
}

/**
 * The management account stack: the discovery role, trusted by the platform principal with the
 * External ID, plus (when `input.events` is set) the EventBridge forwarding of Organizations events.
 */
export function discoveryRoleTemplate(input: TemplateInput) {
  const model = roleModel(input, 'discovery');
  const resources = { DiscoveryRole: cloudFormationRoleResource(model, input.handle) };
  const outputs = { RoleArn: roleArnOutput('DiscoveryRole', 'Paste this ARN into orglink as the discovery role ARN.') };
  const description = `orglink integration ${input.handle}: discovery role ${input.roleName} for the AWS Organizations management (or delegated administrator) account.`;
  if (input.events === undefined) {
    return { AWSTemplateFormatVersion: '2010-09-09', Description: description, Resources: resources, Outputs: outputs };
  }
  const events = cloudFormationEventsPart(input.handle, input.partition, input.events);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${description} Also forwards AWS Organizations events to orglink: deploy in the Organizations events region.`,
    Parameters: events.Parameters,
    Conditions: events.Conditions,
    Resources: { ...resources, ...events.Resources },
    Outputs: { ...outputs, ...events.Outputs },
  };
}

/** A member account stack: the role orglink's connections assume in one account. */
export function memberRoleTemplate(input: TemplateInput, model: RoleModel = roleModel(input, 'member')) {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `orglink ${input.handle}: member role ${input.roleName}, assumed by orglink connections with the External ID.`,
    Resources: { MemberRole: cloudFormationRoleResource(model, input.handle) },
    Outputs: { RoleArn: roleArnOutput('MemberRole', 'The role orglink assumes in this account.') },
  };
}

/** The member role template alone as YAML: the TemplateBody of the StackSet (also deployable by CreateStackSet directly). */
export function renderMemberRoleTemplateBody(input: TemplateInput): string {
  return toCloudFormationYaml(memberRoleTemplate(input));
}
