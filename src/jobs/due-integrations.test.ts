import { describe, expect, it } from 'vitest';
import { type ScheduleCandidate, dueAt, selectDueIntegrations } from './due-integrations.js';

const now = new Date('2026-11-21T12:00:00Z');
const ago = (seconds: number): Date => new Date(now.getTime() - seconds * 1000);
const candidate = (id: string, lastSyncedAt: Date | null, intervalSeconds: number | null = null): ScheduleCandidate => ({
  id,
  tenantId: 't_1',
  lastSyncedAt,
  intervalSeconds,
});

describe('selectDueIntegrations', () => {
  it.each([
    ['never synced', candidate('i', null), 3600, true],
    ['synced longer ago than the default interval', candidate('i', ago(3601)), 3600, true],
    ['synced exactly one interval ago', candidate('i', ago(3600)), 3600, true],
    ['synced within the default interval', candidate('i', ago(3599)), 3600, false],
    ['own interval shorter than the default, passed', candidate('i', ago(301), 300), 3600, true],
    ['own interval longer than the default, not passed', candidate('i', ago(7200), 86_400), 3600, false],
    ['own interval 0: never scheduled', candidate('i', null, 0), 3600, false],
    ['default 0 and no own interval: never scheduled', candidate('i', null), 0, false],
    ['default 0 but an own interval that passed', candidate('i', ago(61), 60), 0, true],
    ['last sync in the future (clock skew): not due', candidate('i', new Date(now.getTime() + 5000)), 3600, false],
  ])('%s', (_name, input, defaultIntervalSeconds, due) => {
    expect(selectDueIntegrations([input], { now, defaultIntervalSeconds, busy: new Set() }).map((c) => c.id)).toEqual(due ? ['i'] : []);
  });

  it('skips integrations with a job waiting or running', () => {
    const candidates = [candidate('i_a', null), candidate('i_b', null)];
    expect(selectDueIntegrations(candidates, { now, defaultIntervalSeconds: 60, busy: new Set(['i_a']) }).map((c) => c.id)).toEqual(['i_b']);
  });

  it('orders the most overdue first (never synced before all) and caps the tick', () => {
    const candidates = [candidate('i_c', ago(100)), candidate('i_a', ago(5000)), candidate('i_z', null), candidate('i_b', ago(5000)), candidate('i_y', null)];
    expect(selectDueIntegrations(candidates, { now, defaultIntervalSeconds: 60, busy: new Set() }).map((c) => c.id)).toEqual([
      'i_y',
      'i_z',
      'i_a',
      'i_b',
      'i_c',
    ]);
    expect(selectDueIntegrations(candidates, { now, defaultIntervalSeconds: 60, busy: new Set(), limit: 2 }).map((c) => c.id)).toEqual(['i_y', 'i_z']);
  });
});

describe('dueAt', () => {
  it.each([
    [candidate('i', ago(10)), 60, new Date(now.getTime() + 50_000)],
    [candidate('i', null), 60, new Date(0)],
    [candidate('i', ago(10), 0), 60, null],
  ])('%o with default %i → %o', (input, defaultIntervalSeconds, expected) => {
    expect(dueAt(input, defaultIntervalSeconds)).toEqual(expected);
  });
});
