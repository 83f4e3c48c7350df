/**
 * AssumeRole with a cache. Credentials are cached per (role ARN, External ID) for one
 * source principal, reused until `refreshMarginMs` (default 5 min) before they expire,
 * and concurrent requests for the same key share one in-flight AssumeRole. STS throttles
 * AssumeRole with a rate that cannot be raised, and AWS advises exactly this caching.
 * Nothing here logs or returns a secret in a printable form (see TemporaryCredentials).
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { awsErrorCode } from './aws-error-info.js';
import { TemporaryCredentials } from './temporary-credentials.js';

export interface AssumeRoleRequest {
  roleArn: string;
  /** Required by orglink's roles; omitted only by the confused-deputy exposure probe. */
  externalId?: string;
  /** Identifies the integration in CloudTrail: see sessionNameFor. */
  sessionName: string;
}

/** What the cache reports; never a secret. */
export type CredentialCacheEvent =
  | { type: 'assumed'; roleArn: string; sessionName: string; accessKeyId: string; expiresAt: Date }
  | { type: 'reused'; roleArn: string; accessKeyId: string; expiresAt: Date }
  | { type: 'failed'; roleArn: string; sessionName: string; code: string };

export interface CredentialCacheOptions {
  /** STS client signed by the source principal (the platform, or the discovery role when chaining). */
  sts: STSClient;
  /** Session length asked of STS (default 3,600 s; chained sessions are capped at 3,600 by AWS). */
  durationSeconds?: number;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshMarginMs?: number;
  /** Milliseconds clock, injected in tests. */
  now?: () => number;
  onEvent?: (event: CredentialCacheEvent) => void;
}

export interface CredentialCache {
  /** Cached credentials for the role, assuming it when absent or about to expire. */
  get(request: AssumeRoleRequest): Promise<TemporaryCredentials>;
  /** A provider for SDK clients; the SDK calls it again as expiry nears, and the cache answers. */
  provider(request: AssumeRoleRequest): AwsCredentialIdentityProvider;
  /** AssumeRole without caching (the exposure probe, one-off checks). */
  assumeUncached(request: AssumeRoleRequest): Promise<TemporaryCredentials>;
  /** Forgets one role's credentials (e.g. after the External ID changed). */
  invalidate(roleArn: string, externalId?: string): void;
  /** Number of cached entries. */
  size(): number;
}

/** STS RoleSessionName rules: 2–64 characters of [\w+=,.@-]. */
const SESSION_NAME_MAX = 64;

/** `orglink-<integration handle>[-<suffix>]`, cut and cleaned to STS's RoleSessionName rules. */
export function sessionNameFor(integrationHandle: string, suffix?: string): string {
  const raw = ['orglink', integrationHandle, suffix].filter((p) => p !== undefined && p !== '').join('-');
  const clean = raw.replace(/[^\w+=,.@-]/g, '-').slice(0, SESSION_NAME_MAX);
  return clean.length >= 2 ? clean : 'orglink';
}

/** `arn:<partition>:iam::<account>:role/<name>`: the member role orglink assumes in an account. */
export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** Creates a cache for one source principal. */
export function createCredentialCache(options: CredentialCacheOptions): CredentialCache {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const durationSeconds = options.durationSeconds ?? 3_600;
  const cached = new Map<string, TemporaryCredentials>();
  const inFlight = new Map<string, Promise<TemporaryCredentials>>();
  const emit = options.onEvent ?? (() => undefined);
  const keyOf = (roleArn: string, externalId: string | undefined): string => `${roleArn}\u0000${externalId ?? ''}`;

  async function assume(request: AssumeRoleRequest): Promise<TemporaryCredentials> {
    try {
      const answer = await options.sts.send(
        new AssumeRoleCommand({
          RoleArn: request.roleArn,
          RoleSessionName: request.sessionName,
          DurationSeconds: durationSeconds,
          ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
        }),
      );
      const c = answer.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error(`AssumeRole of ${request.roleArn} returned no credentials`);
      }
      const credentials = new TemporaryCredentials({
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      });
      emit({ type: 'assumed', roleArn: request.roleArn, sessionName: request.sessionName, accessKeyId: c.AccessKeyId, expiresAt: c.Expiration });
      return credentials;
    } catch (error) {
      emit({ type: 'failed', roleArn: request.roleArn, sessionName: request.sessionName, code: awsErrorCode(error) });
      throw error;
    }
  }

  async function get(request: AssumeRoleRequest): Promise<TemporaryCredentials> {
    const key = keyOf(request.roleArn, request.externalId);
    const current = cached.get(key);
    if (current !== undefined && current.expiration.getTime() - margin > now()) {
      emit({ type: 'reused', roleArn: request.roleArn, accessKeyId: current.accessKeyId, expiresAt: current.expiration });
      return current;
    }
    const pending = inFlight.get(key);
    if (pending !== undefined) return pending;
    const call = assume(request)
      .then((credentials) => {
        cached.set(key, credentials);
        return credentials;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, call);
    return call;
  }

  return {
    get,
    provider: (request) => () => get(request),
    assumeUncached: assume,
    invalidate(roleArn, externalId) {
      cached.delete(keyOf(roleArn, externalId));
    },
    size: () => cached.size,
  };
}
