/**
 * IAM role operations: create/get/delete/list roles, their trust policy, inline
 * policies and attached managed policies.
 */
import { awsManagedPolicy } from '../managed-policies.js';
import { queryInt, queryString } from '../protocols/query-values.js';
import type { Operation, OperationContext } from '../service.js';
import { deleteRole, iamAccount, putRole } from '../world-factory.js';
import type { IamRole } from '../world.js';
import { deleteConflict, encodePolicyDocument, iamName, iamPath, noSuchEntity, pageItems, policyDocumentInput } from './iam-common.js';
import { roleOutput } from './iam-entities.js';
import { AwsError } from '../aws-error.js';

const TRUST_POLICY_MAX = 2048;
const INLINE_ROLE_POLICY_MAX = 10_240;
const MAX_ATTACHED = 10;

/** The caller's role by name, or NoSuchEntity. */
export function findRole(ctx: OperationContext, name: string): IamRole {
  const role = ctx.world.iam.get(ctx.caller.accountId)?.roles.get(name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/** The ARN a role operation is authorized against. */
function roleResource(ctx: OperationContext, input: Record<string, unknown>): string {
  const name = typeof input.RoleName === 'string' ? input.RoleName : '*';
  const existing = ctx.world.iam.get(ctx.caller.accountId)?.roles.get(name);
  const path = existing?.path ?? (typeof input.Path === 'string' ? input.Path : '/');
  return `arn:aws:iam::${ctx.caller.accountId}:role${path}${name}`;
}

/** True when `arn` names a managed policy that exists for this account. */
export function managedPolicyExists(ctx: OperationContext, arn: string): boolean {
  return awsManagedPolicy(arn) !== undefined || (ctx.world.iam.get(ctx.caller.accountId)?.policies.has(arn) ?? false);
}

const roleOp = (handler: Operation['handler']): Operation => ({ handler, resource: roleResource });

export const roleOperations: Record<string, Operation> = {
  CreateRole: roleOp((ctx, input) => {
    const name = iamName(input, 'RoleName');
    const path = iamPath(input);
    const trustPolicy = policyDocumentInput(input, 'AssumeRolePolicyDocument', 'trust', TRUST_POLICY_MAX);
    const description = queryString(input, 'Description');
    const maxSessionDuration = queryInt(input, 'MaxSessionDuration', 3600, 43_200);
    const role = putRole(ctx.world, ctx.caller.accountId, {
      name,
      path,
      trustPolicy,
      ...(description === undefined ? {} : { description }),
      ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
    });
    return { Role: roleOutput(role) };
  }),
  GetRole: roleOp((ctx, input) => ({ Role: roleOutput(findRole(ctx, iamName(input, 'RoleName'))) })),
  DeleteRole: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    if (role.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (role.inlinePolicies.size > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    deleteRole(ctx.world, ctx.caller.accountId, role.name);
    return undefined;
  }),
  ListRoles: {
    handler(ctx, input) {
      const prefix = queryString(input, 'PathPrefix') ?? '/';
      const roles = [...iamAccount(ctx.world, ctx.caller.accountId).roles.values()].filter((r) => r.path.startsWith(prefix));
      const page = pageItems(roles, input);
      return { Roles: page.items.map(roleOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
  UpdateAssumeRolePolicy: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    role.trustPolicy = policyDocumentInput(input, 'PolicyDocument', 'trust', TRUST_POLICY_MAX);
    return undefined;
  }),
  PutRolePolicy: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const policyName = iamName(input, 'PolicyName', 128);
    role.inlinePolicies.set(policyName, policyDocumentInput(input, 'PolicyDocument', 'identity', INLINE_ROLE_POLICY_MAX));
    return undefined;
  }),
  GetRolePolicy: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const policyName = iamName(input, 'PolicyName', 128);
    const document = role.inlinePolicies.get(policyName);
    if (!document) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    return { RoleName: role.name, PolicyName: policyName, PolicyDocument: encodePolicyDocument(document) };
  }),
  DeleteRolePolicy: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const policyName = iamName(input, 'PolicyName', 128);
    if (!role.inlinePolicies.delete(policyName)) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    return undefined;
  }),
  ListRolePolicies: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const page = pageItems([...role.inlinePolicies.keys()], input);
    return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  }),
  AttachRolePolicy: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const arn = queryString(input, 'PolicyArn', true);
    if (!managedPolicyExists(ctx, arn)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    if (role.attachedPolicyArns.includes(arn)) return undefined;
    if (role.attachedPolicyArns.length >= MAX_ATTACHED) {
      throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED}`, 409);
    }
    role.attachedPolicyArns.push(arn);
    return undefined;
  }),
  DetachRolePolicy: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const arn = queryString(input, 'PolicyArn', true);
    const index = role.attachedPolicyArns.indexOf(arn);
    if (index < 0) throw noSuchEntity(`Policy ${arn} was not found.`);
    role.attachedPolicyArns.splice(index, 1);
    return undefined;
  }),
  ListAttachedRolePolicies: roleOp((ctx, input) => {
    const role = findRole(ctx, iamName(input, 'RoleName'));
    const page = pageItems(role.attachedPolicyArns, input);
    return { AttachedPolicies: page.items.map(attachedPolicyOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
  }),
};

/** `{ PolicyName, PolicyArn }` for an attached managed policy. */
export function attachedPolicyOutput(arn: string): Record<string, string> {
  return { PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn };
}
