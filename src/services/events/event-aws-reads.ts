/**
 * The few Organizations calls an event needs, through the integration's discovery role: for
 * an account DescribeAccount then ListParents (one account, not a walk), for an OU
 * DescribeOrganizationalUnit; and one AssumeRole into a new account's member role for its
 * health. "Not found" answers are facts (the account left, the OU is gone), other errors throw.
 */
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  paginateListParents,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { awsErrorCode } from '../../aws/aws-error-info.js';
import { sessionNameFor } from '../../aws/credential-cache.js';
import { createMemberAccess } from '../../aws/member-access.js';
import { probeMemberAccounts } from '../../aws/member-prober.js';
import { ORGANIZATIONS_PAGE_SIZE } from '../../aws/org-walker.js';
import type { EventTruth } from '../../core/events/plan-event-change.js';
import type { OrganizationsChange } from '../../core/events/organizations-event.js';
import { accountStateOf } from '../../core/mirror/discovered-tree.js';
import type { HealthVerdict } from '../sync/health-changes.js';
import type { SyncAwsAccess } from '../sync/sync-aws-access.js';

export interface EventIntegration {
  id: string;
  handle: string;
  role_arn: string;
  role_name: string;
  external_id: string;
}

const GONE_CODES = new Set(['AccountNotFoundException', 'ChildNotFoundException', 'OrganizationalUnitNotFoundException', 'ParentNotFoundException']);

function isGone(error: unknown): boolean {
  return GONE_CODES.has(awsErrorCode(error));
}

/** An Organizations client signed by the integration's discovery role (shares the sync's limiter). */
export function eventOrganizationsClient(aws: SyncAwsAccess, integration: EventIntegration): OrganizationsClient {
  const credentials = aws.platformCache.provider({
    roleArn: integration.role_arn,
    externalId: integration.external_id,
    sessionName: sessionNameFor(integration.handle),
  });
  return aws.discoveryClients(credentials, integration.id).organizations;
}

async function readAccount(organizations: OrganizationsClient, accountId: string): Promise<EventTruth> {
  try {
    const { Account } = await organizations.send(new DescribeAccountCommand({ AccountId: accountId }));
    let parentId: string | undefined;
    for await (const page of paginateListParents({ client: organizations, pageSize: ORGANIZATIONS_PAGE_SIZE }, { ChildId: accountId })) {
      parentId = page.Parents?.[0]?.Id ?? parentId;
    }
    if (Account === undefined || parentId === undefined) return { kind: 'account', accountId, account: null };
    return {
      kind: 'account',
      accountId,
      account: {
        id: accountId,
        name: Account.Name ?? accountId,
        email: Account.Email ?? '',
        state: accountStateOf(Account),
        parentId,
        joinedTimestamp: Account.JoinedTimestamp ?? null,
      },
    };
  } catch (error) {
    if (isGone(error)) return { kind: 'account', accountId, account: null };
    throw error;
  }
}

async function readOu(organizations: OrganizationsClient, ouId: string): Promise<EventTruth> {
  try {
    const { OrganizationalUnit } = await organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }));
    if (OrganizationalUnit === undefined) return { kind: 'ou', ouId, ou: null };
    return { kind: 'ou', ouId, ou: { id: ouId, name: OrganizationalUnit.Name ?? ouId } };
  } catch (error) {
    if (isGone(error)) return { kind: 'ou', ouId, ou: null };
    throw error;
  }
}

/** What Organizations says now about the change's account or OU. */
export function readEventTruth(organizations: OrganizationsClient, change: OrganizationsChange): Promise<EventTruth> {
  switch (change.kind) {
    case 'account-joined':
    case 'account-moved':
    case 'account-left':
    case 'account-closed':
      return readAccount(organizations, change.accountId);
    case 'ou-created':
    case 'ou-renamed':
    case 'ou-deleted':
      return readOu(organizations, change.ouId);
  }
}

/** The member role's health in one account (ACTIVE accounts only are assumed into). */
export async function probeOneAccount(aws: SyncAwsAccess, integration: EventIntegration, account: { id: string; state: string }): Promise<HealthVerdict> {
  const access = createMemberAccess({
    partition: integration.role_arn.split(':')[1] || 'aws',
    roleName: integration.role_name,
    externalId: integration.external_id,
    sessionName: sessionNameFor(integration.handle),
    cache: aws.platformCache,
  });
  const result = await probeMemberAccounts({ access, accounts: [account], concurrency: 1, exposureSampleSize: 0 });
  const probe = result.accounts[0];
  return { health: probe?.health ?? 'unknown', reason: probe?.reason ?? null };
}
