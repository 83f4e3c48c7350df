/**
 * CloudFormation's Query-protocol shapes: reading the nested (string-valued) input the
 * pipeline decodes, and turning stacks, stack sets, instances and operations into the
 * structures the SDK's XML deserializer expects.
 */
import { AwsError } from '../aws-error.js';
import type {
  StackInstanceRecord,
  StackRecord,
  StackSetOperationRecord,
  StackSetRecord,
} from '../cloudformation-state.js';
import { queryBool, queryList, queryString } from '../protocols/query-values.js';

function shapeError(name: string, what: string): AwsError {
  return new AwsError('ValidationError', `1 validation error detected: Value at '${name}' failed to satisfy constraint: ${what}`);
}

function asRecord(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw shapeError(name, 'Member must be a structure');
  return value as Record<string, unknown>;
}

/** A list of strings (Capabilities, Regions, OrganizationalUnitIds...). */
export function stringList(input: Record<string, unknown>, name: string): string[] {
  const list = queryList(input, name) ?? [];
  if (!list.every((v): v is string => typeof v === 'string')) throw shapeError(name, 'Member must be a list of strings');
  return list;
}

/** `Parameters.member.N.ParameterKey/ParameterValue/UsePreviousValue`. */
export function parameterList(input: Record<string, unknown>, name = 'Parameters'): Array<{ key: string; value: string }> {
  return (queryList(input, name) ?? []).map((raw) => {
    const entry = asRecord(raw, name);
    const key = queryString(entry, 'ParameterKey', true);
    return { key, value: queryString(entry, 'ParameterValue') ?? '' };
  });
}

/** `Tags.member.N.Key/Value`. */
export function tagList(input: Record<string, unknown>): Array<{ key: string; value: string }> {
  return (queryList(input, 'Tags') ?? []).map((raw) => {
    const entry = asRecord(raw, 'Tags');
    return { key: queryString(entry, 'Key', true), value: queryString(entry, 'Value') ?? '' };
  });
}

/** A nested structure member, or an empty one when absent. */
export function structure(input: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = input[name];
  if (value === undefined || value === '') return {};
  return asRecord(value, name);
}

/** A boolean member inside a structure. */
export function boolMember(input: Record<string, unknown>, name: string): boolean | undefined {
  return queryBool(input, name);
}

const date = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

/** The `Stack` shape of DescribeStacks. */
export function stackShape(stack: StackRecord): Record<string, unknown> {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    Description: stack.description,
    Parameters: stack.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.noEcho ? '****' : p.value })),
    CreationTime: date(stack.creationTime),
    DeletionTime: date(stack.deletionTime),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: stack.capabilities,
    Outputs: stack.outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName })),
    Tags: stack.tags.map((t) => ({ Key: t.key, Value: t.value })),
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** The `StackSummary` shape of ListStacks. */
export function stackSummaryShape(stack: StackRecord): Record<string, unknown> {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    TemplateDescription: stack.description,
    CreationTime: date(stack.creationTime),
    DeletionTime: date(stack.deletionTime),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** The `StackSet` shape of DescribeStackSet. */
export function stackSetShape(stackSet: StackSetRecord, region: string): Record<string, unknown> {
  return {
    StackSetName: stackSet.stackSetName,
    StackSetId: stackSet.stackSetId,
    Description: stackSet.description,
    Status: stackSet.status,
    TemplateBody: stackSet.templateBody,
    Parameters: stackSet.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value })),
    Capabilities: stackSet.capabilities,
    Tags: stackSet.tags.map((t) => ({ Key: t.key, Value: t.value })),
    StackSetARN: stackSet.arn,
    AutoDeployment: {
      Enabled: stackSet.autoDeployment.enabled,
      RetainStacksOnAccountRemoval: stackSet.autoDeployment.retainStacksOnAccountRemoval,
    },
    PermissionModel: stackSet.permissionModel,
    OrganizationalUnitIds: Object.keys(stackSet.targets),
    ManagedExecution: { Active: stackSet.managedExecution },
    Regions: [...new Set(Object.values(stackSet.targets).flat())].sort((a, b) => (a === region ? -1 : b === region ? 1 : a.localeCompare(b))),
  };
}

/** The `StackSetSummary` shape of ListStackSets. */
export function stackSetSummaryShape(stackSet: StackSetRecord): Record<string, unknown> {
  return {
    StackSetName: stackSet.stackSetName,
    StackSetId: stackSet.stackSetId,
    Description: stackSet.description,
    Status: stackSet.status,
    AutoDeployment: { Enabled: stackSet.autoDeployment.enabled, RetainStacksOnAccountRemoval: stackSet.autoDeployment.retainStacksOnAccountRemoval },
    PermissionModel: stackSet.permissionModel,
    DriftStatus: 'NOT_CHECKED',
    ManagedExecution: { Active: stackSet.managedExecution },
  };
}

/** The `StackInstanceSummary` / `StackInstance` shapes (they share these members). */
export function stackInstanceShape(stackSet: StackSetRecord, instance: StackInstanceRecord): Record<string, unknown> {
  return {
    StackSetId: stackSet.stackSetId,
    Region: instance.region,
    Account: instance.account,
    StackId: instance.stackId,
    Status: instance.status,
    StatusReason: instance.statusReason,
    StackInstanceStatus: { DetailedStatus: instance.detailedStatus },
    OrganizationalUnitId: instance.organizationalUnitId,
    DriftStatus: 'NOT_CHECKED',
    LastOperationId: instance.lastOperationId,
  };
}

/** The `StackSetOperation` shape of DescribeStackSetOperation. */
export function operationShape(stackSet: StackSetRecord, operation: StackSetOperationRecord): Record<string, unknown> {
  const failed = operation.results.filter((r) => r.status === 'FAILED').length;
  return {
    OperationId: operation.operationId,
    StackSetId: stackSet.stackSetId,
    Action: operation.action,
    Status: operation.status,
    OperationPreferences: {
      RegionConcurrencyType: 'SEQUENTIAL',
      FailureToleranceCount: operation.preferences.failureToleranceCount,
      FailureTolerancePercentage: operation.preferences.failureTolerancePercentage,
    },
    RetainStacks: operation.retainStacks,
    CreationTimestamp: new Date(operation.creationTimestamp),
    EndTimestamp: new Date(operation.endTimestamp),
    DeploymentTargets: { OrganizationalUnitIds: operation.organizationalUnitIds },
    StatusReason: operation.statusReason,
    StatusDetails: { FailedStackInstancesCount: failed },
  };
}

/** The `StackSetOperationSummary` shape of ListStackSetOperations. */
export function operationSummaryShape(operation: StackSetOperationRecord): Record<string, unknown> {
  return {
    OperationId: operation.operationId,
    Action: operation.action,
    Status: operation.status,
    CreationTimestamp: new Date(operation.creationTimestamp),
    EndTimestamp: new Date(operation.endTimestamp),
    StatusReason: operation.statusReason,
    StatusDetails: { FailedStackInstancesCount: operation.results.filter((r) => r.status === 'FAILED').length },
  };
}
