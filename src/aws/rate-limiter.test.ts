import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiterOptions } from './rate-limiter.js';

/** A fake clock: sleeping advances time instantly, so no test waits or depends on timing. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), random: () => 0.5, elapsed: () => t };
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

function limiter(options: Partial<RateLimiterOptions> & { rate: number }) {
  const time = fakeTime();
  return { time, limiter: createRateLimiter({ ...time, ...options }) };
}

describe('createRateLimiter', () => {
  it('spaces calls at the configured rate after the burst', async () => {
    const { time, limiter: l } = limiter({ rate: 10, burst: 1 });
    for (let i = 0; i < 5; i += 1) await l.run(async () => i);
    expect(time.elapsed()).toBeCloseTo(400, 5);
  });

  it.each([
    ['TooManyRequestsException', 400],
    ['ThrottlingException', 400],
    ['Throttling', 400],
    ['SomethingNew', 429],
  ])('halves the rate on %s (HTTP %i), retries, and grows back additively', async (code, status) => {
    const { time, limiter: l } = limiter({ rate: 20, increasePerSecond: 2 });
    let calls = 0;
    const result = await l.run(async () => {
      calls += 1;
      if (calls === 1) throw awsError(code, status);
      return 'done';
    });
    expect(result).toBe('done');
    expect(l.stats()).toMatchObject({ attempts: 2, throttled: 1, failures: 0, lowestRate: 10 });
    const afterRetry = l.stats().rate;
    expect(afterRetry).toBeGreaterThan(10);
    expect(afterRetry).toBeLessThan(10.5);
    // +2 requests/s per second of successes: back at 20 after ~5 s of calls.
    const start = time.elapsed();
    while (l.stats().rate < 20) await l.run(async () => 'ok');
    expect((time.elapsed() - start) / 1000).toBeCloseTo(5, 0);
  });

  it('halves once when a burst of calls sent at the same rate is throttled together', async () => {
    const { limiter: l } = limiter({ rate: 40 });
    let throttleNext = 8;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        l.run(async () => {
          if (throttleNext > 0) {
            throttleNext -= 1;
            throw awsError('TooManyRequestsException', 400);
          }
        }),
      ),
    );
    expect(l.stats().throttled).toBe(8);
    expect(l.stats().lowestRate).toBeGreaterThanOrEqual(10);
  });

  it('gives up after maxThrottleRetries and rethrows the throttling error', async () => {
    const { limiter: l } = limiter({ rate: 5, maxThrottleRetries: 3, minRate: 1 });
    await expect(l.run(async () => Promise.reject(awsError('TooManyRequestsException', 400)))).rejects.toThrow('TooManyRequestsException');
    // Each retry was sent at the already-halved rate and throttled again: 5 → 2.5 → 1.25 → 1 (the floor).
    expect(l.stats()).toMatchObject({ attempts: 4, throttled: 4, failures: 1, lowestRate: 1 });
  });

  it.each([
    { code: 'InternalFailure', status: 500, attempts: 3 },
    { code: 'ServiceUnavailable', status: 503, attempts: 3 },
    { code: 'AccessDeniedException', status: 400, attempts: 1 },
    { code: 'InvalidInputException', status: 400, attempts: 1 },
  ])('retries $code only if transient', async ({ code, status, attempts }) => {
    const { limiter: l } = limiter({ rate: 5, maxTransientRetries: 2 });
    await expect(l.run(async () => Promise.reject(awsError(code, status)))).rejects.toThrow(code);
    expect(l.stats().attempts).toBe(attempts);
    expect(l.stats().rate).toBe(5);
  });
});
