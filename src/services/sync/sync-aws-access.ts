/**
 * The AWS side of syncing, built once per process from the platform credential chain:
 * one client factory, one AssumeRole cache for the platform principal, and rate
 * limiters — one per integration for Organizations (AWS throttles Organizations per
 * management account, so integrations do not slow each other) and one shared for STS.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import { type AwsClientFactory, type AwsCredentials, createAwsClientFactory } from '../../aws/aws-clients.js';
import { type CredentialCache, createCredentialCache } from '../../aws/credential-cache.js';
import { type RateLimiter, type RateLimiterOptions, createRateLimiter } from '../../aws/rate-limiter.js';

export interface SyncAwsAccessOptions {
  region: string;
  /** The platform principal; default: the SDK's default credential chain. */
  credentials?: AwsCredentials;
  /** One endpoint for every service; normally unset so AWS_ENDPOINT_URL(_<SERVICE>) apply. */
  endpoint?: string;
  /** Organizations calls per second per integration (default 4: AWS publishes no TPS and throttles around a few per second). */
  organizationsRate?: number;
  /** STS calls per second for the whole process (default 50). */
  stsRate?: number;
  /** Retry tuning shared by every limiter (tests shorten the backoff). */
  retry?: Pick<RateLimiterOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxThrottleRetries' | 'maxTransientRetries'>;
  /** Organizations listings in flight at once per walk (default 8). */
  walkConcurrency?: number;
  /** AssumeRole probes in flight at once per sync (default 8). */
  probeConcurrency?: number;
  /** Healthy accounts tested for the confused-deputy exposure per sync (default 3). */
  exposureSampleSize?: number;
}

export interface SyncAwsAccess {
  readonly factory: AwsClientFactory;
  /** AssumeRole cache of the platform principal: discovery roles and (direct) member roles. */
  readonly platformCache: CredentialCache;
  readonly walkConcurrency: number;
  readonly probeConcurrency: number;
  readonly exposureSampleSize: number;
  /** Clients signed by an assumed role, Organizations calls limited per `limiterKey`. */
  discoveryClients(credentials: AwsCredentials, limiterKey: string): { organizations: OrganizationsClient; sts: STSClient };
  /** The Organizations limiter of one integration (created on first use). */
  organizationsLimiter(limiterKey: string): RateLimiter;
}

/** Builds the process-wide AWS access for syncs. */
export function createSyncAwsAccess(options: SyncAwsAccessOptions): SyncAwsAccess {
  const factory = createAwsClientFactory({
    region: options.region,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
  const retry = options.retry ?? {};
  const stsLimiter = createRateLimiter({ rate: options.stsRate ?? 50, ...retry });
  const platformCache = createCredentialCache({ sts: factory.sts({ limiter: stsLimiter }) });
  const limiters = new Map<string, RateLimiter>();
  const organizationsLimiter = (key: string): RateLimiter => {
    let limiter = limiters.get(key);
    if (limiter === undefined) {
      limiter = createRateLimiter({ rate: options.organizationsRate ?? 4, ...retry });
      limiters.set(key, limiter);
    }
    return limiter;
  };
  return {
    factory,
    platformCache,
    walkConcurrency: options.walkConcurrency ?? 8,
    probeConcurrency: options.probeConcurrency ?? 8,
    exposureSampleSize: options.exposureSampleSize ?? 3,
    organizationsLimiter,
    discoveryClients(credentials, limiterKey) {
      return {
        organizations: factory.organizations({ credentials, limiter: organizationsLimiter(limiterKey) }),
        sts: factory.sts({ credentials, limiter: stsLimiter }),
      };
    },
  };
}
