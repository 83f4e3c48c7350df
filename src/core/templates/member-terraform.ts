import { roleModel } from './role-model.js';
import { TERRAFORM_HEADER } from './terraform.js';
import { terraformRoleBlocks } from './terraform-role.js';
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
    ...terraformRoleBlocks(model, 'orglink_member', input.handle, 'The role orglink assumes in this account.'),
  ];
  return blocks.join('\n');
}
