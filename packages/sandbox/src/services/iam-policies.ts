/**
 * IAM managed policies: customer managed policies per account (one version, v1) and the
 * AWS managed policies the sandbox models (readable through GetPolicy/GetPolicyVersion
 * and ListPolicies with Scope AWS or All).
 */
import { AwsError } from '../aws-error.js';
import { randomIamId } from '../ids.js';
import { AWS_MANAGED_POLICIES, awsManagedPolicy } from '../managed-policies.js';
import { queryBool, queryString } from '../protocols/query-values.js';
import type { Operation, OperationContext } from '../service.js';
import { iamAccount, worldRandom } from '../world-factory.js';
import type { ManagedPolicy, PolicyDocument } from '../world.js';
import { alreadyExists, deleteConflict, encodePolicyDocument, iamName, iamPath, noSuchEntity, pageItems, policyDocumentInput } from './iam-common.js';

const MANAGED_POLICY_MAX = 6144;

interface PolicyView {
  arn: string;
  name: string;
  path: string;
  policyId: string;
  document: PolicyDocument;
  createDate: Date;
  description?: string;
}

function findPolicy(ctx: OperationContext, arn: string): PolicyView {
  const policy = awsManagedPolicy(arn) ?? ctx.world.iam.get(ctx.caller.accountId)?.policies.get(arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

function attachmentCount(ctx: OperationContext, arn: string): number {
  const iam = iamAccount(ctx.world, ctx.caller.accountId);
  let count = 0;
  for (const holders of [iam.roles.values(), iam.users.values(), iam.groups.values()]) {
    for (const holder of holders) if (holder.attachedPolicyArns.includes(arn)) count++;
  }
  return count;
}

function policyOutput(ctx: OperationContext, policy: PolicyView): Record<string, unknown> {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: 'v1',
    AttachmentCount: attachmentCount(ctx, policy.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: policy.createDate,
    UpdateDate: policy.createDate,
  };
}

const policyResource = (ctx: OperationContext, input: Record<string, unknown>): string => {
  if (typeof input.PolicyArn === 'string') return input.PolicyArn;
  const path = typeof input.Path === 'string' ? input.Path : '/';
  return `arn:aws:iam::${ctx.caller.accountId}:policy${path}${typeof input.PolicyName === 'string' ? input.PolicyName : '*'}`;
};

export const policyOperations: Record<string, Operation> = {
  CreatePolicy: {
    resource: policyResource,
    handler(ctx, input) {
      const name = iamName(input, 'PolicyName', 128);
      const path = iamPath(input);
      const document = policyDocumentInput(input, 'PolicyDocument', 'identity', MANAGED_POLICY_MAX);
      const description = queryString(input, 'Description');
      const iam = iamAccount(ctx.world, ctx.caller.accountId);
      const arn = `arn:aws:iam::${ctx.caller.accountId}:policy${path}${name}`;
      if ([...iam.policies.values()].some((p) => p.name === name)) {
        throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
      }
      const policy: ManagedPolicy = { arn, name, path, policyId: randomIamId(worldRandom(ctx.world), 'ANPA'), document, createDate: ctx.world.now() };
      iam.policies.set(arn, policy);
      return { Policy: policyOutput(ctx, { ...policy, ...(description === undefined ? {} : { description }) }) };
    },
  },
  GetPolicy: {
    resource: policyResource,
    handler: (ctx, input) => ({ Policy: policyOutput(ctx, findPolicy(ctx, queryString(input, 'PolicyArn', true))) }),
  },
  GetPolicyVersion: {
    resource: policyResource,
    handler(ctx, input) {
      const policy = findPolicy(ctx, queryString(input, 'PolicyArn', true));
      const versionId = queryString(input, 'VersionId', true);
      if (versionId !== 'v1') throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
      return { PolicyVersion: { Document: encodePolicyDocument(policy.document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: policy.createDate } };
    },
  },
  DeletePolicy: {
    resource: policyResource,
    handler(ctx, input) {
      const arn = queryString(input, 'PolicyArn', true);
      if (awsManagedPolicy(arn)) throw new AwsError('AccessDenied', `Cannot delete AWS managed policy ${arn}.`, 403);
      findPolicy(ctx, arn);
      if (attachmentCount(ctx, arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
      iamAccount(ctx.world, ctx.caller.accountId).policies.delete(arn);
      return undefined;
    },
  },
  ListPolicies: {
    handler(ctx, input) {
      const scope = queryString(input, 'Scope') ?? 'All';
      if (!['All', 'AWS', 'Local'].includes(scope)) {
        throw new AwsError('ValidationError', `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`, 400);
      }
      const onlyAttached = queryBool(input, 'OnlyAttached') ?? false;
      const prefix = queryString(input, 'PathPrefix') ?? '/';
      const local = [...iamAccount(ctx.world, ctx.caller.accountId).policies.values()];
      const candidates: PolicyView[] = [...(scope === 'Local' ? [] : AWS_MANAGED_POLICIES), ...(scope === 'AWS' ? [] : local)];
      const views = candidates.map((p) => policyOutput(ctx, p)).filter((p) => String(p.Path).startsWith(prefix) && (!onlyAttached || Number(p.AttachmentCount) > 0));
      const page = pageItems(views, input);
      return { Policies: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
};
