/**
 * The walk peers made (baton-aws, ADF, botocove-style scripts): page through ListAccounts,
 * then ListParents for every account, one call after another, with the SDK's standard
 * retries (3 attempts) and nothing else. Used only as the benchmark's point of comparison.
 * It is capped (accounts or seconds) because under AWS-like throttling the full run would
 * take far longer than the walk; the caller extrapolates from what it measured.
 */
import { ListParentsCommand, type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';

export interface NaiveWalkOptions {
  organizations: OrganizationsClient;
  /** Stop after ListParents for this many accounts. */
  maxAccounts: number;
  /** Stop after this many seconds, wherever the run is. */
  maxSeconds: number;
}

export interface NaiveWalkResult {
  /** Accounts ListAccounts returned (all of them when the listing finished). */
  accountsListed: number;
  listAccountsPages: number;
  listAccountsFinished: boolean;
  listAccountsSeconds: number;
  /** ListParents calls made, and those that succeeded (the rest failed after the SDK's retries). */
  parentsAttempted: number;
  parentsResolved: number;
  /** SDK calls (not attempts) that failed after the SDK's retries, ListAccounts pages included. */
  failedCalls: number;
  /** Position (1-based, among SDK calls) and code of the first call that failed for good: where a real peer would have crashed. */
  firstFailure: { call: number; code: string } | null;
  seconds: number;
  stoppedBy: 'done' | 'accounts' | 'time';
}

function codeOf(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

/**
 * Runs the naive walk. A call that fails after the SDK's retries is counted and the run goes on
 * (so its throughput can still be measured); a real peer would have stopped at the first one.
 */
export async function naiveSequentialWalk(options: NaiveWalkOptions): Promise<NaiveWalkResult> {
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const accountIds: string[] = [];
  let pages = 0;
  let calls = 0;
  let failedCalls = 0;
  let firstFailure: NaiveWalkResult['firstFailure'] = null;
  const failed = (error: unknown): void => {
    failedCalls += 1;
    firstFailure ??= { call: calls, code: codeOf(error) };
  };
  let listAccountsFinished = false;
  let stoppedBy: NaiveWalkResult['stoppedBy'] = 'done';

  // Peers list everything first; a failed page ends their listing (the paginator cannot resume).
  try {
    for await (const page of paginateListAccounts({ client: options.organizations, pageSize: 20 }, {})) {
      calls += 1;
      pages += 1;
      for (const a of page.Accounts ?? []) if (a.Id !== undefined) accountIds.push(a.Id);
      if (elapsed() > options.maxSeconds) {
        stoppedBy = 'time';
        break;
      }
    }
    listAccountsFinished = stoppedBy === 'done';
  } catch (error) {
    calls += 1;
    failed(error);
  }

  const listAccountsSeconds = elapsed();
  let parentsResolved = 0;
  let parentsAttempted = 0;
  for (const id of accountIds) {
    if (stoppedBy !== 'done') break;
    if (parentsAttempted >= options.maxAccounts) {
      stoppedBy = 'accounts';
      break;
    }
    if (elapsed() > options.maxSeconds) {
      stoppedBy = 'time';
      break;
    }
    calls += 1;
    parentsAttempted += 1;
    try {
      await options.organizations.send(new ListParentsCommand({ ChildId: id }));
      parentsResolved += 1;
    } catch (error) {
      failed(error);
    }
  }
  return {
    accountsListed: accountIds.length,
    listAccountsPages: pages,
    listAccountsFinished,
    listAccountsSeconds,
    parentsAttempted,
    parentsResolved,
    failedCalls,
    firstFailure,
    seconds: elapsed(),
    stoppedBy,
  };
}
