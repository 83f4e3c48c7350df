/**
 * StackSets with service-managed permissions: a template deployed as one stack per
 * (account, region) to every ACTIVE account under the target OUs, never to the
 * management account (as AWS documents for DeploymentTargets). Operations run
 * synchronously; each is recorded with its per-account results.
 */
import { AwsError } from './aws-error.js';
import { createStack, deleteStack, prepareTemplate } from './cloudformation-stacks.js';
import {
  cloudFormationState,
  nowIso,
  worldUuid,
  type OperationPreferences,
  type StackInstanceRecord,
  type StackSetOperationRecord,
  type StackSetOperationResult,
  type StackSetRecord,
} from './cloudformation-state.js';
import type { Organization, World } from './world.js';

/** The service principal AWS uses for StackSets delegated administrators. */
export const STACKSETS_SERVICE_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

const STACK_SET_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,127}$/;

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

export interface CreateStackSetInput {
  stackSetName: string;
  templateBody: string;
  description?: string;
  parameters?: Array<{ key: string; value: string }>;
  capabilities?: string[];
  tags?: Array<{ key: string; value: string }>;
  permissionModel?: string;
  autoDeployment?: { enabled?: boolean; retainStacksOnAccountRemoval?: boolean };
  callAs?: string;
  managedExecution?: boolean;
}

/** Only the management account (or a StackSets delegated administrator calling as one) may use service-managed permissions. */
function requireOrganizationAdmin(world: World, accountId: string, callAs: string | undefined): Organization {
  const org = world.organization;
  if (!org) throw validation('AWS Organizations is not in use; service-managed StackSets need an organization.');
  if (accountId === org.managementAccountId) return org;
  const delegated = org.delegatedAdministrators.get(accountId)?.has(STACKSETS_SERVICE_PRINCIPAL) ?? false;
  if (delegated && callAs === 'DELEGATED_ADMIN') return org;
  throw validation('Account used is not organization management account or delegated administrator.');
}

/** A live stack set of an account and region, by name or StackSetId. */
export function findStackSet(world: World, accountId: string, region: string, nameOrId: string): StackSetRecord | undefined {
  return Object.values(cloudFormationState(world).stackSets).find(
    (s) => s.status === 'ACTIVE' && s.ownerAccountId === accountId && s.region === region && (s.stackSetName === nameOrId || s.stackSetId === nameOrId),
  );
}

/** Like findStackSet, but StackSetNotFoundException when absent. */
export function requireStackSet(world: World, accountId: string, region: string, nameOrId: string): StackSetRecord {
  const stackSet = findStackSet(world, accountId, region, nameOrId);
  if (!stackSet) throw new AwsError('StackSetNotFoundException', `StackSet ${nameOrId} not found`, 404);
  return stackSet;
}

/** CreateStackSet: validates the template now (as AWS does) but deploys nothing until CreateStackInstances. */
export function createStackSet(world: World, accountId: string, region: string, input: CreateStackSetInput): StackSetRecord {
  if (!STACK_SET_NAME.test(input.stackSetName)) throw validation(`StackSet name ${input.stackSetName} is invalid`);
  const permissionModel = input.permissionModel ?? 'SELF_MANAGED';
  if (permissionModel !== 'SERVICE_MANAGED') {
    throw validation('The sandbox supports only PermissionModel SERVICE_MANAGED stack sets.');
  }
  requireOrganizationAdmin(world, accountId, input.callAs);
  if (findStackSet(world, accountId, region, input.stackSetName)) {
    throw new AwsError('NameAlreadyExistsException', `StackSet ${input.stackSetName} already exists`, 409);
  }
  if (input.autoDeployment?.enabled === undefined) {
    throw validation('AutoDeployment must be specified for stack sets with SERVICE_MANAGED permission model');
  }
  // Every parameter needs a value or default at deployment time; check the template once here.
  prepareTemplate(input.templateBody, input.parameters, input.capabilities ?? []);
  const stackSetId = `${input.stackSetName}:${worldUuid(world)}`;
  const stackSet: StackSetRecord = {
    stackSetId,
    stackSetName: input.stackSetName,
    arn: `arn:${world.partition}:cloudformation:${region}:${accountId}:stackset/${stackSetId}`,
    ownerAccountId: accountId,
    region,
    status: 'ACTIVE',
    templateBody: input.templateBody,
    parameters: input.parameters ?? [],
    capabilities: input.capabilities ?? [],
    tags: input.tags ?? [],
    permissionModel: 'SERVICE_MANAGED',
    managedExecution: input.managedExecution ?? false,
    preferences: {},
    autoDeployment: {
      enabled: input.autoDeployment.enabled,
      retainStacksOnAccountRemoval: input.autoDeployment.retainStacksOnAccountRemoval ?? false,
    },
    targets: {},
    instances: {},
    operations: [],
    createdAt: nowIso(world),
    ...(input.description === undefined ? {} : { description: input.description }),
  };
  cloudFormationState(world).stackSets[stackSetId] = stackSet;
  return stackSet;
}

