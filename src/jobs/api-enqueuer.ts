/**
 * The API's `EnqueueSync` seam (src/services/sync/sync-queue.ts) backed by the job queue:
 * the route has already inserted the `queued` run row; this sends its job. A request for
 * an integration that already has a waiting job joins it, and the route's row is marked
 * superseded (error code sync_joined_waiting_run, naming the run that does the work).
 */
import type { EnqueueSync } from '../services/sync/sync-queue.js';
import type { JobRuntime } from './job-runtime.js';

/** EnqueueSync for the sync routes: `registerSyncRoutes(app, context, { ..., enqueueSync: queueEnqueueSync(jobs) })`. */
export function queueEnqueueSync(jobs: Pick<JobRuntime, 'enqueueSync'>): EnqueueSync {
  return async (job) => {
    await jobs.enqueueSync({
      tenantId: job.tenantId,
      integrationId: job.integrationId,
      trigger: job.trigger,
      runId: job.runId,
      runExists: true,
      autoApprove: job.autoApprove,
      ...(job.actor === undefined ? {} : { actor: job.actor }),
    });
  };
}
