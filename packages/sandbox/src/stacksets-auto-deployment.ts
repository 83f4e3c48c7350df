/**
 * Automatic deployment for service-managed StackSets: reacting to organization changes
 * (WorldEvents) the way AWS does. An account that joins or moves under a target OU gets
 * the stack set's stacks in the target regions; one that leaves the targets or the
 * organization loses them, unless RetainStacksOnAccountRemoval keeps the stacks (detached).
 */
import { cloudFormationState, type StackSetRecord } from './cloudformation-state.js';
import { deployInstance, isUnder, recordOperation, removeInstance } from './stacksets.js';
import type { Organization, World, WorldEvent } from './world.js';

const subscribed = new WeakSet<World>();

/** Target OUs above `parentId`, with the regions each one deploys to. */
function targetsAbove(org: Organization, stackSet: StackSetRecord, parentId: string | null): Array<[string, string[]]> {
  if (parentId === null) return [];
  return Object.entries(stackSet.targets).filter(([ouId]) => isUnder(org, parentId, ouId));
}

function autoDeployedStackSets(world: World): StackSetRecord[] {
  return Object.values(cloudFormationState(world).stackSets).filter((s) => s.status === 'ACTIVE' && s.autoDeployment.enabled);
}

function deployTo(world: World, org: Organization, accountId: string, parentId: string): void {
  const account = world.accounts.get(accountId);
  if (accountId === org.managementAccountId || account?.state !== 'ACTIVE') return;
  for (const stackSet of autoDeployedStackSets(world)) {
    const targets = targetsAbove(org, stackSet, parentId);
    if (targets.length === 0) continue;
    const ouIds = targets.map(([ouId]) => ouId);
    const regions = [...new Set(targets.flatMap(([, r]) => r))];
    recordOperation(world, stackSet, 'CREATE', ouIds, regions, (operation) => {
      for (const [ouId, ouRegions] of targets) {
        for (const region of ouRegions) deployInstance(world, stackSet, operation, accountId, region, ouId);
      }
    });
  }
}

/** Removes the account's instances whose region is no longer targeted for its new place (all of them when `parentId` is null). */
function removeFrom(world: World, org: Organization | null, accountId: string, parentId: string | null): void {
  for (const stackSet of autoDeployedStackSets(world)) {
    const stillTargeted = new Set(org ? targetsAbove(org, stackSet, parentId).flatMap(([, r]) => r) : []);
    const leaving = Object.values(stackSet.instances).filter((i) => i.account === accountId && !stillTargeted.has(i.region));
    if (leaving.length === 0) continue;
    const ouIds = [...new Set(leaving.map((i) => i.organizationalUnitId))];
    const regions = [...new Set(leaving.map((i) => i.region))];
    recordOperation(world, stackSet, 'DELETE', ouIds, regions, (operation) => {
      operation.retainStacks = stackSet.autoDeployment.retainStacksOnAccountRemoval;
      for (const instance of leaving) removeInstance(world, stackSet, operation, instance, stackSet.autoDeployment.retainStacksOnAccountRemoval);
    });
  }
}

/** Instances that stay after a move now belong to the target OU above the account's new place. */
function retarget(world: World, org: Organization, accountId: string, parentId: string): void {
  for (const stackSet of autoDeployedStackSets(world)) {
    const targets = targetsAbove(org, stackSet, parentId);
    for (const instance of Object.values(stackSet.instances)) {
      if (instance.account !== accountId) continue;
      const target = targets.find(([, regions]) => regions.includes(instance.region));
      if (target) instance.organizationalUnitId = target[0];
    }
  }
}

/** Applies one organization change to every auto-deployed stack set. */
export function handleWorldEvent(world: World, event: WorldEvent): void {
  const org = world.organization;
  switch (event.type) {
    case 'account-joined':
      if (org) deployTo(world, org, event.accountId, event.parentId);
      break;
    case 'account-moved':
      removeFrom(world, org, event.accountId, event.toParentId);
      if (org) {
        retarget(world, org, event.accountId, event.toParentId);
        deployTo(world, org, event.accountId, event.toParentId);
      }
      break;
    case 'account-removed':
      removeFrom(world, null, event.accountId, null);
      break;
    case 'account-state-changed':
      // AWS leaves instances of suspended or closed accounts in place (they become inoperable).
      break;
  }
}

/** Subscribes the world's StackSets to organization changes, once per world. */
export function enableStackSetAutoDeployment(world: World): void {
  if (subscribed.has(world)) return;
  subscribed.add(world);
  world.listeners.push((event) => handleWorldEvent(world, event));
}
