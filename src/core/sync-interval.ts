import { InputError } from './errors.js';

/**
 * An integration's own schedule for its periodic full reconcile. Below five minutes a sync
 * could still be walking a large organization when the next one is due, and Organizations
 * throttles per management account; above a week the mirror drifts too far between repairs.
 */
export const MIN_SYNC_INTERVAL_SECONDS = 300;
export const MAX_SYNC_INTERVAL_SECONDS = 604_800;

/** The allowed values in words, for error messages, API descriptions and help texts. */
export const SYNC_INTERVAL_RULE =
  `null (the server default), 0 (never scheduled) or a whole number of seconds from ${MIN_SYNC_INTERVAL_SECONDS} ` +
  `to ${MAX_SYNC_INTERVAL_SECONDS} (7 days)`;

/**
 * An integration's sync interval: null (use sync.intervalSeconds of the config), 0 (never
 * scheduled) or whole seconds within the bounds. Anything else is `sync_interval_invalid`.
 */
export function validateSyncInterval(value: unknown, field = 'sync.intervalSeconds'): number | null {
  if (value === null || value === 0) return value;
  const inRange =
    typeof value === 'number' && Number.isInteger(value) && value >= MIN_SYNC_INTERVAL_SECONDS && value <= MAX_SYNC_INTERVAL_SECONDS;
  if (inRange) return value;
  throw new InputError('sync_interval_invalid', `The sync interval must be ${SYNC_INTERVAL_RULE} (got ${describeValue(value)})`, {
    field,
    details: { min: MIN_SYNC_INTERVAL_SECONDS, max: MAX_SYNC_INTERVAL_SECONDS },
  });
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : String(value);
}
