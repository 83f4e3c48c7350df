import { hclJsonencode, hclString, hclStringList } from './hcl.js';
import { HANDLE_TAG_KEY, INLINE_POLICY_NAME, roleModel } from './role-model.js';
import { TERRAFORM_HEADER } from './terraform.js';
import type { TemplateInput } from './template-input.js';

/**
 * The Terraform equivalent of `member-cloudformation`: the member role in one account, with the
 * same trust policy, one attachment per managed policy (for_each over a fixed, sorted set) and
 * the inline policy. A connection scoped to several accounts applies it once per account (one
 * provider configuration, or one workspace, per account); the role name is the same everywhere.
 */
export function renderMemberRoleTerraform(input: TemplateInput): string {
  const model = roleModel(input, 'member');
  const blocks: string[] = [
    `# orglink ${input.handle}: member role ${input.roleName}, assumed by orglink with the External ID.
# Apply with credentials of each account the connection reaches (the provider's account).
${TERRAFORM_HEADER}`,
    `resource "aws_iam_role" "orglink_member" {
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
    blocks.push(`resource "aws_iam_role_policy_attachment" "orglink_member" {
  for_each   = toset(${hclStringList(model.managedPolicyArns, 2)})
  role       = aws_iam_role.orglink_member.name
  policy_arn = each.value
}
`);
  }
  if (model.inlinePolicy !== null) {
    blocks.push(`resource "aws_iam_role_policy" "orglink_member" {
  name   = ${hclString(INLINE_POLICY_NAME)}
  role   = aws_iam_role.orglink_member.id
  policy = ${hclJsonencode(model.inlinePolicy, 2)}
}
`);
  }
  blocks.push(`output "role_arn" {
  description = "The role orglink assumes in this account."
  value       = aws_iam_role.orglink_member.arn
}
`);
  return blocks.join('\n');
}
