/**
 * Saving a world to a JSON file and loading it back. Maps, Sets and Dates are written
 * as tagged values so they round-trip exactly; module state outside the World object
 * (Organizations' side state, for one) goes through the persistence hook registry.
 * Listeners and the clock are runtime wiring, not state: a loaded world gets fresh ones.
 */
import { randomInt } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
// Modules whose hooks must be registered before any load: their side state or runtime wiring.
import './cloudformation-persistence.js';
import './organization-state-extras.js';
import { persistenceHooks } from './persistence-hooks.js';
import { createWorld } from './world-factory.js';
import type { World } from './world.js';

export const WORLD_FILE_FORMAT = 'orglink-sandbox-world';
export const WORLD_FILE_VERSION = 1;

const TAG = '$sandboxType';

/** Turns Maps, Sets and Dates into tagged plain values, recursively. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return { [TAG]: 'Date', value: value.toISOString() };
  if (value instanceof Map) return { [TAG]: 'Map', value: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  if (value instanceof Set) return { [TAG]: 'Set', value: [...value].map(encodeValue) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined && typeof inner !== 'function') out[key] = encodeValue(inner);
    }
    // A plain object that happens to use the tag key is wrapped so decoding cannot mistake it.
    return TAG in out ? { [TAG]: 'Object', value: out } : out;
  }
  return value;
}

/** Reverses encodeValue. */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  switch (record[TAG]) {
    case 'Date':
      return new Date(record.value as string);
    case 'Map':
      return new Map((record.value as Array<[unknown, unknown]>).map(([k, v]) => [decodeValue(k), decodeValue(v)]));
    case 'Set':
      return new Set((record.value as unknown[]).map(decodeValue));
    case 'Object': {
      const inner = record.value as Record<string, unknown>;
      return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, decodeValue(v)]));
    }
    default:
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeValue(v)]));
  }
}

export interface WorldFile {
  format: typeof WORLD_FILE_FORMAT;
  version: number;
  savedAt: string;
  world: unknown;
  hooks: Record<string, unknown>;
  /** Caller data saved alongside (startSandbox keeps the generated identities here). */
  meta?: unknown;
}

/** The world (and hook state) as one JSON-able document. */
export function serializeWorld(world: World, meta?: unknown): WorldFile {
  const hooks: Record<string, unknown> = {};
  for (const [name, hook] of persistenceHooks()) {
    const data = hook.save(world);
    if (data !== undefined) hooks[name] = encodeValue(data);
  }
  const { partition, defaultRegion, accounts, organization, iam, credentials, cloudformation, identityCenter } = world;
  return {
    format: WORLD_FILE_FORMAT,
    version: WORLD_FILE_VERSION,
    savedAt: world.now().toISOString(),
    world: encodeValue({ partition, defaultRegion, accounts, organization, iam, credentials, cloudformation, identityCenter }),
    hooks,
    ...(meta === undefined ? {} : { meta: encodeValue(meta) }),
  };
}

/** Rebuilds a world from serializeWorld's output; `now` defaults to the real clock. */
export function deserializeWorld(file: unknown, options: { now?: () => Date } = {}): { world: World; meta: unknown } {
  const doc = file as Partial<WorldFile> | null;
  if (!doc || doc.format !== WORLD_FILE_FORMAT) throw new Error(`not a sandbox world file (format should be ${WORLD_FILE_FORMAT})`);
  if (doc.version !== WORLD_FILE_VERSION) throw new Error(`unsupported sandbox world file version ${String(doc.version)}`);
  // A fresh random seed: replaying the original seed would re-issue ids the saved world already uses.
  const world = createWorld({ seed: randomInt(1, 2 ** 31), ...(options.now ? { now: options.now } : {}) });
  const saved = decodeValue(doc.world) as Pick<World, 'partition' | 'defaultRegion' | 'accounts' | 'organization' | 'iam' | 'credentials' | 'cloudformation' | 'identityCenter'>;
  Object.assign(world, {
    partition: saved.partition,
    defaultRegion: saved.defaultRegion,
    accounts: saved.accounts,
    organization: saved.organization ?? null,
    iam: saved.iam,
    credentials: saved.credentials,
    cloudformation: saved.cloudformation,
    identityCenter: saved.identityCenter,
  });
  const hooks = persistenceHooks();
  for (const [name, data] of Object.entries(doc.hooks ?? {})) hooks.get(name)?.load(world, decodeValue(data));
  return { world, meta: doc.meta === undefined ? undefined : decodeValue(doc.meta) };
}

/** Writes the world to `path` atomically (temp file, then rename). */
export async function saveWorld(world: World, path: string, meta?: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(serializeWorld(world, meta)));
  await rename(temp, path);
}

/** Reads a world saved by saveWorld. */
export async function loadWorld(path: string, options: { now?: () => Date } = {}): Promise<{ world: World; meta: unknown }> {
  const text = await readFile(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return deserializeWorld(parsed, options);
}
