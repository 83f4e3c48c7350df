/**
 * A small world for identity tests: a platform account with an IAM user (the platform
 * principal) whose policy allows sts:AssumeRole, and a customer account with a role that
 * trusts the platform account and requires an External ID.
 */
import { createWorld, iamAccount, issueLongTermKey, putRole, rootPrincipal } from '../../src/world-factory.js';
import { createIamUser } from '../../src/services/iam-entities.js';
import type { Credential, IamRole, PolicyDocument, World } from '../../src/world.js';

export const PLATFORM_ACCOUNT = '111111111111';
export const CUSTOMER_ACCOUNT = '222222222222';
export const EXTERNAL_ID = 'o_k3j9x2m4q8w1:Ab3dE6gH';

export interface TrustWorld {
  world: World;
  /** Keys of the platform user `platform` (may call sts:AssumeRole on any role). */
  platform: Credential;
  /** Root keys of the customer account. */
  customerRoot: Credential;
  /** `OrgLinkMember` in the customer account: trusts the platform account, needs EXTERNAL_ID, read-only. */
  memberRole: IamRole;
}

/** Trust policy that trusts `principal` and requires `externalId` (when given). */
export function trustPolicy(principal: string, externalId?: string, operator = 'StringEquals'): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: 'sts:AssumeRole',
        ...(externalId === undefined ? {} : { Condition: { [operator]: { 'sts:ExternalId': externalId } } }),
      },
    ],
  };
}

/** Builds the world; `now` lets a test control the clock. */
export function createTrustWorld(options: { now?: () => Date; seed?: number } = {}): TrustWorld {
  const world = createWorld({ seed: options.seed ?? 7, ...(options.now ? { now: options.now } : {}) });
  iamAccount(world, PLATFORM_ACCOUNT);
  const user = createIamUser(world, PLATFORM_ACCOUNT, { name: 'platform' });
  user.inlinePolicies.set('assume-customer-roles', {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/*' }],
  });
  const platform = issueLongTermKey(world, { kind: 'user', accountId: PLATFORM_ACCOUNT, arn: user.arn, userName: user.name });
  const customerRoot = issueLongTermKey(world, rootPrincipal(world, CUSTOMER_ACCOUNT));
  const memberRole = putRole(world, CUSTOMER_ACCOUNT, {
    name: 'OrgLinkMember',
    trustPolicy: trustPolicy(`arn:aws:iam::${PLATFORM_ACCOUNT}:root`, EXTERNAL_ID),
    attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    maxSessionDuration: 7200,
  });
  return { world, platform, customerRoot, memberRole };
}
