import { describe, expect, it } from 'vitest';
import { MAX_SYNC_INTERVAL_SECONDS, MIN_SYNC_INTERVAL_SECONDS, validateSyncInterval } from './sync-interval.js';
import { catchDomainError } from './test-helpers.js';

describe('validateSyncInterval', () => {
  it.each([null, 0, MIN_SYNC_INTERVAL_SECONDS, 3600, MAX_SYNC_INTERVAL_SECONDS])('accepts %j', (value) => {
    expect(validateSyncInterval(value)).toBe(value);
  });

  it.each([
    [299, '(got 299)'],
    [604_801, '(got 604801)'],
    [1.5, '(got 1.5)'],
    [-300, '(got -300)'],
    [300.5, '(got 300.5)'],
    [Number.NaN, '(got NaN)'],
    ['3600', '(got "3600")'],
    [true, '(got true)'],
    [[3600], '(got a list)'],
    [{ seconds: 3600 }, '(got an object)'],
    [undefined, '(got nothing)'],
  ])('refuses %j', (value, got) => {
    const error = catchDomainError(() => validateSyncInterval(value));
    expect(error).toMatchObject({ kind: 'invalid_input', code: 'sync_interval_invalid', field: 'sync.intervalSeconds' });
    expect(error.message).toContain('null (the server default), 0 (never scheduled) or a whole number of seconds from 300 to 604800 (7 days)');
    expect(error.message).toContain(got);
  });

  it('names the field it is given', () => {
    expect(catchDomainError(() => validateSyncInterval(1, 'interval')).field).toBe('interval');
  });
});
