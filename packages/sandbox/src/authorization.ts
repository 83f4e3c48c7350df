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

/** Evaluates one action/resource pair for the principal. */
export function decide(world: World, principal: Principal, action: string, resource: string, region?: string): Decision {
  const policies = identityPolicies(world, principal);
  if (policies === 'root') return 'allow';
  return evaluatePolicies(policies, {
    action,
    resource,
    context: {
      'aws:principalarn': principal.kind === 'assumed-role' ? principal.roleArn : principal.arn,
      'aws:principalaccount': principal.accountId,
      'aws:requestedregion': region,
    },
  });
}

/** Throws AccessDenied(Exception) unless the principal may perform `action` on `resource`. */
export function authorize(
  world: World,
  principal: Principal,
  action: string,
  resource: string,
  code: 'AccessDenied' | 'AccessDeniedException',
  region?: string,
): void {
  const decision = decide(world, principal, action, resource, region);
  if (decision === 'allow') return;
  throw new AwsError(code, accessDeniedMessage(principal, action, resource, decision), 403);
}

/** AWS's wording, naming the principal, action, resource and why. */
export function accessDeniedMessage(principal: Principal, action: string, resource: string, decision: Decision): string {
  const why =
    decision === 'explicit-deny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
