/**
 * How a requested sync reaches a worker. `EnqueueSync` is the one seam: for now an
 * in-process runner (one sync per integration at a time in this process); the job
 * queue replaces it with a pg-boss `send` without touching routes or services.
 */
import { ConflictError } from '../../core/errors.js';
import type { Actor } from '../context.js';
import { runIntegrationSync, type SyncDeps } from './sync-service.js';
import type { SyncTrigger } from '../../store/database.js';
import type { SyncProgress, SyncRunResult } from './sync-types.js';

/** A sync to run later: the queued run row already exists under `runId`. */
export interface SyncJob {
  tenantId: string;
  integrationId: string;
  runId: string;
  trigger: SyncTrigger;
  autoApprove: boolean;
  actor?: Actor;
}

export type EnqueueSync = (job: SyncJob) => Promise<void>;

export interface InProcessSyncRunner {
  enqueue: EnqueueSync;
  /** Runs a sync now in this process (the streaming "sync --wait"), under the same one-at-a-time rule. */
  runNow(job: Omit<SyncJob, 'runId'> & { runId?: string; onProgress?: (p: SyncProgress) => void; signal?: AbortSignal }): Promise<SyncRunResult>;
  /** Resolves when every sync started here has finished (shutdown, tests). */
  drain(): Promise<void>;
}

/** An in-process runner; failures are recorded on the run row by runIntegrationSync. */
export function createInProcessSyncRunner(deps: SyncDeps, onUnexpected: (error: unknown) => void = () => undefined): InProcessSyncRunner {
  const inFlight = new Map<string, Promise<unknown>>();
  const claim = (integrationId: string): void => {
    if (inFlight.has(integrationId)) {
      throw new ConflictError('sync_in_progress', 'A sync of this integration is already running; wait for it to finish', {
        details: { integrationId },
      });
    }
  };
  const track = <T>(integrationId: string, work: Promise<T>): Promise<T> => {
    const tracked = work.finally(() => inFlight.delete(integrationId));
    inFlight.set(integrationId, tracked.catch(() => undefined));
    return tracked;
  };
  return {
    async enqueue(job) {
      claim(job.integrationId);
      const { actor, ...rest } = job;
      void track(job.integrationId, runIntegrationSync(deps, { ...rest, ...(actor === undefined ? {} : { actor }) })).catch(onUnexpected);
    },
    runNow(job) {
      claim(job.integrationId);
      const { actor, onProgress, signal, runId, ...rest } = job;
      return track(
        job.integrationId,
        runIntegrationSync(deps, {
          ...rest,
          ...(runId === undefined ? {} : { runId }),
          ...(actor === undefined ? {} : { actor }),
          ...(onProgress === undefined ? {} : { onProgress }),
          ...(signal === undefined ? {} : { signal }),
        }),
      );
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
    },
  };
}
