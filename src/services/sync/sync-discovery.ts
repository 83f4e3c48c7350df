/**
 * The AWS half of a sync: assume the integration's discovery role (afresh every run, so
 * a removed trust or changed credentials show at once), walk the organization, and probe
 * each account's member role. Nothing here touches the database.
 */
import { sessionNameFor } from '../../aws/credential-cache.js';
import { awsErrorCode, awsErrorMessage, isAccessDenied } from '../../aws/aws-error-info.js';
import { createMemberAccess } from '../../aws/member-access.js';
import { type ProbeResult, probeMemberAccounts } from '../../aws/member-prober.js';
import { type WalkProgress, walkOrganization } from '../../aws/org-walker.js';
import { recheckAbsentAccounts } from '../../aws/absence-check.js';
import { ConflictError, UpstreamError, isDomainError } from '../../core/errors.js';
import { applyAbsenceRecheck, type DiscoveredTree } from '../../core/mirror/discovered-tree.js';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SyncAwsAccess } from './sync-aws-access.js';

export interface DiscoveryIntegration {
  id: string;
  handle: string;
  role_arn: string | null;
  role_name: string;
  external_id: string;
}

export interface DiscoveryHooks {
  onPhase(phase: 'assume' | 'walk' | 'probe', message: string): Promise<void> | void;
  onWalk(progress: WalkProgress): void;
  onProbe(done: number, total: number): void;
  /** Account ids the mirror holds now: those a complete walk missed are rechecked one by one. */
  mirroredAccountIds(): Promise<ReadonlySet<string>>;
  signal?: AbortSignal;
}

/** Above this many missing accounts no recheck is made: that many disappearances go to the delete guard. */
export const ABSENCE_RECHECK_LIMIT = 50;

export interface Discovery {
  tree: DiscoveredTree;
  probe: ProbeResult;
}

function partitionOf(roleArn: string): string {
  return roleArn.split(':')[1] || 'aws';
}

/** Assumes the discovery role with the External ID; a refusal becomes a typed UpstreamError. */
async function assumeDiscoveryRole(aws: SyncAwsAccess, integration: DiscoveryIntegration & { role_arn: string }): Promise<void> {
  const request = { roleArn: integration.role_arn, externalId: integration.external_id, sessionName: sessionNameFor(integration.handle) };
  aws.platformCache.invalidate(request.roleArn, request.externalId);
  try {
    await aws.platformCache.get(request);
  } catch (error) {
    if (isAccessDenied(error)) {
      throw new UpstreamError(
        'discovery_role_assume_denied',
        `AssumeRole into ${integration.role_arn} was denied: the role is missing, does not trust orglink's principal, or expects another External ID. ` +
          'Deploy the management template (cloudformation or terraform) with this integration\'s External ID. Nothing was changed.',
        { cause: error, details: { roleArn: integration.role_arn, awsCode: awsErrorCode(error) } },
      );
    }
    throw new UpstreamError('discovery_role_assume_failed', `AssumeRole into ${integration.role_arn} failed: ${awsErrorMessage(error)}`, {
      cause: error,
      details: { roleArn: integration.role_arn, awsCode: awsErrorCode(error) },
    });
  }
}

/**
 * A walk is not atomic: an account moving between two listings is seen nowhere. Before the
 * plan may delete mirrored accounts a complete walk did not find, ask about just those.
 */
async function recheckMissing(tree: DiscoveredTree, organizations: OrganizationsClient, hooks: DiscoveryHooks): Promise<DiscoveredTree> {
  if (!tree.complete) return tree;
  const found = new Set(tree.accounts.map((a) => a.id));
  const missing = [...(await hooks.mirroredAccountIds())].filter((id) => !found.has(id));
  if (missing.length === 0 || missing.length > ABSENCE_RECHECK_LIMIT) return tree;
  const recheck = await recheckAbsentAccounts({ organizations, accountIds: missing, maxAccounts: ABSENCE_RECHECK_LIMIT });
  // An account found again under a parent the walk did not see cannot be placed: leave the tree incomplete instead.
  const parents = new Set([...tree.roots.map((r) => r.id), ...tree.ous.map((o) => o.id)]);
  const placeable = recheck.present.filter((a) => parents.has(a.parentId));
  const unplaced = recheck.present
    .filter((a) => !parents.has(a.parentId))
    .map((a) => ({ parentId: a.parentId, listing: 'accounts' as const, code: 'parent_not_walked', message: `Account ${a.id} moved under ${a.parentId} during the walk`, denied: false }));
  return applyAbsenceRecheck(tree, { ...recheck, present: placeable, unknown: [...recheck.unknown, ...unplaced] });
}

/** Assume, walk, probe. Throws a DomainError when discovery cannot start or its preflight fails. */
export async function discoverOrganization(aws: SyncAwsAccess, integration: DiscoveryIntegration, hooks: DiscoveryHooks): Promise<Discovery> {
  const roleArn = integration.role_arn;
  if (roleArn === null) {
    throw new ConflictError('discovery_role_arn_missing', `Integration '${integration.handle}' has no discovery role ARN yet: set discovery.roleArn after deploying the template`, {
      field: 'discovery.roleArn',
    });
  }
  await hooks.onPhase('assume', `Assuming ${roleArn}`);
  await assumeDiscoveryRole(aws, { ...integration, role_arn: roleArn });
  hooks.signal?.throwIfAborted();

  const sessionName = sessionNameFor(integration.handle);
  const credentials = aws.platformCache.provider({ roleArn, externalId: integration.external_id, sessionName });
  const clients = aws.discoveryClients(credentials, integration.id);
  await hooks.onPhase('walk', 'Walking the organization');
  let tree: DiscoveredTree;
  try {
    tree = await walkOrganization({ ...clients, concurrency: aws.walkConcurrency, onProgress: hooks.onWalk });
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new UpstreamError('discovery_failed', `Discovery failed: ${awsErrorCode(error)}: ${awsErrorMessage(error)}`, { cause: error });
  }
  hooks.signal?.throwIfAborted();
  tree = await recheckMissing(tree, clients.organizations, hooks);

  const access = createMemberAccess({
    partition: partitionOf(roleArn),
    roleName: integration.role_name,
    externalId: integration.external_id,
    sessionName,
    cache: aws.platformCache,
  });
  const accounts = tree.accounts.map((a) => ({ id: a.id, state: a.state }));
  // Only ACTIVE accounts are assumed into; the others get health unknown without a call.
  const total = accounts.filter((a) => a.state === 'ACTIVE').length;
  await hooks.onPhase('probe', `Checking the member role in ${total} active accounts`);
  let done = 0;
  const counted = {
    ...access,
    refreshCredentialsFor: async (accountId: string) => {
      try {
        return await access.refreshCredentialsFor(accountId);
      } finally {
        done += 1;
        hooks.onProbe(done, total);
      }
    },
  };
  const probe = await probeMemberAccounts({
    access: counted,
    accounts,
    concurrency: aws.probeConcurrency,
    exposureSampleSize: aws.exposureSampleSize,
  });
  return { tree, probe };
}
