import { terraformEventsPart } from './events-forwarding.js';
import { hclJsonencode, hclString, hclStringList } from './hcl.js';
import { INLINE_POLICY_NAME, HANDLE_TAG_KEY, roleModel } from './role-model.js';
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
    `resource "aws_iam_role" "orglink_discovery" {
  name                 = ${hclString(model.roleName)}
  description          = ${hclString(model.description)}
  max_session_duration = 3600
  assume_role_policy   = ${hclJsonencode(model.trustPolicy, 2)}
  tags = {
    ${hclString(HANDLE_TAG_KEY)} = ${hclString(input.handle)}
  }
}
`,
  ];
  if (model.managedPolicyArns.length > 0) {
    blocks.push(`resource "aws_iam_role_policy_attachment" "orglink_discovery" {
  for_each   = toset(${hclStringList(model.managedPolicyArns, 2)})
  role       = aws_iam_role.orglink_discovery.name
  policy_arn = each.value
}
`);
  }
  if (model.inlinePolicy !== null) {
    blocks.push(`resource "aws_iam_role_policy" "orglink_discovery" {
  name   = ${hclString(INLINE_POLICY_NAME)}
  role   = aws_iam_role.orglink_discovery.id
  policy = ${hclJsonencode(model.inlinePolicy, 2)}
}
`);
  }
  blocks.push(`output "role_arn" {
  description = "Paste this ARN into orglink as the discovery role ARN."
  value       = aws_iam_role.orglink_discovery.arn
}
`);
  if (input.events !== undefined) blocks.push(terraformEventsPart(input.handle, input.partition, input.events));
  return blocks.join('\n');
}
