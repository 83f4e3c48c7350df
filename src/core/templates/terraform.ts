import { terraformEventsPart } from './events-forwarding.js';
import { roleModel } from './role-model.js';
import { terraformRoleBlocks } from './terraform-role.js';
import type { TemplateInput } from './template-input.js';

/** The provider requirement shared by orglink's Terraform files. */
export const TERRAFORM_HEADER = `terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
`;

/**
 * The management account's discovery role in Terraform: the role with its trust policy, one
 * attachment per managed policy (for_each over a fixed, sorted set) and the inline policy;
 * plus the EventBridge forwarding of Organizations events when `input.events` is set.
 */
export function renderDiscoveryRoleTerraform(input: TemplateInput): string {
  const model = roleModel(input, 'discovery');
  const blocks: string[] = [
    `# orglink integration ${input.handle}: discovery role for the AWS Organizations management
# (or delegated administrator) account. Apply with credentials of that account, then paste the
# role_arn output into orglink as the discovery role ARN.
${TERRAFORM_HEADER}`,
    ...terraformRoleBlocks(model, 'orglink_discovery', input.handle, 'Paste this ARN into orglink as the discovery role ARN.'),
  ];
  if (input.events !== undefined) blocks.push(terraformEventsPart(input.handle, input.partition, input.events));
  return blocks.join('\n');
}