/** True when `parentId` is `targetId` or lies beneath it in the organization tree. */
export function isUnder(org: Organization, parentId: string, targetId: string): boolean {
  let current: string | undefined = parentId;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    if (current === targetId) return true;
    if (current === org.rootId) return false;
    current = org.ous.get(current)?.parentId;
  }
  return false;
}

/** Accounts beneath an OU or root, recursively, in tree order. */
export function accountsUnder(org: Organization, targetId: string): string[] {
  const out: string[] = [];
  const pending = [targetId];
  while (pending.length > 0) {
    const parent = pending.shift() as string;
    out.push(...(org.childAccounts.get(parent) ?? []));
    pending.push(...(org.childOus.get(parent) ?? []));
  }
  return out;
}

function canReceiveInstances(world: World, org: Organization, accountId: string): boolean {
  return accountId !== org.managementAccountId && world.accounts.get(accountId)?.state === 'ACTIVE';
}

function newOperation(
  world: World,
  action: StackSetOperationRecord['action'],
  ouIds: string[],
  regions: string[],
  preferences: OperationPreferences,
  operationId?: string,
): StackSetOperationRecord {
  const now = nowIso(world);
  return {
    operationId: operationId ?? worldUuid(world),
    action,
    status: 'SUCCEEDED',
    organizationalUnitIds: ouIds,
    regions,
    creationTimestamp: now,
    endTimestamp: now,
    results: [],
    preferences,
  };
}

/** Failures an operation may have and still succeed: the count, or the percentage of its instances (rounded down, as AWS does). */
function toleratedFailures(preferences: OperationPreferences, total: number): number {
  if (preferences.failureToleranceCount !== undefined) return preferences.failureToleranceCount;
  if (preferences.failureTolerancePercentage !== undefined) return Math.floor((preferences.failureTolerancePercentage * total) / 100);
  return 0;
}

function finishOperation(world: World, stackSet: StackSetRecord, operation: StackSetOperationRecord): StackSetOperationRecord {
  const failed = operation.results.filter((r) => r.status === 'FAILED').length;
  const tolerated = toleratedFailures(operation.preferences, operation.results.length);
  if (failed > tolerated) {
    operation.status = 'FAILED';
    operation.statusReason = `${failed} of ${operation.results.length} stack instance operation(s) failed; the failure tolerance is ${tolerated}.`;
  }
  operation.endTimestamp = nowIso(world);
  stackSet.operations.push(operation);
  return operation;
}

function failureReason(world: World, stackId: string): string {
  const stack = cloudFormationState(world).stacks[stackId];
  const failed = stack?.events.find((e) => e.status === 'CREATE_FAILED');
  if (failed) return `ResourceLogicalId:${failed.logicalId}, ResourceType:${failed.resourceType}, ResourceStatusReason:${failed.statusReason ?? ''}.`;
  return stack?.statusReason ?? 'Stack creation failed.';
}

/** Creates the stack for one (account, region) and records the instance and the result. */
export function deployInstance(world: World, stackSet: StackSetRecord, operation: StackSetOperationRecord, account: string, region: string, ouId: string): void {
  const key = `${account}/${region}`;
  if (stackSet.instances[key]) return;
  const instance: StackInstanceRecord = { account, region, organizationalUnitId: ouId, status: 'CURRENT', detailedStatus: 'SUCCEEDED', lastOperationId: operation.operationId };
  const result: StackSetOperationResult = { account, region, organizationalUnitId: ouId, status: 'SUCCEEDED' };
  try {
    const stack = createStack(world, {
      accountId: account,
      region,
      stackName: `StackSet-${stackSet.stackSetName}-${worldUuid(world)}`,
      templateBody: stackSet.templateBody,
      parameters: stackSet.parameters,
      capabilities: stackSet.capabilities,
      stackSetId: stackSet.stackSetId,
      skipCapabilityCheck: true,
    });
    instance.stackId = stack.stackId;
    if (stack.status !== 'CREATE_COMPLETE') {
      Object.assign(instance, { status: 'OUTDATED', detailedStatus: 'FAILED', statusReason: failureReason(world, stack.stackId) });
    }
  } catch (error) {
    Object.assign(instance, { status: 'OUTDATED', detailedStatus: 'FAILED', statusReason: (error as Error).message });
  }
  if (instance.detailedStatus === 'FAILED') Object.assign(result, { status: 'FAILED', statusReason: instance.statusReason });
  stackSet.instances[key] = instance;
  operation.results.push(result);
}

