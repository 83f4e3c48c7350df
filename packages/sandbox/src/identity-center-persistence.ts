/**
 * Saving and restoring Identity Center state. It is plain JSON (ISO dates, records), so
 * both directions are structural copies; settings missing from older files get defaults.
 */
import { identityCenterState, type IdentityCenterState } from './identity-center-state.js';
import type { World } from './world.js';

/** A JSON-able copy of the world's Identity Center state. */
export function serializeIdentityCenterState(world: World): IdentityCenterState {
  return structuredClone(identityCenterState(world));
}

/** Installs saved state into `world`; returns the state. */
export function deserializeIdentityCenterState(world: World, data: unknown): IdentityCenterState {
  world.identityCenter = undefined;
  const state = identityCenterState(world);
  const saved = data as Partial<IdentityCenterState> | null | undefined;
  state.instances = { ...(saved?.instances ?? {}) };
  Object.assign(state.settings, saved?.settings ?? {});
  return state;
}
