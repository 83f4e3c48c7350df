/**
 * The realism controller the server consults before each call: should this call be
 * throttled (token bucket or storm), fail (error rate), hang (timeout), and how long
 * should it be delayed? Settings change at runtime through the control API.
 */
import { seededRandom } from '../ids.js';
import type { ThrottleFamily } from '../service.js';
import { applyRealismUpdate, defaultRealismSettings } from './settings.js';
import type { RealismSettings } from './settings.js';
import { TokenBucket } from './token-bucket.js';

export type CallOutcome = { kind: 'proceed' } | { kind: 'throttle' } | { kind: 'fault'; code: 'InternalFailure' | 'ServiceUnavailable' } | { kind: 'timeout'; ms: number };

export interface Realism {
  /** The current settings (a copy). */
  settings(): RealismSettings;
  /** Validates and applies a partial update; throws Error on bad input. */
  update(update: unknown): RealismSettings;
  /** Decides what happens to one call of `family` made by `accountId`. */
  decide(family: ThrottleFamily, accountId: string): CallOutcome;
  /** Milliseconds to delay this response. */
  latencyMs(): number;
}

/** A controller starting from the defaults (all off) plus `initial`. */
export function createRealism(initial?: unknown, clock: () => number = Date.now): Realism {
  let settings = initial === undefined ? defaultRealismSettings() : applyRealismUpdate(defaultRealismSettings(), initial, clock());
  let random = seededRandom(settings.seed);
  const buckets = new Map<string, TokenBucket>();

  const stormHits = (family: ThrottleFamily): boolean => {
    const storm = settings.storm;
    if (!storm) return false;
    if (storm.families !== 'all' && !storm.families.includes(family)) return false;
    const timeLeft = storm.untilMs === undefined || clock() < storm.untilMs;
    const callsLeft = storm.calls === undefined || storm.calls > 0;
    if (!timeLeft || !callsLeft) {
      // With both limits set, whichever runs out first ends the storm.
      settings.storm = null;
      return false;
    }
    if (storm.calls !== undefined) storm.calls -= 1;
    return true;
  };

  const bucketAllows = (family: ThrottleFamily, accountId: string): boolean => {
    if (!settings.throttling.enabled) return true;
    const { rate, burst } = settings.throttling.buckets[family];
    const key = `${family}:${accountId}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate, burst, clock());
      buckets.set(key, bucket);
    }
    return bucket.tryTake(clock());
  };

  return {
    settings: () => structuredClone(settings),
    update(update) {
      const next = applyRealismUpdate(settings, update, clock());
      if (next.seed !== settings.seed) random = seededRandom(next.seed);
      settings = next;
      for (const [key, bucket] of buckets) {
        const family = key.slice(0, key.indexOf(':')) as ThrottleFamily;
        bucket.reconfigure(settings.throttling.buckets[family].rate, settings.throttling.buckets[family].burst);
      }
      return structuredClone(settings);
    },
    decide(family, accountId) {
      if (stormHits(family) || !bucketAllows(family, accountId)) return { kind: 'throttle' };
      const { errorRate, timeoutRate, timeoutMs } = settings.faults;
      if (timeoutRate > 0 && random() < timeoutRate) return { kind: 'timeout', ms: timeoutMs };
      if (errorRate > 0 && random() < errorRate) {
        return { kind: 'fault', code: random() < 0.5 ? 'InternalFailure' : 'ServiceUnavailable' };
      }
      return { kind: 'proceed' };
    },
    latencyMs() {
      const latency = settings.latency;
      switch (latency.distribution) {
        case 'none':
          return 0;
        case 'fixed':
          return latency.ms;
        case 'uniform':
          return latency.minMs + random() * (latency.maxMs - latency.minMs);
        case 'exponential':
          return Math.min(latency.maxMs, -Math.log(1 - random()) * latency.meanMs);
      }
    },
  };
}
