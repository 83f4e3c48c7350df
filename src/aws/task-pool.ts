/**
 * Bounded concurrency for AWS work: a queue of tasks where each task may add more (the
 * walker's breadth-first frontier), and a concurrency-limited map (the prober).
 */

/**
 * Runs tasks with at most `concurrency` at once; a task's result is appended to the queue
 * (FIFO, so a tree is walked breadth-first). `run` must not reject: failures are its to record.
 */
export async function runTaskQueue<T>(initial: readonly T[], concurrency: number, run: (task: T) => Promise<T[]>): Promise<void> {
  const queue = [...initial];
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (active < concurrency && queue.length > 0) {
        const task = queue.shift() as T;
        active += 1;
        run(task).then(
          (more) => {
            active -= 1;
            queue.push(...more);
            pump();
          },
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    pump();
  });
}

/** Maps items with at most `concurrency` calls in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
