/**
 * What a sandbox service is: a protocol, its signing name, the IAM action prefix that
 * authorization checks, and a table of operations. The server (server.ts) routes a
 * request to a service, verifies SigV4, throttles, authorizes `${actionPrefix}:${op}`
 * against the caller's policies, then calls the handler with the decoded input.
 */
import type { Principal, World } from './world.js';

/** Throttling is per family, as AWS meters them (Identity Center APIs share one budget). */
export type ThrottleFamily = 'organizations' | 'sts' | 'iam' | 'cloudformation' | 'identitycenter';

export interface OperationContext {
  world: World;
  caller: Principal;
  /** The access key that signed the request (needed by GetCallerIdentity and AssumeRole chaining). */
  accessKeyId: string;
  region: string;
  requestId: string;
  /** Checks one more action/resource pair for the caller; throws AccessDenied(Exception). */
  authorize(action: string, resource?: string): void;
}

export interface Operation {
  handler(ctx: OperationContext, input: Record<string, unknown>): unknown | Promise<unknown>;
  /**
   * The resource ARN the default authorization check uses (default '*').
   * Set `skipAuthorization` for calls AWS lets anyone make (GetCallerIdentity) or that
   * authorize themselves (AssumeRole evaluates the target's trust policy).
   */
  resource?(ctx: OperationContext, input: Record<string, unknown>): string;
  skipAuthorization?: boolean;
}

export interface ServiceDefinition {
  /** SigV4 signing name, also used for AWS_ENDPOINT_URL_<SERVICE> docs: sts, iam, organizations... */
  signingName: string;
  /** IAM action prefix: organizations, sts, iam, cloudformation, identitystore, sso. */
  actionPrefix: string;
  protocol: 'json' | 'query';
  /** JSON 1.1: X-Amz-Target prefix, e.g. AWSOrganizationsV20161128. */
  targetPrefix?: string;
  /** Query: the response xmlns, e.g. https://iam.amazonaws.com/doc/2010-05-08/. */
  xmlNamespace?: string;
  /** JSON services answer AccessDeniedException; Query services AccessDenied. */
  accessDeniedCode: 'AccessDenied' | 'AccessDeniedException';
  family: ThrottleFamily;
  operations: Record<string, Operation>;
}
