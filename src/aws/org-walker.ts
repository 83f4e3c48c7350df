/**
 * Walks an AWS Organization into a DiscoveredTree with the fewest calls a hierarchy needs:
 * DescribeOrganization (+ the caller check), ListRoots, then for every parent
 * ListOrganizationalUnitsForParent and ListAccountsForParent, fully paged with the SDK's
 * paginators at MaxResults 20, breadth-first with bounded concurrency. It never calls
 * ListParents or DescribeAccount per account (ListAccountsForParent already returns
 * every field, and per-account calls are what throttled ADF at 160 accounts).
 *
 * A listing that still fails after the limiter's retries does not end the walk: it is
 * recorded in `failures` and the tree is marked incomplete, so the mirror deletes nothing.
 */
import {
  DescribeOrganizationCommand,
  paginateListAccountsForParent,
  paginateListDelegatedAdministrators,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { UpstreamError } from '../core/errors.js';
import {
  accountStateOf,
  type DiscoveredAccount,
  type DiscoveredOu,
  type DiscoveredRoot,
  type DiscoveredTree,
  type ParentFailure,
  type ParentListing,
} from '../core/mirror/discovered-tree.js';
import { awsErrorCode, awsErrorMessage, isAccessDenied } from './aws-error-info.js';
import type { RateLimiter } from './rate-limiter.js';
import { runTaskQueue } from './task-pool.js';

/** Organizations' largest page. */
export const ORGANIZATIONS_PAGE_SIZE = 20;

export interface WalkProgress {
  listingsDone: number;
  listingsQueued: number;
  ous: number;
  accounts: number;
}

export interface WalkOrganizationOptions {
  /** Signed with the discovery role's credentials. */
  organizations: OrganizationsClient;
  /** Same credentials: GetCallerIdentity tells which account the discovery role sits in. */
  sts: STSClient;
  /** Attached to both clients when given (idempotent); normally the factory already attached it. */
  limiter?: RateLimiter;
  /** Listings in flight at once (default 8). The limiter, not this, sets the call rate. */
  concurrency?: number;
  onProgress?: (progress: WalkProgress) => void;
}

/** Where the discovery role sits, as the preflight found it. */
export interface DiscoveryPosition {
  organizationId: string;
  managementAccountId: string;
  callerAccountId: string;
  role: 'management_account' | 'delegated_administrator';
}

interface ListingTask {
  parentId: string;
  listing: Exclude<ParentListing, 'roots'>;
}

/** Checks the discovery role may walk the org: management account or delegated administrator. */
export async function checkDiscoveryPosition(organizations: OrganizationsClient, sts: STSClient): Promise<DiscoveryPosition> {
  let organizationId: string;
  let managementAccountId: string;
  try {
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
    organizationId = Organization?.Id ?? '';
    managementAccountId = Organization?.MasterAccountId ?? '';
  } catch (error) {
    throw preflightError(error);
  }
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  const callerAccountId = caller.Account ?? '';
  if (callerAccountId === managementAccountId) {
    return { organizationId, managementAccountId, callerAccountId, role: 'management_account' };
  }
  if (await isDelegatedAdministrator(organizations, callerAccountId)) {
    return { organizationId, managementAccountId, callerAccountId, role: 'delegated_administrator' };
  }
  throw new UpstreamError(
    'discovery_role_not_in_management_account',
    `The discovery role is in account ${callerAccountId}, a member of organization ${organizationId}. ` +
      `Discovery needs the role in the management account (${managementAccountId}) or in a delegated administrator account: ` +
      'deploy the management template (cloudformation or terraform) there and update the role ARN.',
    { details: { callerAccountId, managementAccountId, organizationId, callerArn: caller.Arn } },
  );
}

async function isDelegatedAdministrator(organizations: OrganizationsClient, accountId: string): Promise<boolean> {
  try {
    for await (const page of paginateListDelegatedAdministrators({ client: organizations, pageSize: ORGANIZATIONS_PAGE_SIZE }, {})) {
      if ((page.DelegatedAdministrators ?? []).some((a) => a.Id === accountId)) return true;
    }
    return false;
  } catch (error) {
    // A plain member account may not list delegated administrators: that answers the question.
    if (isAccessDenied(error)) return false;
    throw error;
  }
}

function preflightError(error: unknown): UpstreamError {
  const code = awsErrorCode(error);
  if (code === 'AWSOrganizationsNotInUseException') {
    return new UpstreamError('organizations_not_in_use', 'The discovery role\'s account is not in an AWS Organization.', { cause: error });
  }
  if (isAccessDenied(error)) {
    return new UpstreamError(
      'discovery_role_access_denied',
      `The discovery role may not call organizations:DescribeOrganization (${awsErrorMessage(error)}). ` +
        'Deploy the management template (cloudformation or terraform), which grants the Organizations read actions.',
      { cause: error },
    );
  }
  return new UpstreamError('discovery_failed', `DescribeOrganization failed: ${code}: ${awsErrorMessage(error)}`, { cause: error });
}

function failure(parentId: string | null, listing: ParentListing, error: unknown): ParentFailure {
  return { parentId, listing, code: awsErrorCode(error), message: awsErrorMessage(error), denied: isAccessDenied(error) };
}

/** Walks the whole organization. Throws only when the preflight fails; listing failures make the tree incomplete. */
export async function walkOrganization(options: WalkOrganizationOptions): Promise<DiscoveredTree> {
  const { organizations, sts } = options;
  if (options.limiter !== undefined) {
    options.limiter.attach(organizations);
    options.limiter.attach(sts);
  }
  const position = await checkDiscoveryPosition(organizations, sts);
  const roots: DiscoveredRoot[] = [];
  const ous = new Map<string, DiscoveredOu>();
  const accounts = new Map<string, DiscoveredAccount>();
  const failures: ParentFailure[] = [];
  const progress: WalkProgress = { listingsDone: 0, listingsQueued: 0, ous: 0, accounts: 0 };
  const report = (): void => options.onProgress?.({ ...progress, ous: ous.size, accounts: accounts.size });

  try {
    for await (const page of paginateListRoots({ client: organizations, pageSize: ORGANIZATIONS_PAGE_SIZE }, {})) {
      for (const r of page.Roots ?? []) if (r.Id) roots.push({ id: r.Id, name: r.Name ?? r.Id });
    }
  } catch (error) {
    failures.push(failure(null, 'roots', error));
  }

  const tasksFor = (parentId: string): ListingTask[] => [
    { parentId, listing: 'organizational_units' },
    { parentId, listing: 'accounts' },
  ];
  const initial = roots.flatMap((r) => tasksFor(r.id));
  progress.listingsQueued = initial.length;

  async function runListing(task: ListingTask): Promise<ListingTask[]> {
    const found: ListingTask[] = [];
    try {
      if (task.listing === 'organizational_units') {
        const pages = paginateListOrganizationalUnitsForParent(
          { client: organizations, pageSize: ORGANIZATIONS_PAGE_SIZE },
          { ParentId: task.parentId },
        );
        for await (const page of pages) {
          for (const ou of page.OrganizationalUnits ?? []) {
            if (!ou.Id || ous.has(ou.Id)) continue;
            ous.set(ou.Id, { id: ou.Id, name: ou.Name ?? ou.Id, parentId: task.parentId });
            found.push(...tasksFor(ou.Id));
          }
        }
      } else {
        const pages = paginateListAccountsForParent({ client: organizations, pageSize: ORGANIZATIONS_PAGE_SIZE }, { ParentId: task.parentId });
        for await (const page of pages) {
          for (const a of page.Accounts ?? []) {
            if (!a.Id) continue;
            accounts.set(a.Id, {
              id: a.Id,
              name: a.Name ?? a.Id,
              email: a.Email ?? '',
              state: accountStateOf(a),
              parentId: task.parentId,
              joinedTimestamp: a.JoinedTimestamp ?? null,
            });
          }
        }
      }
    } catch (error) {
      // Keep what the pages before the failure returned (true facts); the subtree below is unknown.
      failures.push(failure(task.parentId, task.listing, error));
    }
    progress.listingsDone += 1;
    progress.listingsQueued += found.length;
    report();
    return found;
  }

  await runTaskQueue(initial, Math.max(1, options.concurrency ?? 8), runListing);
  return {
    organizationId: position.organizationId,
    managementAccountId: position.managementAccountId,
    roots,
    ous: [...ous.values()],
    accounts: [...accounts.values()],
    complete: failures.length === 0 && roots.length > 0,
    failures,
  };
}
