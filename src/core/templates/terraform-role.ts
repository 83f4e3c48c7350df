/**
 * The Terraform resources of one orglink role, shared by the discovery-role and member-role
 * templates: the role with its trust policy, one attachment per managed policy (for_each
 * over a fixed, sorted set), the inline policy, and the role_arn output.
 */
import { hclJsonencode, hclString, hclStringList } from './hcl.js';
import { HANDLE_TAG_KEY, INLINE_POLICY_NAME, type RoleModel } from './role-model.js';

/** HCL blocks for a role named `resource` in Terraform, tagged with the integration or connection handle. */
export function terraformRoleBlocks(model: RoleModel, resource: string, handle: string, outputDescription: string): string[] {
  const blocks = [
    `resource "aws_iam_role" "${resource}" {
  name                 = ${hclString(model.roleName)}
  description          = ${hclString(model.description)}
  max_session_duration = 3600
  assume_role_policy   = ${hclJsonencode(model.trustPolicy, 2)}
  tags = {
    ${hclString(HANDLE_TAG_KEY)} = ${hclString(handle)}
  }
}
`,
  ];
  if (model.managedPolicyArns.length > 0) {
    blocks.push(`resource "aws_iam_role_policy_attachment" "${resource}" {
  for_each   = toset(${hclStringList(model.managedPolicyArns, 2)})
  role       = aws_iam_role.${resource}.name
  policy_arn = each.value
}
`);
  }
  if (model.inlinePolicy !== null) {
    blocks.push(`resource "aws_iam_role_policy" "${resource}" {
  name   = ${hclString(INLINE_POLICY_NAME)}
  role   = aws_iam_role.${resource}.id
  policy = ${hclJsonencode(model.inlinePolicy, 2)}
}
`);
  }
  blocks.push(`output "role_arn" {
  description = ${hclString(outputDescription)}
  value       = aws_iam_role.${resource}.arn
}
`);
  return blocks;
}
