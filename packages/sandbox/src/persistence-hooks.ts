/**
 * Modules that keep per-world state outside the World object (in WeakMaps) register a
 * hook here so persistence.ts can save that state with the world and restore it. Hook
 * data goes through the same encoder as the world, so Maps, Sets and Dates round-trip.
 */
import type { World } from './world.js';

export interface PersistenceHook {
  /** Returns JSON-able data (Maps, Sets, Dates allowed), or undefined when there is nothing to save. */
  save(world: World): unknown;
  /** Restores what `save` returned into a freshly loaded world. */
  load(world: World, data: unknown): void;
}

const hooks = new Map<string, PersistenceHook>();

/** Registers (or replaces) the hook saved under `name`. */
export function registerPersistenceHook(name: string, hook: PersistenceHook): void {
  hooks.set(name, hook);
}

/** The registered hooks, by name. */
export function persistenceHooks(): ReadonlyMap<string, PersistenceHook> {
  return hooks;
}
