/**
 * Per-account health: assume the member role in each account (bounded concurrency) and
 * classify the answer. One blocked account never fails the run: every account gets a
 * verdict, and the caller stores it on the connection.
 *
 * - ok: AssumeRole with the External ID succeeded.
 * - blocked: AssumeRole was denied. AWS answers the same AccessDenied whether the role is
 *   missing, does not trust the platform principal, or expects another External ID, and
 *   does not say which; the reason lists all three and the remedy is the member StackSet.
 * - error: anything else (throttling beyond retries, network, expired platform keys...).
 *
 * It also looks for the confused-deputy exposure: on a sample of healthy accounts it
 * tries AssumeRole WITHOUT the External ID; success means anyone who learns the role ARN
 * through the platform could reach the account, and it becomes a warning.
 */
import type { Health } from '../store/database.js';
import { awsErrorCode, awsErrorMessage, isAccessDenied } from './aws-error-info.js';
import type { MemberAccess } from './member-access.js';
import { mapWithConcurrency } from './task-pool.js';

export interface AccountProbe {
  accountId: string;
  health: Health;
  /** AWS error code for blocked and error; null for ok and unknown. */
  code: string | null;
  reason: string | null;
}

export interface ProbeWarning {
  code: 'role_assumable_without_external_id';
  message: string;
  accountIds: string[];
}

export interface ProbeResult {
  /** One verdict per input account, in input order. */
  accounts: AccountProbe[];
  counts: Record<Health, number>;
  exposure: { sampled: string[]; exposed: string[] };
  warnings: ProbeWarning[];
}

export interface ProbeMembersOptions {
  access: MemberAccess;
  /** Accounts to check; those not ACTIVE get health `unknown` and are not called. */
  accounts: ReadonlyArray<{ id: string; state: string }>;
  /** AssumeRole calls in flight at once (default 8); the STS limiter sets the rate. */
  concurrency?: number;
  /** Healthy accounts to test without the External ID (default 3; 0 turns the check off). */
  exposureSampleSize?: number;
  /** Assume afresh rather than trust cached credentials (default true: health must be current). */
  fresh?: boolean;
}

/** The remedy for a blocked account, naming the template to deploy. */
export const BLOCKED_REMEDY =
  'Deploy the member role with the integration\'s StackSet (template format "stackset") to every account, or fix the role\'s trust policy.';

/** Human reason for an AssumeRole refusal into `roleArn`. */
export function blockedReason(roleArn: string): string {
  return (
    `AssumeRole into ${roleArn} was denied: the role is missing, does not trust the platform principal, ` +
    `or expects another External ID (AWS does not say which). ${BLOCKED_REMEDY}`
  );
}

async function probeOne(access: MemberAccess, account: { id: string; state: string }, fresh: boolean): Promise<AccountProbe> {
  if (account.state !== 'ACTIVE') {
    return { accountId: account.id, health: 'unknown', code: null, reason: `The account is ${account.state}; it was not probed.` };
  }
  try {
    await (fresh ? access.refreshCredentialsFor(account.id) : access.credentialsFor(account.id));
    return { accountId: account.id, health: 'ok', code: null, reason: null };
  } catch (error) {
    const code = awsErrorCode(error);
    if (isAccessDenied(error)) return { accountId: account.id, health: 'blocked', code, reason: blockedReason(access.roleArnFor(account.id)) };
    return { accountId: account.id, health: 'error', code, reason: `AssumeRole into ${access.roleArnFor(account.id)} failed: ${code}: ${awsErrorMessage(error)}` };
  }
}

/** True when the role can be assumed without the External ID (only a success counts). */
export async function isAssumableWithoutExternalId(access: MemberAccess, accountId: string): Promise<boolean> {
  try {
    await access.assumeWithoutExternalId(accountId);
    return true;
  } catch {
    return false;
  }
}

/** Probes every account and samples the exposure; never throws for an account's failure. */
export async function probeMemberAccounts(options: ProbeMembersOptions): Promise<ProbeResult> {
  const fresh = options.fresh ?? true;
  const accounts = await mapWithConcurrency(options.accounts, options.concurrency ?? 8, (a) => probeOne(options.access, a, fresh));
  const counts: Record<Health, number> = { ok: 0, blocked: 0, error: 0, unknown: 0 };
  for (const a of accounts) counts[a.health] += 1;

  const sampled = accounts
    .filter((a) => a.health === 'ok')
    .map((a) => a.accountId)
    .sort()
    .slice(0, options.exposureSampleSize ?? 3);
  const verdicts = await mapWithConcurrency(sampled, options.concurrency ?? 8, (id) => isAssumableWithoutExternalId(options.access, id));
  const exposed = sampled.filter((_, i) => verdicts[i] === true);
  const warnings: ProbeWarning[] =
    exposed.length === 0
      ? []
      : [
          {
            code: 'role_assumable_without_external_id',
            message:
              `The member role can be assumed without the External ID in ${exposed.length} of ${sampled.length} sampled accounts ` +
              `(${exposed.join(', ')}): a confused-deputy exposure. Add a Condition StringEquals sts:ExternalId to its trust policy ` +
              '(the StackSet template does this).',
            accountIds: exposed,
          },
        ];
  return { accounts, counts, exposure: { sampled, exposed }, warnings };
}
