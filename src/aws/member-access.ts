/**
 * Access to member accounts: AssumeRole into `arn:<partition>:iam::<account>:role/<name>`
 * with the integration's External ID.
 *
 * - direct (default): straight from the platform principal, so each member role trusts the
 *   platform, and sessions last as long as the role allows.
 * - chain: through the management account's discovery role, for organizations that only
 *   let the management account in. AWS caps a chained session at 1 hour (AssumeRole with
 *   role credentials and DurationSeconds > 3600 is refused), so the chain cache asks for
 *   3,600 s and refreshes more often; and a chain breaks when the discovery role does.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsClientFactory } from './aws-clients.js';
import { createCredentialCache, memberRoleArn, type CredentialCache } from './credential-cache.js';
import type { RateLimiter } from './rate-limiter.js';
import type { TemporaryCredentials } from './temporary-credentials.js';

export type MemberAccessMode = 'direct' | 'chain';

/** The longest session AWS grants to role chaining. */
export const CHAINED_SESSION_MAX_SECONDS = 3_600;

export interface MemberAccessOptions {
  partition: string;
  roleName: string;
  externalId: string;
  sessionName: string;
  /** The cache whose source principal assumes member roles: the platform (direct) or the discovery role (chain). */
  cache: CredentialCache;
}

export interface MemberAccess {
  roleArnFor(accountId: string): string;
  /** Cached credentials for the account's member role. */
  credentialsFor(accountId: string): Promise<TemporaryCredentials>;
  /** Assumes the role again now (forgetting cached credentials): a health check must see today's trust policy. */
  refreshCredentialsFor(accountId: string): Promise<TemporaryCredentials>;
  /** A provider for SDK clients acting in the account. */
  providerFor(accountId: string): AwsCredentialIdentityProvider;
  /** AssumeRole WITHOUT the External ID, uncached: succeeds only if the role is exposed to the confused deputy. */
  assumeWithoutExternalId(accountId: string): Promise<TemporaryCredentials>;
}

/** Member access through the given cache. */
export function createMemberAccess(options: MemberAccessOptions): MemberAccess {
  const request = (accountId: string): { roleArn: string; externalId: string; sessionName: string } => ({
    roleArn: memberRoleArn(options.partition, accountId, options.roleName),
    externalId: options.externalId,
    sessionName: options.sessionName,
  });
  return {
    roleArnFor: (accountId) => memberRoleArn(options.partition, accountId, options.roleName),
    credentialsFor: (accountId) => options.cache.get(request(accountId)),
    refreshCredentialsFor: (accountId) => {
      const r = request(accountId);
      options.cache.invalidate(r.roleArn, r.externalId);
      return options.cache.get(r);
    },
    providerFor: (accountId) => options.cache.provider(request(accountId)),
    assumeWithoutExternalId: (accountId) =>
      options.cache.assumeUncached({ roleArn: request(accountId).roleArn, sessionName: options.sessionName }),
  };
}

export interface ChainCacheOptions {
  factory: AwsClientFactory;
  /** The discovery role's credentials (e.g. platformCache.provider({ roleArn, externalId, sessionName })). */
  discoveryCredentials: AwsCredentialIdentityProvider;
  limiter?: RateLimiter;
  now?: () => number;
}

/** A cache whose AssumeRole calls are signed by the discovery role: the chain mode's source. */
export function createChainedCredentialCache(options: ChainCacheOptions): CredentialCache {
  const sts = options.factory.sts({
    credentials: options.discoveryCredentials,
    ...(options.limiter === undefined ? {} : { limiter: options.limiter }),
  });
  return createCredentialCache({
    sts,
    durationSeconds: CHAINED_SESSION_MAX_SECONDS,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}
