/**
 * The IAM side of a generated organization: the platform user with long-term keys, root
 * keys for the management account, the discovery role and the member roles. Trust policy
 * documents are shared between roles, which keeps a 10,000-account org small in memory.
 */
import { randomIamId } from './ids.js';
import { iamAccount, issueLongTermKey, putRole, rootPrincipal, worldRandom } from './world-factory.js';
import type { PolicyDocument, World } from './world.js';

/** The Organizations reads orglink's discovery capability needs, and nothing more. */
export const DISCOVERY_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListAccountsForParent',
  'organizations:ListAccounts',
  'organizations:DescribeOrganizationalUnit',
  'organizations:DescribeAccount',
  'organizations:ListParents',
  'organizations:ListDelegatedAdministrators',
] as const;

export const READ_ONLY_ACCESS_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const PLATFORM_USER_NAME = 'orglink-platform';

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface GeneratedIdentities {
  platform: AccessKeyPair & { principalArn: string; userName: string };
  managementRoot: AccessKeyPair;
  discoveryRoleArn: string;
}

export interface IdentityPlan {
  platformAccountId: string;
  managementAccountId: string;
  memberAccountIds: string[];
  externalId: string;
  otherExternalId: string;
  memberRoleName: string;
  discoveryRoleName: string;
  blockedAccounts: Array<{ accountId: string; kind: 'missing-role' | 'wrong-external-id' }>;
}

/** A trust policy letting `principalArn` assume the role only with `externalId`. */
export function externalIdTrustPolicy(principalArn: string, externalId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: principalArn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } },
    ],
  };
}

/** Creates the platform user, root keys, discovery role and member roles described by `plan`. */
export function setupGeneratedIdentities(world: World, plan: IdentityPlan): GeneratedIdentities {
  const random = worldRandom(world);
  const principalArn = `arn:${world.partition}:iam::${plan.platformAccountId}:user/${PLATFORM_USER_NAME}`;
  iamAccount(world, plan.platformAccountId).users.set(PLATFORM_USER_NAME, {
    name: PLATFORM_USER_NAME,
    path: '/',
    userId: randomIamId(random, 'AIDA'),
    arn: principalArn,
    inlinePolicies: new Map([['OrglinkAssumeRoles', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }]]),
    attachedPolicyArns: [],
    createDate: world.now(),
  });
  const platformKey = issueLongTermKey(world, { kind: 'user', accountId: plan.platformAccountId, arn: principalArn, userName: PLATFORM_USER_NAME });
  const rootKey = issueLongTermKey(world, rootPrincipal(world, plan.managementAccountId));

  const trust = externalIdTrustPolicy(principalArn, plan.externalId);
  const otherTrust = externalIdTrustPolicy(principalArn, plan.otherExternalId);
  const discoveryPolicy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'OrglinkDiscovery', Effect: 'Allow', Action: [...DISCOVERY_ACTIONS], Resource: '*' }],
  };
  const sameName = plan.discoveryRoleName === plan.memberRoleName;
  const discovery = putRole(world, plan.managementAccountId, {
    name: plan.discoveryRoleName,
    trustPolicy: trust,
    inlinePolicies: { OrglinkDiscovery: discoveryPolicy },
    attachedPolicyArns: sameName ? [READ_ONLY_ACCESS_ARN] : [],
    description: sameName ? 'orglink discovery and member role (sandbox)' : 'orglink discovery role (sandbox)',
  });
  if (!sameName) putRole(world, plan.managementAccountId, { name: plan.memberRoleName, trustPolicy: trust, attachedPolicyArns: [READ_ONLY_ACCESS_ARN] });

  const blocked = new Map(plan.blockedAccounts.map((b) => [b.accountId, b.kind]));
  for (const accountId of plan.memberAccountIds) {
    const kind = blocked.get(accountId);
    if (kind === 'missing-role') continue;
    putRole(world, accountId, {
      name: plan.memberRoleName,
      trustPolicy: kind === 'wrong-external-id' ? otherTrust : trust,
      attachedPolicyArns: [READ_ONLY_ACCESS_ARN],
    });
  }
  return {
    platform: { accessKeyId: platformKey.accessKeyId, secretAccessKey: platformKey.secretAccessKey, principalArn, userName: PLATFORM_USER_NAME },
    managementRoot: { accessKeyId: rootKey.accessKeyId, secretAccessKey: rootKey.secretAccessKey },
    discoveryRoleArn: discovery.arn,
  };
}
