import { renderMemberRoleTemplateBody, toCloudFormationYaml } from './cloudformation.js';
import type { TemplateInput } from './template-input.js';

/** The StackSet's name for an integration; the same in the CloudFormation and Terraform renderings. */
export function stackSetName(handle: string): string {
  return `orglink-${handle}-member-roles`;
}

/**
 * A CloudFormation template that creates a service-managed StackSet deploying the member role to every
 * account under the target root or OUs, now and as accounts join (AutoDeployment), and deleting the
 * stack when an account leaves (RetainStacksOnAccountRemoval false). Operations run on all accounts at
 * once and tolerate failures, so one blocked account does not stop the rest.
 */
export function stackSetTemplate(input: TemplateInput) {
  const targets = input.organizationalUnitIds;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `orglink integration ${input.handle}: member role ${input.roleName} in every account of the organization or of the chosen OUs, through a service-managed StackSet.`,
    Parameters: {
      OrganizationalUnitIds: {
        Type: 'CommaDelimitedList',
        Description: 'The root id (r-xxxx) to cover the whole organization, or the ids of chosen OUs (ou-xxxx-xxxxxxxx).',
        ...(targets === undefined ? {} : { Default: targets.join(',') }),
      },
      CallAs: {
        Type: 'String',
        Description: 'SELF in the management account; DELEGATED_ADMIN in a CloudFormation delegated administrator account.',
        AllowedValues: ['SELF', 'DELEGATED_ADMIN'],
        Default: 'SELF',
      },
    },
    Resources: {
      MemberRoleStackSet: {
        Type: 'AWS::CloudFormation::StackSet',
        Properties: {
          StackSetName: stackSetName(input.handle),
          Description: `orglink ${input.handle}: member role ${input.roleName}`,
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
          CallAs: { Ref: 'CallAs' },
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          ManagedExecution: { Active: true },
          OperationPreferences: { FailureTolerancePercentage: 100, MaxConcurrentPercentage: 100, RegionConcurrencyType: 'PARALLEL' },
          StackInstancesGroup: [
            {
              DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } },
              Regions: [{ Ref: 'AWS::Region' }],
            },
          ],
          TemplateBody: renderMemberRoleTemplateBody(input),
        },
      },
    },
    Outputs: {
      StackSetId: { Description: 'The StackSet that manages the member roles.', Value: { Ref: 'MemberRoleStackSet' } },
    },
  };
}

/** The StackSet template as YAML. */
export function renderStackSetTemplate(input: TemplateInput): string {
  return toCloudFormationYaml(stackSetTemplate(input));
}
