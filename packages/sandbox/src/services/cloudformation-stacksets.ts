/**
 * CloudFormation's StackSet operations (service-managed permissions). Operations run
 * synchronously: CreateStackInstances returns an OperationId whose operation has already
 * finished (SUCCEEDED, or FAILED with per-account results) when the client asks about it.
 */
import { AwsError } from '../aws-error.js';
import { cloudFormationState, type OperationPreferences, type StackSetRecord } from '../cloudformation-state.js';
import { paginate } from '../paging.js';
import { queryBool, queryInt, queryString } from '../protocols/query-values.js';
import type { Operation, OperationContext } from '../service.js';
import { enableStackSetAutoDeployment } from '../stacksets-auto-deployment.js';
import { stackSetResourceRegistered } from '../stacksets-resource.js';
import { createStackInstances, createStackSet, deleteStackInstances, deleteStackSet, requireStackSet } from '../stacksets.js';
import {
  boolMember,
  operationShape,
  operationSummaryShape,
  parameterList,
  stackInstanceShape,
  stackSetShape,
  stackSetSummaryShape,
  stringList,
  structure,
  tagList,
} from './cloudformation-shapes.js';

function stackSetOf(ctx: OperationContext, input: Record<string, unknown>): StackSetRecord {
  return requireStackSet(ctx.world, ctx.caller.accountId, ctx.region, queryString(input, 'StackSetName', true));
}

function page(ctx: OperationContext, input: Record<string, unknown>, scope: string) {
  const raw = queryString(input, 'MaxResults');
  return {
    scope: `${scope}:${ctx.caller.accountId}:${ctx.region}`,
    maxResults: raw === undefined ? undefined : Number(raw),
    nextToken: queryString(input, 'NextToken'),
    maxLimit: 100,
    invalid: (message: string) => new AwsError('ValidationError', message),
  };
}

function paged<T>(ctx: OperationContext, input: Record<string, unknown>, scope: string, items: T[]) {
  return paginate(ctx.world, page(ctx, input, scope), items.length, (s, e) => items.slice(s, e));
}

function targetsOf(input: Record<string, unknown>): { ouIds: string[]; regions: string[] } {
  const targets = structure(input, 'DeploymentTargets');
  if (stringList(input, 'Accounts').length > 0 || stringList(targets, 'Accounts').length > 0) {
    throw new AwsError('ValidationError', 'StackSets with SERVICE_MANAGED permission model can only have OrganizationalUnit as target');
  }
  return { ouIds: stringList(targets, 'OrganizationalUnitIds'), regions: stringList(input, 'Regions') };
}

/** `OperationPreferences.FailureToleranceCount / FailureTolerancePercentage`; the concurrency members change nothing here. */
function preferencesOf(input: Record<string, unknown>): OperationPreferences | undefined {
  if (input.OperationPreferences === undefined) return undefined;
  const raw = structure(input, 'OperationPreferences');
  const count = queryInt(raw, 'FailureToleranceCount', 0, 1_000_000);
  const percentage = queryInt(raw, 'FailureTolerancePercentage', 0, 100);
  return {
    ...(count === undefined ? {} : { failureToleranceCount: count }),
    ...(percentage === undefined ? {} : { failureTolerancePercentage: percentage }),
  };
}

function operationOptions(input: Record<string, unknown>) {
  const operationId = queryString(input, 'OperationId');
  const preferences = preferencesOf(input);
  return { ...(operationId === undefined ? {} : { operationId }), ...(preferences === undefined ? {} : { preferences }) };
}

function requireOperation(stackSet: StackSetRecord, operationId: string) {
  const operation = stackSet.operations.find((o) => o.operationId === operationId);
  if (!operation) throw new AwsError('OperationNotFoundException', `Operation ${operationId} not found`, 404);
  return operation;
}

/** The stack set ARN IAM policies are checked against. */
function stackSetArn(ctx: OperationContext, input: Record<string, unknown>): string {
  const name = input.StackSetName;
  if (typeof name !== 'string' || name === '') return '*';
  const bare = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  return `arn:${ctx.world.partition}:cloudformation:${ctx.region}:${ctx.caller.accountId}:stackset/${bare}:*`;
}

