/**
 * The idempotency records of received events grow with every event. EventBridge redelivers
 * within 24 hours at most, so records older than that protect nothing: the scheduler (or an
 * operator) prunes them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';

/** EventBridge's longest retry window (MaximumEventAgeInSeconds is at most 24 h), plus a day of margin. */
export const EVENT_RECORD_RETENTION_MS = 48 * 3600 * 1000;

/** Deletes event records received before `now - retentionMs`; returns how many. */
export async function pruneIntegrationEvents(db: Kysely<Database>, now: Date, retentionMs = EVENT_RECORD_RETENTION_MS): Promise<number> {
  const result = await db
    .deleteFrom('integration_events')
    .where('received_at', '<', new Date(now.getTime() - retentionMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