/** Deletes (or, with retainStacks, detaches) one instance and records the result. */
export function removeInstance(world: World, stackSet: StackSetRecord, operation: StackSetOperationRecord, instance: StackInstanceRecord, retainStacks: boolean): void {
  const stack = instance.stackId ? cloudFormationState(world).stacks[instance.stackId] : undefined;
  if (stack && !retainStacks) deleteStack(world, stack);
  if (stack && retainStacks) delete stack.stackSetId;
  delete stackSet.instances[`${instance.account}/${instance.region}`];
  operation.results.push({ account: instance.account, region: instance.region, organizationalUnitId: instance.organizationalUnitId, status: 'SUCCEEDED' });
}

/** The SDK sends an idempotency OperationId; a retry with the same id returns the finished operation. */
function retriedOperation(stackSet: StackSetRecord, operationId: string | undefined): StackSetOperationRecord | undefined {
  return operationId === undefined ? undefined : stackSet.operations.find((o) => o.operationId === operationId);
}

/** The organization a stack set deploys into; gone organizations make every operation a ValidationError. */
function organizationOf(world: World): Organization {
  if (!world.organization) throw validation('AWS Organizations is not in use; service-managed StackSets need an organization.');
  return world.organization;
}

function checkTargets(org: Organization, ouIds: string[], regions: string[]): void {
  if (ouIds.length === 0) throw validation('DeploymentTargets.OrganizationalUnitIds must be specified for SERVICE_MANAGED stack sets');
  if (regions.length === 0) throw validation('Regions must not be empty');
  for (const ouId of ouIds) {
    if (ouId !== org.rootId && !org.ous.has(ouId)) throw validation(`OrganizationalUnitIds [${ouId}] not found in the organization`);
  }
}

/** CreateStackInstances: deploys to every eligible account under the OUs, in each region. */
export function createStackInstances(
  world: World,
  stackSet: StackSetRecord,
  ouIds: string[],
  regions: string[],
  options: { operationId?: string; preferences?: OperationPreferences } = {},
): StackSetOperationRecord {
  const retried = retriedOperation(stackSet, options.operationId);
  if (retried) return retried;
  const org = organizationOf(world);
  checkTargets(org, ouIds, regions);
  if (options.preferences) stackSet.preferences = options.preferences;
  const operation = newOperation(world, 'CREATE', ouIds, regions, options.preferences ?? {}, options.operationId);
  for (const ouId of ouIds) {
    const known = new Set(stackSet.targets[ouId] ?? []);
    for (const region of regions) known.add(region);
    stackSet.targets[ouId] = [...known];
    for (const account of accountsUnder(org, ouId)) {
      if (!canReceiveInstances(world, org, account)) continue;
      for (const region of regions) deployInstance(world, stackSet, operation, account, region, ouId);
    }
  }
  return finishOperation(world, stackSet, operation);
}

/** DeleteStackInstances: removes instances of accounts under the OUs in those regions, and those targets. */
export function deleteStackInstances(
  world: World,
  stackSet: StackSetRecord,
  ouIds: string[],
  regions: string[],
  retainStacks: boolean,
  options: { operationId?: string; preferences?: OperationPreferences } = {},
): StackSetOperationRecord {
  const retried = retriedOperation(stackSet, options.operationId);
  if (retried) return retried;
  const org = organizationOf(world);
  checkTargets(org, ouIds, regions);
  const operation = newOperation(world, 'DELETE', ouIds, regions, options.preferences ?? {}, options.operationId);
  operation.retainStacks = retainStacks;
  for (const instance of Object.values(stackSet.instances)) {
    if (!regions.includes(instance.region)) continue;
    const parentId = world.accounts.get(instance.account)?.parentId;
    const covered = ouIds.includes(instance.organizationalUnitId) || (parentId != null && ouIds.some((ou) => isUnder(org, parentId, ou)));
    if (covered) removeInstance(world, stackSet, operation, instance, retainStacks);
  }
  for (const ouId of ouIds) {
    const remaining = (stackSet.targets[ouId] ?? []).filter((r) => !regions.includes(r));
    if (remaining.length > 0) stackSet.targets[ouId] = remaining;
    else delete stackSet.targets[ouId];
  }
  return finishOperation(world, stackSet, operation);
}

/** DeleteStackSet: only an empty stack set can go (StackSetNotEmptyException otherwise). */
export function deleteStackSet(world: World, stackSet: StackSetRecord): void {
  if (Object.keys(stackSet.instances).length > 0) {
    throw new AwsError('StackSetNotEmptyException', `StackSet ${stackSet.stackSetName} is not empty: delete its stack instances first.`, 409);
  }
  stackSet.status = 'DELETED';
  stackSet.targets = {};
}

/** Records an operation built by the auto-deployment module. */
export function recordOperation(world: World, stackSet: StackSetRecord, action: StackSetOperationRecord['action'], ouIds: string[], regions: string[], run: (operation: StackSetOperationRecord) => void): void {
  const operation = newOperation(world, action, ouIds, regions, stackSet.preferences);
  run(operation);
  if (operation.results.length > 0) finishOperation(world, stackSet, operation);
}
