/**
 * The realism controls' shape, their AWS-like default profile, and validation of the
 * partial updates the control API and createSandboxServer accept. Everything is off by
 * default (tests and benchmarks want a fast, deterministic sandbox); turning throttling
 * on uses AWS_LIKE_THROTTLE_PROFILE unless rates are given.
 */
import type { ThrottleFamily } from '../service.js';

export const THROTTLE_FAMILIES: readonly ThrottleFamily[] = ['organizations', 'sts', 'iam', 'cloudformation', 'identitycenter'];

export interface BucketSettings {
  /** Sustained requests per second. */
  rate: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  burst: number;
}

export type LatencySettings =
  | { distribution: 'none' }
  | { distribution: 'fixed'; ms: number }
  | { distribution: 'uniform'; minMs: number; maxMs: number }
  /** Exponential with the given mean, capped at maxMs: a long-tailed, AWS-looking spread. */
  | { distribution: 'exponential'; meanMs: number; maxMs: number };

export interface FaultSettings {
  /** Share of calls (0..1) answered with InternalFailure (500) or ServiceUnavailable (503). */
  errorRate: number;
  /** Share of calls (0..1) held for timeoutMs and then answered 504 RequestTimeout. */
  timeoutRate: number;
  timeoutMs: number;
}

/** A throttling storm: every call of the chosen families is throttled until it ends. */
export interface StormSettings {
  families: ThrottleFamily[] | 'all';
  /** Real-clock epoch ms at which the storm ends (set from `seconds` on update). */
  untilMs?: number;
  /** Calls still to throttle. */
  calls?: number;
}

export interface RealismSettings {
  throttling: { enabled: boolean; buckets: Record<ThrottleFamily, BucketSettings> };
  latency: LatencySettings;
  faults: FaultSettings;
  storm: StormSettings | null;
  /** Seed for latency draws and fault decisions, so a run can be replayed. */
  seed: number;
}

/**
 * AWS-like defaults, per family and per calling account. Organizations publishes no TPS
 * but throttles around a few calls per second (see docs/aws-facts); STS documents 600
 * requests per second per account; Identity Center documents 20 TPS collective.
 */
export const AWS_LIKE_THROTTLE_PROFILE: Readonly<Record<ThrottleFamily, BucketSettings>> = {
  organizations: { rate: 5, burst: 10 },
  sts: { rate: 600, burst: 600 },
  iam: { rate: 20, burst: 40 },
  cloudformation: { rate: 10, burst: 20 },
  identitycenter: { rate: 20, burst: 20 },
};

/** The settings a sandbox starts with when given none: all realism off. */
export function defaultRealismSettings(): RealismSettings {
  return {
    throttling: { enabled: false, buckets: structuredClone({ ...AWS_LIKE_THROTTLE_PROFILE }) },
    latency: { distribution: 'none' },
    faults: { errorRate: 0, timeoutRate: 0, timeoutMs: 30_000 },
    storm: null,
    seed: 1,
  };
}

/** What callers may send: any subset; a storm may be given in seconds or calls. */
export interface RealismUpdate {
  throttling?: { enabled?: boolean; buckets?: Partial<Record<ThrottleFamily, Partial<BucketSettings>>> };
  latency?: LatencySettings;
  faults?: Partial<FaultSettings>;
  storm?: { families?: ThrottleFamily[] | 'all'; seconds?: number; calls?: number } | null;
  seed?: number;
}

/** Applies a validated update; throws Error with a readable message on bad input. */
export function applyRealismUpdate(current: RealismSettings, update: unknown, realNow = Date.now()): RealismSettings {
  if (!isObject(update)) throw new Error('realism settings must be a JSON object');
  const next = structuredClone(current);
  const u = update as RealismUpdate;
  if (u.throttling !== undefined) {
    if (!isObject(u.throttling)) throw new Error('throttling must be an object');
    if (u.throttling.enabled !== undefined) next.throttling.enabled = bool(u.throttling.enabled, 'throttling.enabled');
    for (const [family, bucket] of Object.entries(u.throttling.buckets ?? {})) {
      const existing = next.throttling.buckets[family as ThrottleFamily];
      if (!existing || !isObject(bucket)) throw new Error(`unknown throttle family: ${family}`);
      if (bucket.rate !== undefined) existing.rate = num(bucket.rate, `buckets.${family}.rate`, 0.001, 1e6);
      if (bucket.burst !== undefined) existing.burst = num(bucket.burst, `buckets.${family}.burst`, 1, 1e6);
    }
  }
  if (u.latency !== undefined) next.latency = latency(u.latency);
  if (u.faults !== undefined) {
    if (!isObject(u.faults)) throw new Error('faults must be an object');
    if (u.faults.errorRate !== undefined) next.faults.errorRate = num(u.faults.errorRate, 'faults.errorRate', 0, 1);
    if (u.faults.timeoutRate !== undefined) next.faults.timeoutRate = num(u.faults.timeoutRate, 'faults.timeoutRate', 0, 1);
    if (u.faults.timeoutMs !== undefined) next.faults.timeoutMs = num(u.faults.timeoutMs, 'faults.timeoutMs', 0, 600_000);
  }
  if (u.storm !== undefined) next.storm = storm(u.storm, realNow);
  if (u.seed !== undefined) next.seed = num(u.seed, 'seed', 0, 2 ** 32);
  return next;
}

function latency(value: unknown): LatencySettings {
  if (!isObject(value)) throw new Error('latency must be an object');
  switch (value.distribution) {
    case 'none':
      return { distribution: 'none' };
    case 'fixed':
      return { distribution: 'fixed', ms: num(value.ms, 'latency.ms', 0, 60_000) };
    case 'uniform': {
      const minMs = num(value.minMs, 'latency.minMs', 0, 60_000);
      const maxMs = num(value.maxMs, 'latency.maxMs', minMs, 60_000);
      return { distribution: 'uniform', minMs, maxMs };
    }
    case 'exponential':
      return { distribution: 'exponential', meanMs: num(value.meanMs, 'latency.meanMs', 0, 60_000), maxMs: num(value.maxMs ?? 60_000, 'latency.maxMs', 0, 60_000) };
    default:
      throw new Error("latency.distribution must be 'none', 'fixed', 'uniform' or 'exponential'");
  }
}

function storm(value: unknown, realNow: number): StormSettings | null {
  if (value === null) return null;
  if (!isObject(value)) throw new Error('storm must be an object or null');
  const families = value.families ?? 'all';
  if (families !== 'all' && (!Array.isArray(families) || !families.every((f) => THROTTLE_FAMILIES.includes(f as ThrottleFamily)))) {
    throw new Error(`storm.families must be 'all' or a list of ${THROTTLE_FAMILIES.join(', ')}`);
  }
  if (value.seconds === undefined && value.calls === undefined) throw new Error('storm needs seconds or calls');
  const result: StormSettings = { families: families as StormSettings['families'] };
  if (value.seconds !== undefined) result.untilMs = realNow + num(value.seconds, 'storm.seconds', 0, 86_400) * 1000;
  if (value.calls !== undefined) result.calls = Math.floor(num(value.calls, 'storm.calls', 0, 1e9));
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number between ${min} and ${max}`);
  }
  return value;
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${name} must be true or false`);
  return value;
}
