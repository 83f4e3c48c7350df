import { discoveryRoleTemplate, memberRoleTemplate, toCloudFormationJson, toCloudFormationYaml } from './cloudformation.js';
import { renderStackSetTemplate } from './stackset.js';
import { renderStackSetTerraform } from './stackset-terraform.js';
import { checkTemplateInput, type RenderedTemplate, type TemplateFormat, type TemplateInput } from './template-input.js';
import { renderMemberRoleTerraform } from './member-terraform.js';
import { renderDiscoveryRoleTerraform } from './terraform.js';

export { renderMemberRoleTemplateBody } from './cloudformation.js';
export { stackSetName } from './stackset.js';
export {
  TEMPLATE_FORMATS,
  isTemplateFormat,
  validateTemplateFormat,
  type RenderedTemplate,
  type TemplateFormat,
  type TemplateInput,
} from './template-input.js';

const YAML = 'application/yaml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const TERRAFORM = 'text/plain; charset=utf-8';

/** Render one onboarding template; deterministic (same input, same bytes) and free of timestamps. */
export function renderTemplate(format: TemplateFormat, input: TemplateInput): RenderedTemplate {
  checkTemplateInput(input);
  const base = `orglink-${input.handle}`;
  switch (format) {
    case 'cloudformation':
      return { filename: `${base}-discovery-role.yaml`, contentType: YAML, body: toCloudFormationYaml(discoveryRoleTemplate(input)) };
    case 'cloudformation-json':
      return { filename: `${base}-discovery-role.json`, contentType: JSON_TYPE, body: toCloudFormationJson(discoveryRoleTemplate(input)) };
    case 'terraform':
      return { filename: `${base}-discovery-role.tf`, contentType: TERRAFORM, body: renderDiscoveryRoleTerraform(input) };
    case 'stackset':
      return { filename: `${base}-member-roles-stackset.yaml`, contentType: YAML, body: renderStackSetTemplate(input) };
    case 'stackset-terraform':
      return { filename: `${base}-member-roles-stackset.tf`, contentType: TERRAFORM, body: renderStackSetTerraform(input) };
    case 'member-cloudformation':
      return { filename: `${base}-member-role.yaml`, contentType: YAML, body: toCloudFormationYaml(memberRoleTemplate(input)) };
    case 'member-terraform':
      return { filename: `${base}-member-role.tf`, contentType: TERRAFORM, body: renderMemberRoleTerraform(input) };
  }
}
