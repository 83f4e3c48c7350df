/**
 * Builds AWS SDK v3 clients for orglink. Credentials: the platform principal comes from the
 * SDK's default chain (environment, shared profiles, SSO, container and instance roles)
 * unless given; an assumed role's credentials can be passed per client.
 *
 * Endpoints: the SDK itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
 * (STS, ORGANIZATIONS, IAM, CLOUDFORMATION, IDENTITYSTORE, SSO_ADMIN) in this SDK version
 * (verified in test/aws/aws-clients.test.ts), so the factory sets no endpoint unless told
 * to, and orglink runs unchanged against the sandbox or any AWS-compatible endpoint.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MetadataBearer } from '@smithy/types';
import type { AttachableClient, RateLimiter } from './rate-limiter.js';

export type AwsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AwsClientFactoryOptions {
  region: string;
  /** The platform principal; default: the SDK's default credential chain. */
  credentials?: AwsCredentials;
  /** SDK attempts per call when no limiter is attached (default: the SDK's, 3). */
  maxAttempts?: number;
  /** SDK retry mode when no limiter is attached (default: the SDK's, standard). */
  retryMode?: 'standard' | 'adaptive';
  /** An explicit endpoint for every service; normally unset so AWS_ENDPOINT_URL* apply. */
  endpoint?: string;
  /** Per-request socket timeout (default 30 s), so a hung call fails and can be retried. */
  requestTimeoutMs?: number;
}

export interface ClientOptions {
  /** Credentials of an assumed role; default: the platform principal. */
  credentials?: AwsCredentials;
  /** Routes every call through this limiter; the SDK then makes a single attempt per call. */
  limiter?: RateLimiter;
}

export interface AwsClientFactory {
  readonly region: string;
  /** The platform principal's credentials provider (memoized default chain unless given). */
  readonly platformCredentials: AwsCredentials;
  organizations(options?: ClientOptions): OrganizationsClient;
  sts(options?: ClientOptions): STSClient;
  iam(options?: ClientOptions): IAMClient;
  cloudFormation(options?: ClientOptions): CloudFormationClient;
  identityStore(options?: ClientOptions): IdentitystoreClient;
  ssoAdmin(options?: ClientOptions): SSOAdminClient;
}

interface CommonConfig {
  region: string;
  credentials: AwsCredentials;
  maxAttempts?: number;
  retryMode?: string;
  endpoint?: string;
  requestHandler: { requestTimeout: number };
}

/** Creates the factory every AWS-facing module receives (never `new XClient()` in logic). */
export function createAwsClientFactory(options: AwsClientFactoryOptions): AwsClientFactory {
  const platformCredentials = options.credentials ?? fromNodeProviderChain();
  const requestTimeout = options.requestTimeoutMs ?? 30_000;

  function config(client: ClientOptions | undefined): CommonConfig {
    const base: CommonConfig = {
      region: options.region,
      credentials: client?.credentials ?? platformCredentials,
      requestHandler: { requestTimeout },
    };
    if (options.endpoint !== undefined) base.endpoint = options.endpoint;
    if (client?.limiter !== undefined) {
      base.maxAttempts = 1;
    } else {
      if (options.maxAttempts !== undefined) base.maxAttempts = options.maxAttempts;
      if (options.retryMode !== undefined) base.retryMode = options.retryMode;
    }
    return base;
  }

  function build<C extends AttachableClient<I, O>, I extends object, O extends MetadataBearer>(
    client: C & AttachableClient<I, O>,
    limiter: RateLimiter | undefined,
  ): C {
    limiter?.attach(client);
    return client;
  }

  return {
    region: options.region,
    platformCredentials,
    organizations: (o) => build(new OrganizationsClient(config(o)), o?.limiter),
    sts: (o) => build(new STSClient(config(o)), o?.limiter),
    iam: (o) => build(new IAMClient(config(o)), o?.limiter),
    cloudFormation: (o) => build(new CloudFormationClient(config(o)), o?.limiter),
    identityStore: (o) => build(new IdentitystoreClient(config(o)), o?.limiter),
    ssoAdmin: (o) => build(new SSOAdminClient(config(o)), o?.limiter),
  };
}
