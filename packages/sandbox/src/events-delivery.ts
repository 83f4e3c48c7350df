/**
 * Best-effort HTTP delivery of sandbox events to configured targets, as an EventBridge
 * rule with an API destination would: each event is POSTed as JSON, in order per target,
 * after the API call that caused it has answered. Failures are counted, never retried,
 * and never reach the caller.
 */
import type { SandboxEvent } from './events.js';
import type { World } from './world.js';

export interface EventTarget {
  url: string;
  headers?: Record<string, string>;
}

export interface DeliveryStats {
  delivered: number;
  failed: number;
  lastError?: string;
}

interface EventHub {
  targets: EventTarget[];
  log: SandboxEvent[];
  logLimit: number;
  /** The tail of each target's delivery chain, so events arrive in order. */
  chains: Map<string, Promise<void>>;
  stats: DeliveryStats;
  timeoutMs: number;
}

const hubs = new WeakMap<World, EventHub>();

/** The world's event hub, created on first use. */
export function eventHub(world: World): EventHub {
  let hub = hubs.get(world);
  if (!hub) {
    hub = { targets: [], log: [], logLimit: 1000, chains: new Map(), stats: { delivered: 0, failed: 0 }, timeoutMs: 5000 };
    hubs.set(world, hub);
  }
  return hub;
}

/** Replaces the HTTP targets events are POSTed to. */
export function setEventTargets(world: World, targets: EventTarget[]): void {
  for (const target of targets) {
    const url = new URL(target.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`event target must be http(s): ${target.url}`);
  }
  eventHub(world).targets = targets.map((target) => ({ url: target.url, ...(target.headers ? { headers: { ...target.headers } } : {}) }));
}

/** The configured targets. */
export function eventTargets(world: World): EventTarget[] {
  return eventHub(world).targets.map((target) => ({ ...target }));
}

/** Delivery counters since the world was created. */
export function eventDeliveryStats(world: World): DeliveryStats {
  return { ...eventHub(world).stats };
}

async function post(hub: EventHub, target: EventTarget, event: SandboxEvent): Promise<void> {
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(hub.timeoutMs),
    });
    await response.arrayBuffer();
    if (response.ok) hub.stats.delivered++;
    else {
      hub.stats.failed++;
      hub.stats.lastError = `${target.url} answered ${response.status}`;
    }
  } catch (error) {
    hub.stats.failed++;
    hub.stats.lastError = `${target.url}: ${(error as Error).message}`;
  }
}

/** Queues an event for every target; returns at once. */
export function deliverEvent(world: World, event: SandboxEvent): void {
  const hub = eventHub(world);
  for (const target of hub.targets) {
    const previous = hub.chains.get(target.url) ?? Promise.resolve();
    // setImmediate first, so delivery never starts inside the API call that caused it.
    const next = previous.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => post(hub, target, event));
    hub.chains.set(target.url, next);
  }
}

/** Resolves once every queued delivery has been attempted (for tests and shutdown). */
export async function flushEventDeliveries(world: World): Promise<void> {
  const hub = eventHub(world);
  let pending = [...hub.chains.values()];
  while (pending.length > 0) {
    await Promise.all(pending);
    const now = [...hub.chains.values()];
    pending = now.filter((chain) => !pending.includes(chain));
  }
}
