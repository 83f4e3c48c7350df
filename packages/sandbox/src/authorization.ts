/**
 * Authorizing a call: gather the caller's identity policies from the world (a user's
 * inline, attached and group policies; an assumed role's inline and attached policies;
 * root may do anything) and evaluate `${prefix}:${Operation}` on the resource.
 */
import { AwsError } from './aws-error.js';
import { awsManagedPolicy } from './managed-policies.js';
import { evaluatePolicies } from './policy-evaluation.js';
import type { Decision } from './policy-evaluation.js';
import type { PolicyDocument, Principal, World } from './world.js';

/** The document behind a managed policy ARN: AWS managed, or customer managed in `accountId`. */
export function managedPolicyDocument(world: World, accountId: string, arn: string): PolicyDocument | undefined {
  const aws = awsManagedPolicy(arn);
  if (aws) return aws.document;
  return world.iam.get(accountId)?.policies.get(arn)?.document;
}

/** Every identity policy that applies to the principal; `'root'` means unrestricted. */
export function identityPolicies(world: World, principal: Principal): PolicyDocument[] | 'root' {
  if (principal.kind === 'root') return 'root';
  const iam = world.iam.get(principal.accountId);
  if (!iam) return [];
  const documents: PolicyDocument[] = [];
  const collect = (inline: Map<string, PolicyDocument>, attached: string[]): void => {
    documents.push(...inline.values());
    for (const arn of attached) {
      const document = managedPolicyDocument(world, principal.accountId, arn);
      if (document) documents.push(document);
    }
  };
  if (principal.kind === 'user') {
    const user = iam.users.get(principal.userName);
    if (!user) return [];
    collect(user.inlinePolicies, user.attachedPolicyArns);
    for (const group of iam.groups.values()) {
      if (group.members.has(user.name)) collect(group.inlinePolicies, group.attachedPolicyArns);
    }
  } else {
    const role = iam.roles.get(principal.roleName);
    // A deleted role's sessions keep their keys but lose every permission.
    if (!role || role.arn !== principal.roleArn) return [];
    collect(role.inlinePolicies, role.attachedPolicyArns);
  }
  return documents;
}

/** Evaluates one action/resource pair for the principal (and its session policies, if any). */
export function decide(
  world: World,
  principal: Principal,
  action: string,
  resource: string,
  region?: string,
  sessionPolicies?: PolicyDocument[],
): Decision {
  return evaluateAccess(world, principal, action, resource, region, sessionPolicies).decision;
}

interface Access {
  decision: Decision;
  /** Which policy type refused, for AWS's message. */
  policyType: 'identity-based' | 'session';
}

function evaluateAccess(world: World, principal: Principal, action: string, resource: string, region?: string, sessionPolicies?: PolicyDocument[]): Access {
  const policies = identityPolicies(world, principal);
  if (policies === 'root') return { decision: 'allow', policyType: 'identity-based' };
  const request = {
    action,
    resource,
    context: {
      'aws:principalarn': principal.kind === 'assumed-role' ? principal.roleArn : principal.arn,
      'aws:principalaccount': principal.accountId,
      'aws:requestedregion': region,
    },
  };
  const identity = evaluatePolicies(policies, request);
  if (identity !== 'allow' || sessionPolicies === undefined) return { decision: identity, policyType: 'identity-based' };
  // A session policy only narrows: the call needs the identity policy's Allow and its own.
  return { decision: evaluatePolicies(sessionPolicies, request), policyType: 'session' };
}

/** Throws AccessDenied(Exception) unless the principal may perform `action` on `resource`. */
export function authorize(
  world: World,
  principal: Principal,
  action: string,
  resource: string,
  code: 'AccessDenied' | 'AccessDeniedException',
  region?: string,
  sessionPolicies?: PolicyDocument[],
): void {
  const access = evaluateAccess(world, principal, action, resource, region, sessionPolicies);
  if (access.decision === 'allow') return;
  throw new AwsError(code, accessDeniedMessage(principal, action, resource, access.decision, access.policyType), 403);
}

/** AWS's wording, naming the principal, action, resource and why. */
export function accessDeniedMessage(
  principal: Principal,
  action: string,
  resource: string,
  decision: Decision,
  policyType: 'identity-based' | 'session' = 'identity-based',
): string {
  const article = policyType === 'session' ? 'a' : 'an';
  const why =
    decision === 'explicit-deny'
      ? `with an explicit deny in ${article} ${policyType} policy`
      : `because no ${policyType} policy allows the ${action} action`;
  return `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
