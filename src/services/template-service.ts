/**
 * Onboarding templates rendered from a stored integration or standalone connection, with
 * the platform principal from config. Reading a template is not a mutation: no audit entry.
 * Access comes first: whether the server has a platform principal is told only to callers
 * who may read the object (others get the 404 every route gives them).
 */
import { requirePlatformPrincipalArn } from '../config/config.js';
import { isPartition, parseRoleArn, type Partition } from '../core/arn.js';
import { validateCapabilities } from '../core/capabilities.js';
import { InputError } from '../core/errors.js';
import { validateOrganizationalUnitIds } from '../core/organizational-unit-id.js';
import {
  renderTemplate,
  TEMPLATE_FORMATS,
  type RenderedTemplate,
  type TemplateFormat,
} from '../core/templates/render-template.js';
import type { TemplateEventsInput } from '../core/templates/events-forwarding.js';
import type { SecretBox } from '../store/secret-box.js';
import { loadTenantAccess } from './access-control.js';
import { ensureWebhookSecret, eventCredentials } from './events/webhook-secret.js';
import { resolveConnection } from './connection-service.js';
import { DEFAULT_CONNECTION_CAPABILITIES } from './connection-settings.js';
import type { Actor, ServiceDeps } from './context.js';
import { resolveIntegration } from './integration-service.js';

/** Formats an integration offers: management role, member StackSets, and a single member stack. */
export const INTEGRATION_TEMPLATE_FORMATS: readonly TemplateFormat[] = TEMPLATE_FORMATS;
/** Formats a standalone connection offers: its role in each account it reaches. */
export const CONNECTION_TEMPLATE_FORMATS: readonly TemplateFormat[] = ['member-cloudformation', 'member-terraform'];

export interface TemplateDeps extends Pick<ServiceDeps, 'db'> {
  /** Unset: rendering is refused with 409 platform_principal_arn_not_configured, after the access check. */
  platformPrincipalArn?: string;
  /**
   * When set and the public URL is https (EventBridge calls nothing else), the management
   * templates also forward Organizations events to the integration's endpoint.
   */
  events?: { secretBox: SecretBox; publicUrl: string };
}

/** Formats that deploy into the management account, and so can carry the EventBridge part. */
const MANAGEMENT_FORMATS: readonly TemplateFormat[] = ['cloudformation', 'cloudformation-json', 'terraform'];

/** The events part of a management template (creating the webhook secret on first use), or undefined. */
async function templateEvents(deps: TemplateDeps, format: TemplateFormat, integrationId: string): Promise<TemplateEventsInput | undefined> {
  if (deps.events === undefined || !MANAGEMENT_FORMATS.includes(format) || !deps.events.publicUrl.startsWith('https://')) return undefined;
  const secret = await ensureWebhookSecret(deps.db, deps.events.secretBox, integrationId);
  const { endpointUrl, eventKey } = eventCredentials(deps.events.publicUrl, integrationId, secret);
  return { endpointUrl, eventKey };
}

function pickFormat(value: string, allowed: readonly TemplateFormat[]): TemplateFormat {
  const format = allowed.find((candidate) => candidate === value);
  if (format === undefined) {
    throw new InputError('template_format_unknown', `Unknown template format '${value}' (available: ${allowed.join(', ')})`, {
      field: 'format',
      details: { value, allowed: [...allowed] },
    });
  }
  return format;
}

/** The roles' partition: the discovery role ARN's when known, else the platform principal's. */
function partitionOf(roleArn: string | null, platformPrincipalArn: string): Partition {
  if (roleArn !== null) return parseRoleArn(roleArn, 'roleArn').partition;
  const partition = platformPrincipalArn.split(':')[1];
  if (!isPartition(partition)) {
    throw new InputError('platform_principal_arn_invalid', 'The configured platform principal ARN has no known partition', { field: 'platformPrincipalArn' });
  }
  return partition;
}

/** `ous=ou-a,ou-b` as a validated list, or undefined when absent. */
export function parseOusQuery(ous: string | undefined): string[] | undefined {
  if (ous === undefined) return undefined;
  return validateOrganizationalUnitIds(ous.split(',').map((id) => id.trim()), 'ous');
}

/** Renders one of an integration's templates. */
export async function renderIntegrationTemplate(
  deps: TemplateDeps,
  actor: Actor,
  tenantId: string,
  ref: string,
  request: { format: string; ous?: string },
): Promise<RenderedTemplate> {
  const format = pickFormat(request.format, INTEGRATION_TEMPLATE_FORMATS);
  const ous = parseOusQuery(request.ous);
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const row = await resolveIntegration(deps.db, access, ref);
  const platformPrincipalArn = requirePlatformPrincipalArn(deps);
  // After the principal check: a refused download must not create the webhook secret.
  const events = await templateEvents(deps, format, row.id);
  return renderTemplate(format, {
    handle: row.handle,
    roleName: row.role_name,
    externalId: row.external_id,
    platformPrincipalArn,
    partition: partitionOf(row.role_arn, platformPrincipalArn),
    capabilities: validateCapabilities(row.capabilities),
    customPolicyArns: row.custom_policy_arns,
    extraActions: row.extra_actions,
    ...(ous === undefined ? {} : { organizationalUnitIds: ous }),
    ...(events === undefined ? {} : { events }),
  });
}

/** Renders a standalone connection's member-account template, with the permissions chosen for its role. */
export async function renderConnectionTemplate(
  deps: TemplateDeps,
  actor: Actor,
  tenantId: string,
  ref: string,
  request: { format: string },
): Promise<RenderedTemplate> {
  const format = pickFormat(request.format, CONNECTION_TEMPLATE_FORMATS);
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const row = await resolveConnection(deps.db, access, ref);
  if (row.role_name === null || row.external_id === null) {
    throw new InputError('template_not_available', `Connection '${row.handle}' uses its integration's role; render the integration's templates`, {
      field: 'ref',
      details: { integrationId: row.integration_id },
    });
  }
  const platformPrincipalArn = requirePlatformPrincipalArn(deps);
  return renderTemplate(format, {
    handle: row.handle,
    roleName: row.role_name,
    externalId: row.external_id,
    platformPrincipalArn,
    partition: partitionOf(null, platformPrincipalArn),
    // Standalone rows always carry these (migration 0003 backfilled older ones); the fallback only types the null.
    capabilities: validateCapabilities(row.capabilities ?? DEFAULT_CONNECTION_CAPABILITIES),
    customPolicyArns: row.custom_policy_arns ?? [],
    extraActions: row.extra_actions ?? [],
  });
}
