/**
 * Which connections' health a sync must write: only those whose verdict or reason differs
 * from what is stored, so a resync that finds the same health writes nothing.
 */
import type { AccountProbe } from '../../aws/member-prober.js';
import type { Health } from '../../store/database.js';
import type { StoredHealth } from './read-mirror.js';

export interface HealthVerdict {
  health: Health;
  reason: string | null;
}

export interface HealthUpdate {
  connectionId: string;
  accountId: string;
  from: Health;
  to: Health;
  reason: string | null;
}

/** Probe results by account id. */
export function verdictsByAccount(probes: readonly AccountProbe[]): Map<string, HealthVerdict> {
  return new Map(probes.map((p) => [p.accountId, { health: p.health, reason: p.reason }]));
}

/** Health writes for existing connections (removed ones excluded), in account-id order. */
export function planHealthUpdates(
  stored: ReadonlyMap<string, StoredHealth>,
  verdicts: ReadonlyMap<string, HealthVerdict>,
  removedConnectionIds: ReadonlySet<string>,
): HealthUpdate[] {
  const updates: HealthUpdate[] = [];
  for (const [accountId, current] of stored) {
    const verdict = verdicts.get(accountId);
    if (verdict === undefined || removedConnectionIds.has(current.connectionId)) continue;
    if (verdict.health === current.health && verdict.reason === current.reason) continue;
    updates.push({ connectionId: current.connectionId, accountId, from: current.health, to: verdict.health, reason: verdict.reason });
  }
  return updates.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

/** Counts of each health among the verdicts. */
export function healthCounts(verdicts: Iterable<HealthVerdict>): Record<Health, number> {
  const counts: Record<Health, number> = { ok: 0, blocked: 0, error: 0, unknown: 0 };
  for (const v of verdicts) counts[v.health] += 1;
  return counts;
}
