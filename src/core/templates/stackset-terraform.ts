import { memberRoleTemplate } from './cloudformation.js';
import { hclJsonencode, hclString, hclStringList } from './hcl.js';
import { stackSetName } from './stackset.js';
import { TERRAFORM_HEADER } from './terraform.js';
import type { TemplateInput } from './template-input.js';

/**
 * The Terraform equivalent of the `stackset` template: a service-managed `aws_cloudformation_stack_set`
 * with auto deployment (stacks removed when an account leaves) whose template body is the member role,
 * and one `aws_cloudformation_stack_set_instance` targeting the root or chosen OUs.
 */
export function renderStackSetTerraform(input: TemplateInput): string {
  const targets = input.organizationalUnitIds;
  const targetsDefault = targets === undefined ? '' : `\n  default     = ${hclStringList(targets, 2)}`;
  return `# orglink integration ${input.handle}: member role ${input.roleName} in every account of the
# organization (or of the chosen OUs) through a service-managed CloudFormation StackSet.
# Apply in the management account (call_as = "SELF") or a CloudFormation delegated administrator
# account (call_as = "DELEGATED_ADMIN"); the StackSet deploys in the provider's region.
${TERRAFORM_HEADER}
variable "organizational_unit_ids" {
  description = "The root id (r-xxxx) to cover the whole organization, or the ids of chosen OUs (ou-xxxx-xxxxxxxx)."
  type        = list(string)${targetsDefault}
}

variable "call_as" {
  description = "SELF in the management account; DELEGATED_ADMIN in a CloudFormation delegated administrator account."
  type        = string
  default     = "SELF"
}

resource "aws_cloudformation_stack_set" "orglink_member_roles" {
  name             = ${hclString(stackSetName(input.handle))}
  description      = ${hclString(`orglink ${input.handle}: member role ${input.roleName}`)}
  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  managed_execution {
    active = true
  }

  operation_preferences {
    failure_tolerance_percentage = 100
    max_concurrent_percentage    = 100
    region_concurrency_type      = "PARALLEL"
  }

  template_body = ${hclJsonencode(memberRoleTemplate(input), 2)}

  lifecycle {
    # AWS fills administration_role_arn in for service-managed StackSets; ignore it to avoid a perpetual diff.
    ignore_changes = [administration_role_arn]
  }
}

resource "aws_cloudformation_stack_set_instance" "orglink_member_roles" {
  stack_set_name = aws_cloudformation_stack_set.orglink_member_roles.name
  call_as        = var.call_as

  deployment_targets {
    organizational_unit_ids = var.organizational_unit_ids
  }
}

output "stack_set_id" {
  description = "The StackSet that manages the member roles."
  value       = aws_cloudformation_stack_set.orglink_member_roles.id
}
`;
}
