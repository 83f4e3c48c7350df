/**
 * CloudFormation's module state inside `world.cloudformation`: stacks (per account and
 * region) and StackSets. Kept as plain JSON-able data (records, arrays, ISO dates) so
 * persistence is a structural copy.
 */
import { randomString } from './ids.js';
import { worldRandom } from './world-factory.js';
import type { World } from './world.js';

export type StackStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

export interface StackResourceRecord {
  logicalId: string;
  type: string;
  physicalId: string;
  status: 'CREATE_COMPLETE' | 'CREATE_FAILED' | 'DELETE_COMPLETE' | 'DELETE_SKIPPED';
  statusReason?: string;
  /** Evaluated properties, kept so deletion can undo exactly what creation did. */
  properties: Record<string, unknown>;
  deletionPolicy?: string;
  timestamp: string;
}

export interface StackEventRecord {
  eventId: string;
  logicalId: string;
  physicalId: string;
  resourceType: string;
  status: string;
  statusReason?: string;
  timestamp: string;
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  accountId: string;
  region: string;
  status: StackStatus;
  statusReason?: string;
  description?: string;
  templateBody: string;
  parameters: Array<{ key: string; value: string; noEcho: boolean }>;
  outputs: Array<{ key: string; value: string; description?: string; exportName?: string }>;
  capabilities: string[];
  tags: Array<{ key: string; value: string }>;
  /** Resources in creation order. */
  resources: StackResourceRecord[];
  events: StackEventRecord[];
  creationTime: string;
  deletionTime?: string;
  /** Set when a StackSet created this stack (its StackSetId). */
  stackSetId?: string;
}

export interface StackInstanceRecord {
  account: string;
  region: string;
  organizationalUnitId: string;
  stackId?: string;
  status: 'CURRENT' | 'OUTDATED' | 'INOPERABLE';
  detailedStatus: 'SUCCEEDED' | 'FAILED' | 'INOPERABLE';
  statusReason?: string;
  lastOperationId: string;
}

export interface StackSetOperationResult {
  account: string;
  region: string;
  organizationalUnitId: string;
  status: 'SUCCEEDED' | 'FAILED';
  statusReason?: string;
}

export interface StackSetOperationRecord {
  operationId: string;
  action: 'CREATE' | 'DELETE' | 'UPDATE';
  status: 'SUCCEEDED' | 'FAILED';
  statusReason?: string;
  retainStacks?: boolean;
  organizationalUnitIds: string[];
  regions: string[];
  creationTimestamp: string;
  endTimestamp: string;
  results: StackSetOperationResult[];
  preferences: OperationPreferences;
}

/** How many failed instances an operation tolerates before it counts as FAILED (AWS default: none). */
export interface OperationPreferences {
  failureToleranceCount?: number;
  failureTolerancePercentage?: number;
}

export interface StackSetRecord {
  stackSetId: string; // name:uuid
  stackSetName: string;
  arn: string;
  ownerAccountId: string;
  region: string;
  status: 'ACTIVE' | 'DELETED';
  description?: string;
  templateBody: string;
  parameters: Array<{ key: string; value: string }>;
  capabilities: string[];
  tags: Array<{ key: string; value: string }>;
  permissionModel: 'SERVICE_MANAGED' | 'SELF_MANAGED';
  managedExecution: boolean;
  /** Preferences of the latest CreateStackInstances; auto-deployment operations use them too. */
  preferences: OperationPreferences;
  autoDeployment: { enabled: boolean; retainStacksOnAccountRemoval: boolean };
  /** Deployment targets: OU (or root) id → regions deployed to. */
  targets: Record<string, string[]>;
  /** `${account}/${region}` → instance. */
  instances: Record<string, StackInstanceRecord>;
  operations: StackSetOperationRecord[];
  createdAt: string;
}

export interface CloudFormationState {
  stacks: Record<string, StackRecord>; // by stack id
  stackSets: Record<string, StackSetRecord>; // by stack set id
}

/** The world's CloudFormation state, created on first use. */
export function cloudFormationState(world: World): CloudFormationState {
  if (!world.cloudformation) {
    const state: CloudFormationState = { stacks: {}, stackSets: {} };
    world.cloudformation = state;
  }
  return world.cloudformation as CloudFormationState;
}

/** A v4-shaped UUID drawn from the world's seeded generator (reproducible per seed). */
export function worldUuid(world: World): string {
  const hex = randomString(worldRandom(world), 32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** The current time as the ISO string the state stores. */
export function nowIso(world: World): string {
  return world.now().toISOString();
}
