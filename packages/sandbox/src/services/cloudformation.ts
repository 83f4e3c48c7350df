/**
 * AWS CloudFormation over the Query protocol: stacks (CreateStack, DescribeStacks,
 * DeleteStack, ListStacks, resources, events, templates) here, StackSets in
 * cloudformation-stacksets.ts. Stacks live in the caller's account and the signed region.
 */
import { AwsError } from '../aws-error.js';
// Registers the hook that re-subscribes StackSets auto-deployment when a saved world is loaded.
import '../cloudformation-persistence.js';
import { createStack, deleteStack, findStack, listLiveStacks, prepareTemplate } from '../cloudformation-stacks.js';
import { cloudFormationState } from '../cloudformation-state.js';
import { paginate } from '../paging.js';
import { queryString } from '../protocols/query-values.js';
import type { Operation, OperationContext, ServiceDefinition } from '../service.js';
import { cloudFormationStackSetOperations } from './cloudformation-stacksets.js';
import { parameterList, stackShape, stackSummaryShape, stringList, tagList } from './cloudformation-shapes.js';

const TEMPLATE_BODY_MAX = 51_200;

function templateBody(input: Record<string, unknown>): string {
  if (input.TemplateURL !== undefined) throw new AwsError('ValidationError', 'TemplateURL is not supported by the sandbox; send TemplateBody.');
  const body = queryString(input, 'TemplateBody');
  if (body === undefined) throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  if (Buffer.byteLength(body) > TEMPLATE_BODY_MAX) {
    throw new AwsError('ValidationError', `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_MAX}`);
  }
  return body;
}

function requireStack(ctx: OperationContext, nameOrId: string) {
  const stack = findStack(ctx.world, ctx.caller.accountId, ctx.region, nameOrId);
  if (!stack) throw new AwsError('ValidationError', `Stack with id ${nameOrId} does not exist`);
  return stack;
}

/** The stack ARN IAM policies are checked against (the stack id part unknown before creation, so `*`). */
function stackArn(ctx: OperationContext, input: Record<string, unknown>): string {
  const name = input.StackName;
  if (typeof name !== 'string' || name === '') return '*';
  if (name.startsWith('arn:')) return name;
  return `arn:${ctx.world.partition}:cloudformation:${ctx.region}:${ctx.caller.accountId}:stack/${name}/*`;
}

