/**
 * Call counters per `service:Operation` (service = SigV4 signing name), for benchmarks
 * and tests that assert how many calls a client made and how many were throttled.
 */
export interface OperationCounter {
  calls: number;
  throttled: number;
  faulted: number;
  /** Calls answered with any error (auth, validation, throttling, faults…). */
  errors: number;
}

export interface CallCounters {
  /** Records one call and what became of it. */
  record(key: string, outcome: 'ok' | 'error' | 'throttled' | 'faulted'): void;
  /** A copy of every counter, plus totals. */
  snapshot(): { operations: Record<string, OperationCounter>; totals: OperationCounter };
  reset(): void;
}

/** An empty set of counters. */
export function createCallCounters(): CallCounters {
  let counters = new Map<string, OperationCounter>();
  return {
    record(key, outcome) {
      let counter = counters.get(key);
      if (!counter) {
        counter = { calls: 0, throttled: 0, faulted: 0, errors: 0 };
        counters.set(key, counter);
      }
      counter.calls += 1;
      if (outcome !== 'ok') counter.errors += 1;
      if (outcome === 'throttled') counter.throttled += 1;
      if (outcome === 'faulted') counter.faulted += 1;
    },
    snapshot() {
      const operations: Record<string, OperationCounter> = {};
      const totals: OperationCounter = { calls: 0, throttled: 0, faulted: 0, errors: 0 };
      for (const [key, counter] of [...counters].sort((a, b) => a[0].localeCompare(b[0]))) {
        operations[key] = { ...counter };
        totals.calls += counter.calls;
        totals.throttled += counter.throttled;
        totals.faulted += counter.faulted;
        totals.errors += counter.errors;
      }
      return { operations, totals };
    },
    reset() {
      counters = new Map();
    },
  };
}