/** StackSet operations, merged into the CloudFormation service definition. */
export const cloudFormationStackSetOperations: Record<string, Operation> = {
  CreateStackSet: {
    resource: stackSetArn,
    handler(ctx, input) {
      const auto = structure(input, 'AutoDeployment');
      const enabled = boolMember(auto, 'Enabled');
      const retain = boolMember(auto, 'RetainStacksOnAccountRemoval');
      const description = queryString(input, 'Description');
      const permissionModel = queryString(input, 'PermissionModel');
      const callAs = queryString(input, 'CallAs');
      const managedExecution = boolMember(structure(input, 'ManagedExecution'), 'Active');
      if (input.TemplateURL !== undefined) throw new AwsError('ValidationError', 'TemplateURL is not supported by the sandbox; send TemplateBody.');
      enableStackSetAutoDeployment(ctx.world);
      const stackSet = createStackSet(ctx.world, ctx.caller.accountId, ctx.region, {
        stackSetName: queryString(input, 'StackSetName', true),
        templateBody: queryString(input, 'TemplateBody', true),
        parameters: parameterList(input),
        capabilities: stringList(input, 'Capabilities'),
        tags: tagList(input),
        autoDeployment: {
          ...(enabled === undefined ? {} : { enabled }),
          ...(retain === undefined ? {} : { retainStacksOnAccountRemoval: retain }),
        },
        ...(description === undefined ? {} : { description }),
        ...(permissionModel === undefined ? {} : { permissionModel }),
        ...(callAs === undefined ? {} : { callAs }),
        ...(managedExecution === undefined ? {} : { managedExecution }),
      });
      return { StackSetId: stackSet.stackSetId };
    },
  },
  DescribeStackSet: {
    resource: stackSetArn,
    handler(ctx, input) {
      return { StackSet: stackSetShape(stackSetOf(ctx, input), ctx.region) };
    },
  },
  ListStackSets: {
    handler(ctx, input) {
      const status = queryString(input, 'Status');
      const all = Object.values(cloudFormationState(ctx.world).stackSets).filter(
        (s) => s.ownerAccountId === ctx.caller.accountId && s.region === ctx.region && (status === undefined || s.status === status),
      );
      const result = paged(ctx, input, 'ListStackSets', all);
      return { Summaries: result.items.map(stackSetSummaryShape), NextToken: result.nextToken };
    },
  },
  DeleteStackSet: {
    resource: stackSetArn,
    handler(ctx, input) {
      deleteStackSet(ctx.world, stackSetOf(ctx, input));
      return {};
    },
  },
  CreateStackInstances: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      const { ouIds, regions } = targetsOf(input);
      const operation = createStackInstances(ctx.world, stackSet, ouIds, regions, operationOptions(input));
      return { OperationId: operation.operationId };
    },
  },
  DeleteStackInstances: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      const { ouIds, regions } = targetsOf(input);
      const retain = queryBool(input, 'RetainStacks');
      if (retain === undefined) throw new AwsError('ValidationError', "1 validation error detected: Value null at 'retainStacks' failed to satisfy constraint: Member must not be null");
      const operation = deleteStackInstances(ctx.world, stackSet, ouIds, regions, retain, operationOptions(input));
      return { OperationId: operation.operationId };
    },
  },
  ListStackInstances: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      const account = queryString(input, 'StackInstanceAccount');
      const region = queryString(input, 'StackInstanceRegion');
      const instances = Object.values(stackSet.instances).filter(
        (i) => (account === undefined || i.account === account) && (region === undefined || i.region === region),
      );
      const result = paged(ctx, input, `ListStackInstances:${stackSet.stackSetId}`, instances);
      return { Summaries: result.items.map((i) => stackInstanceShape(stackSet, i)), NextToken: result.nextToken };
    },
  },
  DescribeStackInstance: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      const account = queryString(input, 'StackInstanceAccount', true);
      const region = queryString(input, 'StackInstanceRegion', true);
      const instance = stackSet.instances[`${account}/${region}`];
      if (!instance) throw new AwsError('StackInstanceNotFoundException', `Stack instance for account ${account} in ${region} not found`, 404);
      return { StackInstance: { ...stackInstanceShape(stackSet, instance), ParameterOverrides: [] } };
    },
  },
  DescribeStackSetOperation: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      return { StackSetOperation: operationShape(stackSet, requireOperation(stackSet, queryString(input, 'OperationId', true))) };
    },
  },
  ListStackSetOperations: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      const operations = [...stackSet.operations].reverse();
      const result = paged(ctx, input, `ListStackSetOperations:${stackSet.stackSetId}`, operations);
      return { Summaries: result.items.map(operationSummaryShape), NextToken: result.nextToken };
    },
  },
  ListStackSetOperationResults: {
    resource: stackSetArn,
    handler(ctx, input) {
      const stackSet = stackSetOf(ctx, input);
      const operation = requireOperation(stackSet, queryString(input, 'OperationId', true));
      const result = paged(ctx, input, `ListStackSetOperationResults:${operation.operationId}`, operation.results);
      return {
        Summaries: result.items.map((r) => ({
          Account: r.account,
          Region: r.region,
          Status: r.status,
          StatusReason: r.statusReason,
          AccountGateResult: { Status: 'SKIPPED', StatusReason: 'No account gate configured' },
          OrganizationalUnitId: r.organizationalUnitId,
        })),
        NextToken: result.nextToken,
      };
    },
  },
};

// Stacks created by CreateStack may contain AWS::CloudFormation::StackSet resources.
void stackSetResourceRegistered;
