/**
 * The job runtime's default timings, in one place: the queue, the sync worker and the
 * scheduler fall back to them, and the config schema (`jobs.*`) offers them as its defaults,
 * so a process started from config and one started in code behave the same.
 */

/** Default job timings (seconds unless the name says otherwise). */
export const JOB_DEFAULTS = {
  /** Syncs one process runs at once. */
  concurrency: 2,
  /** Seconds between reconcile-scheduler ticks. */
  tickSeconds: 30,
  /** A sync job still active after this long belongs to a dead worker: failed and retried. */
  expireSeconds: 900,
  /** Wait before retrying a failed or expired job. */
  retryDelaySeconds: 30,
  /** Retries of a failed or expired job. */
  retryLimit: 3,
  /** How often a process may run pg-boss maintenance (which expires jobs). */
  maintenanceSeconds: 60,
  /** How often an idle worker looks for a job. */
  pollSeconds: 2,
  /** On a graceful stop, how long running syncs may take to finish. */
  shutdownTimeoutSeconds: 30,
} as const;
