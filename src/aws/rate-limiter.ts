/**
 * Client-side adaptive rate limiting, shared by every call of one walk: a token bucket
 * whose rate halves when AWS throttles (TooManyRequestsException, ThrottlingException,
 * Throttling…) and grows back additively on each success, up to the configured rate.
 * Throttled calls are retried with exponential backoff and full jitter, transient
 * failures (5xx, timeouts) a few times, so throttling slows a run instead of failing it.
 *
 * Attach it to SDK clients built with `maxAttempts: 1` (aws-clients.ts does this), so this
 * is the only retry layer: the SDK's own retries would hide throttling from the bucket.
 */
import type { InitializeHandler, InitializeMiddleware, MetadataBearer } from '@smithy/types';
import { isThrottlingError, isTransientError } from './aws-error-info.js';

export interface RateLimiterOptions {
  /** Requests per second at the start, and the ceiling additive increase climbs back to. */
  rate: number;
  /** Requests that may start at once after a quiet period (default: the rate, at least 1). */
  burst?: number;
  /** Floor the rate never halves below (default rate ÷ 64, at least 0.1/s). */
  minRate?: number;
  /**
   * Additive increase, in requests/s gained per second of successful calls (default rate ÷ 10:
   * from half back to full in ~5 s). Time-based, not per call, so a fast run does not climb faster.
   */
  increasePerSecond?: number;
  /** Retries of a throttled call before giving up (default 30: minutes of backoff at the 5 s cap, so a storm slows a run, not fails it). */
  maxThrottleRetries?: number;
  /** Retries of a transient failure (5xx, timeout, reset) before giving up (default 3). */
  maxTransientRetries?: number;
  /** First backoff ceiling; it doubles per retry up to maxDelayMs (defaults 100 and 5,000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests: milliseconds clock, sleep and [0,1) random. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface RateLimiterStats {
  /** Attempts made (first tries and retries). */
  attempts: number;
  throttled: number;
  transientFailures: number;
  /** Calls that failed for good after their retries. */
  failures: number;
  /** Current rate (requests per second) and the lowest it fell to. */
  rate: number;
  lowestRate: number;
}

/** A shared limiter: `run` one call through it, or `attach` it to an SDK client. */
export interface RateLimiter {
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Routes every command of the client (paginators included) through `run`. */
  attach<I extends object, O extends MetadataBearer>(client: AttachableClient<I, O>): void;
  stats(): RateLimiterStats;
}

/** The part of an SDK v3 client the limiter needs. */
export interface AttachableClient<I extends object, O extends MetadataBearer> {
  middlewareStack: {
    add(
      middleware: InitializeMiddleware<I, O>,
      options: { step: 'initialize'; name: string; priority: 'high'; override: boolean },
    ): void;
  };
}

const MIDDLEWARE_NAME = 'orglinkRateLimiter';

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a limiter; give one to everything that shares an AWS throttling budget. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const ceiling = options.rate;
  if (!(ceiling > 0)) throw new RangeError('rate must be positive');
  const burst = options.burst ?? Math.max(1, ceiling);
  const minRate = Math.min(options.minRate ?? Math.max(0.1, ceiling / 64), ceiling);
  const increasePerSecond = options.increasePerSecond ?? ceiling / 10;
  const maxThrottleRetries = options.maxThrottleRetries ?? 30;
  const maxTransientRetries = options.maxTransientRetries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;

  let rate = ceiling;
  let lowestRate = ceiling;
  let tokens = burst;
  let lastRefill = now();
  let lastDecrease = -Infinity;
  let lastIncrease = now();
  const counts = { attempts: 0, throttled: 0, transientFailures: 0, failures: 0 };

  /**
   * Takes a token, waiting until one is there. Waiters re-check after each sleep instead of
   * reserving a slot at today's rate, so a rate that recovers helps those already waiting.
   */
  async function acquire(): Promise<void> {
    for (;;) {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - lastRefill) / 1000) * rate);
      lastRefill = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      // At least 1 ms: a float shortfall like 1e-12 tokens must not become a busy loop.
      await sleep(Math.max(1, ((1 - tokens) / rate) * 1000));
    }
  }

  function onThrottled(sentAt: number): void {
    counts.throttled += 1;
    const t = now();
    // Calls sent before the last decrease were sent at the old rate: their throttling is already
    // accounted for. Halve only for a call sent at the current rate, so one burst halves once.
    if (sentAt <= lastDecrease) return;
    lastDecrease = t;
    rate = Math.max(minRate, rate / 2);
    lowestRate = Math.min(lowestRate, rate);
    tokens = Math.min(tokens, 0);
    lastIncrease = t;
  }

  function onSuccess(): void {
    const t = now();
    if (rate < ceiling) rate = Math.min(ceiling, rate + (increasePerSecond * (t - lastIncrease)) / 1000);
    lastIncrease = t;
  }

  function backoff(retry: number): number {
    return random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  }

  async function run<T>(call: () => Promise<T>): Promise<T> {
    let throttleRetries = 0;
    let transientRetries = 0;
    for (;;) {
      await acquire();
      counts.attempts += 1;
      const sentAt = now();
      try {
        const result = await call();
        onSuccess();
        return result;
      } catch (error) {
        if (isThrottlingError(error) && throttleRetries < maxThrottleRetries) {
          onThrottled(sentAt);
          await sleep(backoff(throttleRetries));
          throttleRetries += 1;
          continue;
        }
        if (isTransientError(error) && transientRetries < maxTransientRetries) {
          counts.transientFailures += 1;
          await sleep(backoff(transientRetries));
          transientRetries += 1;
          continue;
        }
        if (isThrottlingError(error)) counts.throttled += 1;
        counts.failures += 1;
        throw error;
      }
    }
  }

  return {
    run,
    attach<I extends object, O extends MetadataBearer>(client: AttachableClient<I, O>): void {
      const middleware: InitializeMiddleware<I, O> = (next: InitializeHandler<I, O>) => (args) => run(() => next(args));
      client.middlewareStack.add(middleware, { step: 'initialize', name: MIDDLEWARE_NAME, priority: 'high', override: true });
    },
    stats: () => ({ ...counts, rate, lowestRate }),
  };
}
