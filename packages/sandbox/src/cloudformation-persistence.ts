/**
 * Saving and restoring CloudFormation state (stacks, StackSets). The state is plain
 * JSON already; what restoring adds is the runtime wiring: StackSets' subscription to
 * organization changes, which a loaded world does not carry.
 */
import { registerPersistenceHook } from './persistence-hooks.js';
import { cloudFormationState, type CloudFormationState } from './cloudformation-state.js';
import { enableStackSetAutoDeployment } from './stacksets-auto-deployment.js';
import type { World } from './world.js';

/** A JSON-able copy of the world's CloudFormation state. */
export function serializeCloudFormationState(world: World): CloudFormationState {
  return structuredClone(cloudFormationState(world));
}

/** Installs saved state into `world` and re-subscribes StackSets auto-deployment; returns the state. */
export function deserializeCloudFormationState(world: World, data: unknown): CloudFormationState {
  const saved = data as Partial<CloudFormationState> | null | undefined;
  const state: CloudFormationState = { stacks: { ...(saved?.stacks ?? {}) }, stackSets: { ...(saved?.stackSets ?? {}) } };
  world.cloudformation = state;
  restoreStackSetWiring(world);
  return state;
}

/** Re-subscribes auto-deployment when the world has stack sets (persistence.ts restores the state itself). */
export function restoreStackSetWiring(world: World): void {
  const state = world.cloudformation as CloudFormationState | undefined;
  if (state && Object.keys(state.stackSets ?? {}).length > 0) enableStackSetAutoDeployment(world);
}

// persistence.ts saves world.cloudformation with the world; this hook only rewires listeners on load.
registerPersistenceHook('cloudformation-stacksets', {
  save: (world) => (world.cloudformation ? { stackSets: true } : undefined),
  load: (world) => restoreStackSetWiring(world),
});
