/**
 * The periodic full reconcile. Every tick (default 30 s) reads each integration's last
 * sync and interval (integrations.sync_interval_seconds, else sync.intervalSeconds) and
 * queues a `schedule` sync of those that are due and have no job waiting or running.
 *
 * Several schedulers may run (one per `orglink worker --scheduler`, plus `serve`): a
 * duplicate send for an integration with a waiting job joins that job (stately policy),
 * and once a sync finished its last_synced_at makes the integration not due anymore. At
 * worst two schedulers racing within milliseconds queue one extra sync, never two at once.
 */
import { pruneIntegrationEvents } from '../services/events/prune-events.js';
import { sql } from 'kysely';
import { finishRun } from '../services/sync/sync-runs.js';
import { type ScheduleCandidate, selectDueIntegrations } from './due-integrations.js';
import { JOB_DEFAULTS } from './job-defaults.js';
import { JOBS_SCHEMA, type JobQueue, SYNC_QUEUE } from './queue.js';
import { type EnqueuedSync, enqueueSync } from './sync-jobs.js';

export interface ReconcileSchedulerOptions {
  queue: JobQueue;
  /** sync.intervalSeconds: the interval of integrations without their own; 0 = only those with their own. */
  defaultIntervalSeconds: number;
  /** Seconds between ticks (default 30). */
  tickSeconds?: number;
  /** At most this many integrations queued per tick (default 100). */
  limitPerTick?: number;
  clock?: () => Date;
  /** Called after each tick (tests, metrics). */
  onTick?: (result: SchedulerTickResult) => void;
}

export interface SchedulerTickResult {
  at: Date;
  queued: Array<{ integrationId: string } & EnqueuedSync>;
  /** Runs closed as failed because their job failed for good (see closeRunsOfFailedJobs). */
  closedRuns: string[];
  /** Event idempotency records pruned: older than any redelivery EventBridge makes. */
  prunedEvents: number;
}

export interface ReconcileScheduler {
  /** Runs one tick now (also what the timer runs). Ticks never overlap. */
  tick(): Promise<SchedulerTickResult>;
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
}

/** Integration ids with a sync job waiting or running. */
export async function busyIntegrations(queue: JobQueue): Promise<Set<string>> {
  const { rows } = await sql<{ key: string }>`
    SELECT DISTINCT singleton_key AS key FROM ${sql.table(`${JOBS_SCHEMA}.job`)}
    WHERE name = ${SYNC_QUEUE} AND state IN ('created', 'retry', 'active') AND singleton_key IS NOT NULL`.execute(queue.store.db);
  return new Set(rows.map((row) => row.key));
}

/** Every integration's schedule inputs. */
export async function scheduleCandidates(queue: JobQueue): Promise<ScheduleCandidate[]> {
  const rows = await queue.store.db
    .selectFrom('integrations')
    .select(['id', 'tenant_id', 'last_synced_at', 'sync_interval_seconds'])
    .where('kind', '=', 'aws_organization')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    lastSyncedAt: row.last_synced_at === null ? null : new Date(row.last_synced_at),
    intervalSeconds: row.sync_interval_seconds,
  }));
}

/**
 * Closes the runs whose job failed for good: a worker that died on every attempt (or threw
 * each time) never got to record an outcome, and its run would show `running` forever.
 * Marked failed with code `sync_job_failed`, and the integration's last sync with it.
 */
export async function closeRunsOfFailedJobs(queue: JobQueue, now: Date): Promise<string[]> {
  const db = queue.store.db;
  const { rows } = await sql<{ id: string; integration_id: string; output: unknown }>`
    SELECT r.id, r.integration_id, j.output FROM sync_runs r
    JOIN ${sql.table(`${JOBS_SCHEMA}.job`)} j ON j.name = ${SYNC_QUEUE} AND j.state = 'failed' AND j.data->>'runId' = r.id
    WHERE r.status IN ('queued', 'running')`.execute(db);
  for (const row of rows) {
    await finishRun(db, { id: row.id, integrationId: row.integration_id }, {
      status: 'failed',
      summary: null,
      error: { code: 'sync_job_failed', message: 'The sync job failed on every attempt (its worker died or could not finish)', details: { lastError: row.output } },
      plan: null,
      now,
    });
  }
  return rows.map((row) => row.id);
}

/** One tick: close runs of dead jobs, then queue every due integration that has nothing waiting or running. */
export async function runSchedulerTick(options: ReconcileSchedulerOptions): Promise<SchedulerTickResult> {
  const at = (options.clock ?? (() => new Date()))();
  const closedRuns = await closeRunsOfFailedJobs(options.queue, at);
  const prunedEvents = await pruneIntegrationEvents(options.queue.store.db, at);
  if (closedRuns.length > 0) options.queue.logger.warn({ runIds: closedRuns }, 'runs of failed sync jobs closed as failed');
  const [candidates, busy] = await Promise.all([scheduleCandidates(options.queue), busyIntegrations(options.queue)]);
  const due = selectDueIntegrations(candidates, {
    now: at,
    defaultIntervalSeconds: options.defaultIntervalSeconds,
    busy,
    ...(options.limitPerTick === undefined ? {} : { limit: options.limitPerTick }),
  });
  const queued: SchedulerTickResult['queued'] = [];
  for (const integration of due) {
    try {
      const enqueued = await enqueueSync(options.queue, { tenantId: integration.tenantId, integrationId: integration.id, trigger: 'schedule' });
      queued.push({ integrationId: integration.id, ...enqueued });
    } catch (error) {
      // One integration (deleted meanwhile, say) must not keep the others from their reconcile.
      options.queue.logger.warn({ integrationId: integration.id, err: error }, 'scheduled sync not queued');
    }
  }
  if (queued.length > 0) options.queue.logger.info({ count: queued.length }, 'scheduled reconciles queued');
  return { at, queued, closedRuns, prunedEvents };
}

/** Starts ticking now and every `tickSeconds` after the previous tick ended. */
export function startReconcileScheduler(options: ReconcileSchedulerOptions): ReconcileScheduler {
  const tickMs = (options.tickSeconds ?? JOB_DEFAULTS.tickSeconds) * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<SchedulerTickResult> | null = null;

  const tick = (): Promise<SchedulerTickResult> => {
    current ??= runSchedulerTick(options)
      .then((result) => {
        options.onTick?.(result);
        return result;
      })
      .finally(() => {
        current = null;
      });
    return current;
  };
  const loop = (): void => {
    if (stopped) return;
    tick()
      .catch((error: unknown) => options.queue.logger.error({ err: error }, 'scheduler tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, tickMs);
      });
  };
  loop();
  return {
    tick,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await current?.catch(() => undefined);
    },
  };
}
