/** Which health writes a sync makes: only changed verdicts or reasons, never for removed connections. */
import { describe, expect, it } from 'vitest';
import { healthCounts, planHealthUpdates, type HealthVerdict } from '../../src/services/sync/health-changes.js';
import type { StoredHealth } from '../../src/services/sync/read-mirror.js';

const stored = (health: StoredHealth['health'], reason: string | null = null): StoredHealth => ({ connectionId: 'c_1', health, reason });
const verdict = (health: HealthVerdict['health'], reason: string | null = null): HealthVerdict => ({ health, reason });

describe('planHealthUpdates', () => {
  it.each([
    ['same verdict, same reason', stored('ok'), verdict('ok'), false, 0],
    ['ok → blocked', stored('ok'), verdict('blocked', 'denied'), false, 1],
    ['same verdict, new reason', stored('error', 'Throttling'), verdict('error', 'timeout'), false, 1],
    ['unknown → ok after reinstatement', stored('unknown', 'The account is SUSPENDED; it was not probed.'), verdict('ok'), false, 1],
    ['changed but the connection is being removed', stored('ok'), verdict('blocked', 'denied'), true, 0],
  ])('%s', (_name, current, next, removed, writes) => {
    const updates = planHealthUpdates(new Map([['111111111111', current]]), new Map([['111111111111', next]]), new Set(removed ? ['c_1'] : []));
    expect(updates).toHaveLength(writes);
    if (writes === 1) expect(updates[0]).toEqual({ connectionId: 'c_1', accountId: '111111111111', from: current.health, to: next.health, reason: next.reason });
  });

  it('leaves connections without a verdict alone (an incomplete walk did not see them)', () => {
    expect(planHealthUpdates(new Map([['111111111111', stored('ok')]]), new Map(), new Set())).toEqual([]);
  });

  it('orders updates by account id', () => {
    const current = new Map([
      ['222222222222', { connectionId: 'c_2', health: 'ok' as const, reason: null }],
      ['111111111111', { connectionId: 'c_1', health: 'ok' as const, reason: null }],
    ]);
    const next = new Map([
      ['222222222222', verdict('error', 'x')],
      ['111111111111', verdict('error', 'x')],
    ]);
    expect(planHealthUpdates(current, next, new Set()).map((u) => u.accountId)).toEqual(['111111111111', '222222222222']);
  });
});

describe('healthCounts', () => {
  it('counts each verdict', () => {
    expect(healthCounts([verdict('ok'), verdict('ok'), verdict('blocked'), verdict('unknown')])).toEqual({ ok: 2, blocked: 1, error: 0, unknown: 1 });
  });
});
