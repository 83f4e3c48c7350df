/**
 * Which integrations a scheduler tick queues for their periodic full reconcile. Pure:
 * the tick reads the rows and the busy set, this decides.
 */

/** What the decision needs of one integration. */
export interface ScheduleCandidate {
  id: string;
  tenantId: string;
  /** When its last sync ended (any outcome); null when it never synced. */
  lastSyncedAt: Date | null;
  /** Its own interval; null for the configured default. 0 turns scheduled syncs off. */
  intervalSeconds: number | null;
}

export interface DueSelectionOptions {
  now: Date;
  /** The configured interval (sync.intervalSeconds); 0 turns scheduled syncs off for integrations without their own. */
  defaultIntervalSeconds: number;
  /** Integrations with a job waiting or running: never queued again by the scheduler. */
  busy: ReadonlySet<string>;
  /** At most this many per tick, most overdue first (default 100): a large backlog drains over several ticks. */
  limit?: number;
}

/** The interval that applies to one integration; 0 means never scheduled. */
export function effectiveIntervalSeconds(candidate: Pick<ScheduleCandidate, 'intervalSeconds'>, defaultIntervalSeconds: number): number {
  return candidate.intervalSeconds ?? defaultIntervalSeconds;
}

/** The moment an integration becomes due, or null when it is never scheduled. Never synced: due now. */
export function dueAt(candidate: ScheduleCandidate, defaultIntervalSeconds: number): Date | null {
  const interval = effectiveIntervalSeconds(candidate, defaultIntervalSeconds);
  if (interval <= 0) return null;
  if (candidate.lastSyncedAt === null) return new Date(0);
  return new Date(candidate.lastSyncedAt.getTime() + interval * 1000);
}

/** The integrations to queue now, most overdue first. */
export function selectDueIntegrations(candidates: readonly ScheduleCandidate[], options: DueSelectionOptions): ScheduleCandidate[] {
  const due: Array<{ candidate: ScheduleCandidate; at: number }> = [];
  for (const candidate of candidates) {
    if (options.busy.has(candidate.id)) continue;
    const at = dueAt(candidate, options.defaultIntervalSeconds);
    if (at === null || at.getTime() > options.now.getTime()) continue;
    due.push({ candidate, at: at.getTime() });
  }
  due.sort((a, b) => a.at - b.at || (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0));
  return due.slice(0, options.limit ?? 100).map((entry) => entry.candidate);
}