const stackOperations: Record<string, Operation> = {
  CreateStack: {
    resource: stackArn,
    handler(ctx, input) {
      const stack = createStack(ctx.world, {
        accountId: ctx.caller.accountId,
        region: ctx.region,
        stackName: queryString(input, 'StackName', true),
        templateBody: templateBody(input),
        parameters: parameterList(input),
        capabilities: stringList(input, 'Capabilities'),
        tags: tagList(input),
      });
      return { StackId: stack.stackId };
    },
  },
  DescribeStacks: {
    resource: stackArn,
    handler(ctx, input) {
      const name = queryString(input, 'StackName');
      const stacks = name === undefined ? listLiveStacks(ctx.world, ctx.caller.accountId, ctx.region) : [requireStack(ctx, name)];
      const page = paginate(ctx.world, pageRequest(ctx, input, 'DescribeStacks', 100), stacks.length, (s, e) => stacks.slice(s, e));
      return { Stacks: page.items.map(stackShape), NextToken: page.nextToken };
    },
  },
  ListStacks: {
    handler(ctx, input) {
      const filter = new Set(stringList(input, 'StackStatusFilter'));
      const stacks = Object.values(cloudFormationState(ctx.world).stacks).filter(
        (s) => s.accountId === ctx.caller.accountId && s.region === ctx.region && (filter.size === 0 || filter.has(s.status)),
      );
      const page = paginate(ctx.world, pageRequest(ctx, input, 'ListStacks', 100), stacks.length, (s, e) => stacks.slice(s, e));
      return { StackSummaries: page.items.map(stackSummaryShape), NextToken: page.nextToken };
    },
  },
  DeleteStack: {
    resource: stackArn,
    handler(ctx, input) {
      const stack = findStack(ctx.world, ctx.caller.accountId, ctx.region, queryString(input, 'StackName', true));
      if (stack?.stackSetId) {
        throw new AwsError('ValidationError', `Stack ${stack.stackName} is managed by StackSet ${stack.stackSetId}; delete its stack instance instead.`);
      }
      // Deleting a stack that does not exist succeeds, as in AWS.
      if (stack) deleteStack(ctx.world, stack);
      return undefined;
    },
  },
  DescribeStackResources: {
    resource: stackArn,
    handler(ctx, input) {
      const stack = requireStack(ctx, queryString(input, 'StackName', true));
      const logicalId = queryString(input, 'LogicalResourceId');
      return {
        StackResources: stack.resources
          .filter((r) => logicalId === undefined || r.logicalId === logicalId)
          .map((r) => ({
            StackName: stack.stackName,
            StackId: stack.stackId,
            LogicalResourceId: r.logicalId,
            PhysicalResourceId: r.physicalId,
            ResourceType: r.type,
            Timestamp: new Date(r.timestamp),
            ResourceStatus: r.status,
            ResourceStatusReason: r.statusReason,
          })),
      };
    },
  },
  ListStackResources: {
    resource: stackArn,
    handler(ctx, input) {
      const stack = requireStack(ctx, queryString(input, 'StackName', true));
      return {
        StackResourceSummaries: stack.resources.map((r) => ({
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          LastUpdatedTimestamp: new Date(r.timestamp),
          ResourceStatus: r.status,
        })),
      };
    },
  },
  DescribeStackEvents: {
    resource: stackArn,
    handler(ctx, input) {
      const stack = requireStack(ctx, queryString(input, 'StackName', true));
      return {
        StackEvents: [...stack.events].reverse().map((e) => ({
          StackId: stack.stackId,
          EventId: e.eventId,
          StackName: stack.stackName,
          LogicalResourceId: e.logicalId,
          PhysicalResourceId: e.physicalId,
          ResourceType: e.resourceType,
          Timestamp: new Date(e.timestamp),
          ResourceStatus: e.status,
          ResourceStatusReason: e.statusReason,
        })),
      };
    },
  },
  GetTemplate: {
    resource: stackArn,
    handler(ctx, input) {
      return { TemplateBody: requireStack(ctx, queryString(input, 'StackName', true)).templateBody, StagesAvailable: ['Original', 'Processed'] };
    },
  },
  ValidateTemplate: {
    handler(_ctx, input) {
      // Parameters without defaults are fine here: only the template's shape is validated.
      const { template } = prepareTemplate(templateBody(input), undefined, ['CAPABILITY_NAMED_IAM'], true, false);
      return {
        Parameters: Object.entries(template.parameters).map(([key, p]) => ({
          ParameterKey: key,
          DefaultValue: p.Default === undefined ? undefined : String(p.Default),
          NoEcho: p.NoEcho === true || p.NoEcho === 'true',
          Description: p.Description,
        })),
        Description: template.description,
      };
    },
  },
};

/** MaxResults-less CloudFormation listings page at `max` with an opaque NextToken. */
export function pageRequest(ctx: OperationContext, input: Record<string, unknown>, scope: string, max: number) {
  const raw = queryString(input, 'MaxResults');
  return {
    scope: `${scope}:${ctx.caller.accountId}:${ctx.region}`,
    maxResults: raw === undefined ? undefined : Number(raw),
    nextToken: queryString(input, 'NextToken'),
    maxLimit: max,
    invalid: (message: string) => new AwsError('ValidationError', message),
  };
}

/** The CloudFormation service definition (stacks and StackSets) the sandbox server routes to. */
export const cloudFormationService: ServiceDefinition = {
  signingName: 'cloudformation',
  actionPrefix: 'cloudformation',
  protocol: 'query',
  xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  accessDeniedCode: 'AccessDenied',
  family: 'cloudformation',
  operations: { ...stackOperations, ...cloudFormationStackSetOperations },
};
