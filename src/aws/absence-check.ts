/**
 * A walk is not atomic: an account moved from a parent not yet listed to one already listed
 * is seen nowhere, and a complete-looking tree would then delete its connection. Before a
 * plan removes accounts, ask Organizations about just those (DescribeAccount, then ListParents
 * for the ones still there). This is per *missing* account, a handful, never per account;
 * above `maxAccounts` it is skipped and the tree marked incomplete, because that many
 * disappearances need a human anyway (the delete guard's count limit is the same).
 */
import { DescribeAccountCommand, paginateListParents, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { accountStateOf, type AbsenceRecheck, type DiscoveredAccount } from '../core/mirror/discovered-tree.js';
import { awsErrorCode, awsErrorMessage, isAccessDenied } from './aws-error-info.js';
import { ORGANIZATIONS_PAGE_SIZE } from './org-walker.js';
import { mapWithConcurrency } from './task-pool.js';

export interface AbsenceCheckOptions {
  organizations: OrganizationsClient;
  /** Accounts the mirror holds that the walk did not find. */
  accountIds: readonly string[];
  /** Above this many, no call is made and all are `unknown` (default 50). */
  maxAccounts?: number;
  concurrency?: number;
}

type Verdict = { kind: 'present'; account: DiscoveredAccount } | { kind: 'gone'; id: string } | { kind: 'unknown'; id: string; code: string; message: string; denied: boolean };

async function recheckOne(organizations: OrganizationsClient, id: string): Promise<Verdict> {
  try {
    const { Account } = await organizations.send(new DescribeAccountCommand({ AccountId: id }));
    let parentId: string | undefined;
    for await (const page of paginateListParents({ client: organizations, pageSize: ORGANIZATIONS_PAGE_SIZE }, { ChildId: id })) {
      parentId = page.Parents?.[0]?.Id ?? parentId;
    }
    if (Account === undefined || parentId === undefined) return { kind: 'gone', id };
    return {
      kind: 'present',
      account: {
        id,
        name: Account.Name ?? id,
        email: Account.Email ?? '',
        state: accountStateOf(Account),
        parentId,
        joinedTimestamp: Account.JoinedTimestamp ?? null,
      },
    };
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'AccountNotFoundException' || code === 'ChildNotFoundException') return { kind: 'gone', id };
    return { kind: 'unknown', id, code, message: awsErrorMessage(error), denied: isAccessDenied(error) };
  }
}

/** Settles each missing account as present (with its current parent), gone, or unknown. */
export async function recheckAbsentAccounts(options: AbsenceCheckOptions): Promise<AbsenceRecheck> {
  const ids = [...options.accountIds].sort();
  if (ids.length > (options.maxAccounts ?? 50)) {
    return {
      present: [],
      gone: [],
      unknown: [
        {
          parentId: null,
          listing: 'accounts',
          code: 'too_many_missing_accounts',
          message: `${ids.length} mirrored accounts were not found by the walk: too many to recheck one by one.`,
          denied: false,
        },
      ],
    };
  }
  const verdicts = await mapWithConcurrency(ids, options.concurrency ?? 4, (id) => recheckOne(options.organizations, id));
  const result: AbsenceRecheck = { present: [], gone: [], unknown: [] };
  for (const v of verdicts) {
    if (v.kind === 'present') result.present.push(v.account);
    else if (v.kind === 'gone') result.gone.push(v.id);
    else result.unknown.push({ parentId: null, listing: 'accounts', code: v.code, message: `Recheck of account ${v.id}: ${v.message}`, denied: v.denied });
  }
  return result;
}
