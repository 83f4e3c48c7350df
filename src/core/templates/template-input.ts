import { isPartition, type Partition } from '../arn.js';
import type { Capability } from '../capabilities.js';
import { InputError } from '../errors.js';
import { validateHandle } from '../handle.js';
import { validateOrganizationalUnitIds } from '../organizational-unit-id.js';
import { validateRoleName } from '../role-name.js';
import { checkTemplateEventsInput, type TemplateEventsInput } from './events-forwarding.js';

/** Every onboarding template orglink renders. */
export const TEMPLATE_FORMATS = [
  'cloudformation',
  'cloudformation-json',
  'terraform',
  'stackset',
  'stackset-terraform',
  'member-cloudformation',
  'member-terraform',
] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

/** What a template is rendered from: an integration's (or standalone connection's) settings plus the platform principal. */
export interface TemplateInput {
  /** Integration or connection handle; names the stacks and tags the roles. */
  handle: string;
  roleName: string;
  externalId: string;
  /** The platform's AWS principal (from config) that the roles trust. */
  platformPrincipalArn: string;
  partition: Partition;
  capabilities: readonly Capability[];
  customPolicyArns: readonly string[];
  extraActions: readonly string[];
  /** StackSet targets: the root id (whole organization) or chosen OU ids; when absent the user supplies them at deploy time. */
  organizationalUnitIds?: readonly string[];
  /** When present, the management templates also forward Organizations events to this endpoint. */
  events?: TemplateEventsInput;
}

/** A rendered template, ready to be served as a download. */
export interface RenderedTemplate {
  filename: string;
  contentType: string;
  body: string;
}

const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::\d{12}:(root|(role|user|assumed-role)\/[\w+=,.@/-]+)$/;

/** True when the value names a template format. */
export function isTemplateFormat(value: unknown): value is TemplateFormat {
  return typeof value === 'string' && (TEMPLATE_FORMATS as readonly string[]).includes(value);
}

/** A template format, or template_format_unknown listing the known ones. */
export function validateTemplateFormat(value: unknown, field = 'format'): TemplateFormat {
  if (!isTemplateFormat(value)) {
    throw new InputError('template_format_unknown', `Unknown template format '${String(value)}' (known: ${TEMPLATE_FORMATS.join(', ')})`, {
      field,
      details: { value, allowed: [...TEMPLATE_FORMATS] },
    });
  }
  return value;
}

/**
 * Re-check the fields that end up inside templates, so a renderer can never emit text that
 * breaks out of a YAML or HCL string: handle, role name, External ID characters, principal ARN, partition.
 */
export function checkTemplateInput(input: TemplateInput): void {
  validateHandle(input.handle, 'handle');
  validateRoleName(input.roleName, 'roleName');
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(input.externalId)) {
    throw new InputError('external_id_malformed', 'External ID contains characters a template cannot carry', { field: 'externalId' });
  }
  if (!PRINCIPAL_ARN.test(input.platformPrincipalArn)) {
    throw new InputError('platform_principal_arn_invalid', `Platform principal '${input.platformPrincipalArn}' is not an IAM principal ARN`, {
      field: 'platformPrincipalArn',
    });
  }
  if (!isPartition(input.partition)) {
    throw new InputError('partition_unknown', `Unknown partition '${String(input.partition)}'`, { field: 'partition' });
  }
  const principalPartition = input.platformPrincipalArn.split(':')[1];
  if (principalPartition !== input.partition) {
    throw new InputError(
      'platform_principal_partition_mismatch',
      `Platform principal is in partition '${principalPartition}' but the roles are in '${input.partition}'; IAM trust cannot cross partitions`,
      { field: 'partition' },
    );
  }
  if (input.organizationalUnitIds !== undefined) validateOrganizationalUnitIds(input.organizationalUnitIds);
  if (input.events !== undefined) checkTemplateEventsInput(input.events);
}
