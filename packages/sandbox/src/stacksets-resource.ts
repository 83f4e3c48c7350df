/**
 * The AWS::CloudFormation::StackSet resource type: a stack in the management account
 * that creates a service-managed StackSet and its instances (the "one template" way of
 * rolling a member role out to an organization). Deleting the stack removes both.
 */
import { AwsError } from './aws-error.js';
import { registerResourceHandler, type ResourceHandler } from './cloudformation-resources.js';
import { cloudFormationState, type OperationPreferences } from './cloudformation-state.js';
import { enableStackSetAutoDeployment } from './stacksets-auto-deployment.js';
import { createStackInstances, createStackSet, deleteStackInstances, deleteStackSet, recordOperation, removeInstance } from './stacksets.js';

function record(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AwsError('ValidationError', `Property ${name} must be an object`);
  return value as Record<string, unknown>;
}

function strings(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new AwsError('ValidationError', `Property ${name} must be a list of strings`);
  return value;
}

function bool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return value === true || value === 'true';
}

function operationPreferences(raw: Record<string, unknown>): OperationPreferences {
  const number = (value: unknown): number | undefined => (value === undefined ? undefined : Number(value));
  const count = number(raw.FailureToleranceCount);
  const percentage = number(raw.FailureTolerancePercentage);
  return {
    ...(count === undefined || Number.isNaN(count) ? {} : { failureToleranceCount: count }),
    ...(percentage === undefined || Number.isNaN(percentage) ? {} : { failureTolerancePercentage: percentage }),
  };
}

const stackSetHandler: ResourceHandler = {
  create(ctx, properties) {
    if (typeof properties.TemplateBody !== 'string') {
      throw new AwsError('ValidationError', 'The sandbox needs TemplateBody (TemplateURL is not supported) on AWS::CloudFormation::StackSet');
    }
    const auto = record(properties.AutoDeployment, 'AutoDeployment');
    const parameters = (Array.isArray(properties.Parameters) ? properties.Parameters : []).map((p: Record<string, unknown>) => ({
      key: String(p.ParameterKey),
      value: String(p.ParameterValue),
    }));
    enableStackSetAutoDeployment(ctx.world);
    const stackSet = createStackSet(ctx.world, ctx.accountId, ctx.region, {
      stackSetName: typeof properties.StackSetName === 'string' ? properties.StackSetName : ctx.stackName,
      templateBody: properties.TemplateBody,
      parameters,
      capabilities: strings(properties.Capabilities, 'Capabilities'),
      ...(typeof properties.Description === 'string' ? { description: properties.Description } : {}),
      ...(typeof properties.PermissionModel === 'string' ? { permissionModel: properties.PermissionModel } : {}),
      ...(typeof properties.CallAs === 'string' ? { callAs: properties.CallAs } : {}),
      ...(bool(record(properties.ManagedExecution, 'ManagedExecution').Active) === undefined
        ? {}
        : { managedExecution: bool(record(properties.ManagedExecution, 'ManagedExecution').Active) }),
      autoDeployment: {
        ...(bool(auto.Enabled) === undefined ? {} : { enabled: bool(auto.Enabled) }),
        ...(bool(auto.RetainStacksOnAccountRemoval) === undefined ? {} : { retainStacksOnAccountRemoval: bool(auto.RetainStacksOnAccountRemoval) }),
      },
    });
    const preferences = operationPreferences(record(properties.OperationPreferences, 'OperationPreferences'));
    const groups = Array.isArray(properties.StackInstancesGroup) ? (properties.StackInstancesGroup as unknown[]) : [];
    try {
      for (const group of groups) {
        const g = record(group, 'StackInstancesGroup');
        const targets = record(g.DeploymentTargets, 'DeploymentTargets');
        const operation = createStackInstances(ctx.world, stackSet, strings(targets.OrganizationalUnitIds, 'OrganizationalUnitIds'), strings(g.Regions, 'Regions'), {
          preferences,
        });
        if (operation.status === 'FAILED') throw new AwsError('ValidationError', operation.statusReason ?? 'StackSet operation failed');
      }
    } catch (error) {
      removeStackSet(ctx.world, stackSet.stackSetId);
      throw error;
    }
    return { physicalId: stackSet.stackSetId, attributes: { StackSetId: stackSet.stackSetId } };
  },
  delete(ctx, physicalId) {
    removeStackSet(ctx.world, physicalId);
  },
};

function removeStackSet(world: Parameters<typeof cloudFormationState>[0], stackSetId: string): void {
  const stackSet = cloudFormationState(world).stackSets[stackSetId];
  if (!stackSet || stackSet.status !== 'ACTIVE') return;
  for (const [ouId, regions] of Object.entries(stackSet.targets)) {
    if (world.organization) deleteStackInstances(world, stackSet, [ouId], regions, false);
  }
  // Instances no target covers any more (accounts moved while auto-deployment was off) go too.
  const leftovers = Object.values(stackSet.instances);
  if (leftovers.length > 0) {
    const regions = [...new Set(leftovers.map((i) => i.region))];
    recordOperation(world, stackSet, 'DELETE', [], regions, (operation) => {
      for (const instance of leftovers) removeInstance(world, stackSet, operation, instance, false);
    });
  }
  deleteStackSet(world, stackSet);
}

registerResourceHandler('AWS::CloudFormation::StackSet', stackSetHandler);

/** Importing this module registers the StackSet resource type; the marker makes the dependency explicit. */
export const stackSetResourceRegistered = true;
