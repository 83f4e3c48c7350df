/**
 * "Test Connection": checks each link of the chain in turn — the platform principal, the
 * discovery role, listing the organization, then a sample of member roles — and reports
 * which step failed, why, and the remedy, naming the template to deploy. Later steps are
 * skipped once one fails, since they could only fail for the same reason.
 */
import { ListAccountsCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { isDomainError } from '../core/errors.js';
import type { AwsClientFactory } from './aws-clients.js';
import { awsErrorCode, awsErrorMessage, isAccessDenied } from './aws-error-info.js';
import { createCredentialCache, sessionNameFor, type CredentialCache } from './credential-cache.js';
import { createMemberAccess } from './member-access.js';
import { probeMemberAccounts } from './member-prober.js';
import { checkDiscoveryPosition } from './org-walker.js';
import type { RateLimiter } from './rate-limiter.js';

export type CheckStepName = 'platform_principal' | 'discovery_role' | 'list_organization' | 'member_roles';
export type CheckStatus = 'ok' | 'warning' | 'failed' | 'skipped';
/** Template formats the remedies name (see src/core/templates). */
export type RemedyTemplate = 'cloudformation' | 'terraform' | 'stackset';

export interface CheckStep {
  step: CheckStepName;
  status: CheckStatus;
  /** What was checked and found, in one sentence. */
  detail: string;
  /** AWS or orglink error code when the step failed or warned. */
  code?: string;
  remedy?: string;
  /** The template that fixes it: the management template for discovery failures, the StackSet for member roles. */
  templates?: RemedyTemplate[];
}

export interface ConnectionCheckResult {
  ok: boolean;
  steps: CheckStep[];
}

export interface ConnectionCheckOptions {
  factory: AwsClientFactory;
  integration: { handle: string; roleArn: string; roleName: string; externalId: string };
  /** Shared limiter for the calls made (optional: a check makes a handful). */
  limiter?: RateLimiter;
  /** Member accounts to probe (default 3), plus an exposure test on those found healthy. */
  memberSampleSize?: number;
  /** Reuse a platform credential cache (the check then warms it). */
  platformCache?: CredentialCache;
}

const MANAGEMENT_TEMPLATES: RemedyTemplate[] = ['cloudformation', 'terraform'];
const NOT_RUN = 'Not run: an earlier step failed.';

function partitionOf(roleArn: string): string {
  return roleArn.split(':')[1] || 'aws';
}

/** Runs the four steps; never throws for an AWS refusal (each becomes a failed step). */
export async function checkIntegrationConnection(options: ConnectionCheckOptions): Promise<ConnectionCheckResult> {
  const { factory, integration, limiter } = options;
  const withLimiter = limiter === undefined ? {} : { limiter };
  const steps: CheckStep[] = [];
  const finish = (): ConnectionCheckResult => {
    const names: CheckStepName[] = ['platform_principal', 'discovery_role', 'list_organization', 'member_roles'];
    for (const step of names.slice(steps.length)) steps.push({ step, status: 'skipped', detail: NOT_RUN });
    return { ok: steps.every((s) => s.status === 'ok' || s.status === 'warning'), steps };
  };

  // 1. The platform principal: the default credential chain must yield working credentials.
  const platformSts = factory.sts(withLimiter);
  try {
    const me = await platformSts.send(new GetCallerIdentityCommand({}));
    steps.push({ step: 'platform_principal', status: 'ok', detail: `orglink runs as ${me.Arn ?? 'an unknown principal'}.` });
  } catch (error) {
    steps.push({
      step: 'platform_principal',
      status: 'failed',
      code: awsErrorCode(error),
      detail: `orglink's own AWS credentials do not work: ${awsErrorMessage(error)}`,
      remedy: 'Give orglink AWS credentials through the default chain (environment variables, a profile, or a container or instance role).',
    });
    return finish();
  }

  // 2. The discovery role, with the External ID; then whether it would also open without it.
  const cache = options.platformCache ?? createCredentialCache({ sts: platformSts });
  const sessionName = sessionNameFor(integration.handle);
  const discovery = { roleArn: integration.roleArn, externalId: integration.externalId, sessionName };
  try {
    await cache.get(discovery);
  } catch (error) {
    const denied = isAccessDenied(error);
    steps.push({
      step: 'discovery_role',
      status: 'failed',
      code: awsErrorCode(error),
      detail: denied
        ? `AssumeRole into ${integration.roleArn} was denied: the role is missing, does not trust orglink's principal, or expects another External ID.`
        : `AssumeRole into ${integration.roleArn} failed: ${awsErrorMessage(error)}`,
      remedy: `Deploy the management template (cloudformation or terraform) in the management account with role name ${integration.roleName} and this integration's External ID, then check the role ARN.`,
      templates: MANAGEMENT_TEMPLATES,
    });
    return finish();
  }
  let exposed = false;
  try {
    await cache.assumeUncached({ roleArn: integration.roleArn, sessionName });
    exposed = true;
  } catch {
    exposed = false;
  }
  steps.push(
    exposed
      ? {
          step: 'discovery_role',
          status: 'warning',
          code: 'role_assumable_without_external_id',
          detail: `${integration.roleArn} can be assumed WITHOUT the External ID: a confused-deputy exposure.`,
          remedy: 'Redeploy the management template (cloudformation or terraform): its trust policy requires sts:ExternalId.',
          templates: MANAGEMENT_TEMPLATES,
        }
      : { step: 'discovery_role', status: 'ok', detail: `Assumed ${integration.roleArn} with the External ID (and not without it).` },
  );

  // 3. List the organization from where the role sits.
  const credentials = cache.provider(discovery);
  const organizations = factory.organizations({ credentials, ...withLimiter });
  let memberIds: Array<{ id: string; state: string }> = [];
  try {
    const position = await checkDiscoveryPosition(organizations, factory.sts({ credentials, ...withLimiter }));
    const roots = await organizations.send(new ListRootsCommand({ MaxResults: 20 }));
    const page = await organizations.send(new ListAccountsCommand({ MaxResults: 20 }));
    memberIds = (page.Accounts ?? [])
      .filter((a) => a.Id !== undefined && a.Id !== position.managementAccountId)
      .map((a) => ({ id: a.Id as string, state: a.State ?? a.Status ?? 'UNKNOWN' }))
      .filter((a) => a.state === 'ACTIVE')
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    steps.push({
      step: 'list_organization',
      status: 'ok',
      detail: `Listed organization ${position.organizationId} (root ${roots.Roots?.[0]?.Id ?? '?'}) from the ${position.role.replace(/_/g, ' ')} ${position.callerAccountId}.`,
    });
  } catch (error) {
    const code = isDomainError(error) ? error.code : awsErrorCode(error);
    steps.push({
      step: 'list_organization',
      status: 'failed',
      code,
      detail: isDomainError(error) ? error.message : `Listing the organization failed: ${awsErrorMessage(error)}`,
      remedy:
        code === 'discovery_role_not_in_management_account'
          ? 'Deploy the management template (cloudformation or terraform) in the management account, or register the role\'s account as a delegated administrator.'
          : 'Redeploy the management template (cloudformation or terraform): it grants the Organizations read actions discovery needs.',
      templates: MANAGEMENT_TEMPLATES,
    });
    return finish();
  }

  // 4. A sample of member roles, directly from the platform principal.
  const sample = memberIds.slice(0, options.memberSampleSize ?? 3);
  const access = createMemberAccess({ partition: partitionOf(integration.roleArn), roleName: integration.roleName, externalId: integration.externalId, sessionName, cache });
  const probe = await probeMemberAccounts({ access, accounts: sample, exposureSampleSize: sample.length });
  const bad = probe.accounts.filter((a) => a.health !== 'ok');
  if (sample.length === 0) {
    steps.push({ step: 'member_roles', status: 'ok', detail: 'The organization has no active member account to sample.' });
  } else if (bad.length > 0) {
    steps.push({
      step: 'member_roles',
      status: 'failed',
      code: bad[0]?.code ?? 'member_role_failed',
      detail: `${bad.length} of ${sample.length} sampled member accounts failed: ${bad.map((a) => `${a.accountId} (${a.health}: ${a.code ?? ''})`).join(', ')}.`,
      remedy: `Deploy the StackSet (template format "stackset") to every account, creating role ${integration.roleName} that trusts orglink with this External ID.`,
      templates: ['stackset'],
    });
  } else if (probe.warnings.length > 0) {
    steps.push({
      step: 'member_roles',
      status: 'warning',
      code: 'role_assumable_without_external_id',
      detail: probe.warnings.map((w) => w.message).join(' '),
      remedy: 'Redeploy the StackSet (template format "stackset"): its trust policy requires sts:ExternalId.',
      templates: ['stackset'],
    });
  } else {
    steps.push({ step: 'member_roles', status: 'ok', detail: `Assumed ${integration.roleName} in ${sample.length} sampled member accounts (${sample.map((a) => a.id).join(', ')}).` });
  }
  return finish();
}
