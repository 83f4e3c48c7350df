import { describe, expect, it } from 'vitest';
import { validateAdvancedOptions } from './advanced-options.js';
import { catchDomainError } from './test-helpers.js';

const field = 'connections.advanced';

describe('validateAdvancedOptions', () => {
  it.each([
    [undefined, {}],
    [null, {}],
    [{}, {}],
    [{ maxErrorRetryAttempts: 0 }, { maxErrorRetryAttempts: 0 }],
    [{ maxErrorRetryAttempts: 20, minErrorRetryDelayMs: 1 }, { maxErrorRetryAttempts: 20, minErrorRetryDelayMs: 1 }],
    [{ minErrorRetryDelayMs: 60000 }, { minErrorRetryDelayMs: 60000 }],
    [{ ignoreErrorCodes: ['AccessDenied', 'UnauthorizedOperation', 'AccessDenied*'] }, { ignoreErrorCodes: ['AccessDenied', 'UnauthorizedOperation', 'AccessDenied*'] }],
    [{ defaultRegion: 'eu-central-2' }, { defaultRegion: 'eu-central-2' }],
  ])('accepts %j', (value, expected) => {
    expect(validateAdvancedOptions(value, field)).toEqual(expected);
  });

  it.each([
    [{ maxErrorRetryAttempts: -1 }, 'advanced_option_invalid', `${field}.maxErrorRetryAttempts`],
    [{ maxErrorRetryAttempts: 21 }, 'advanced_option_invalid', `${field}.maxErrorRetryAttempts`],
    [{ maxErrorRetryAttempts: 1.5 }, 'advanced_option_invalid', `${field}.maxErrorRetryAttempts`],
    [{ maxErrorRetryAttempts: '3' }, 'advanced_option_invalid', `${field}.maxErrorRetryAttempts`],
    [{ minErrorRetryDelayMs: 0 }, 'advanced_option_invalid', `${field}.minErrorRetryDelayMs`],
    [{ minErrorRetryDelayMs: 60001 }, 'advanced_option_invalid', `${field}.minErrorRetryDelayMs`],
    [{ ignoreErrorCodes: 'AccessDenied' }, 'advanced_option_invalid', `${field}.ignoreErrorCodes`],
    [{ ignoreErrorCodes: ['ok', '1bad'] }, 'advanced_option_invalid', `${field}.ignoreErrorCodes.1`],
    [{ ignoreErrorCodes: ['has space'] }, 'advanced_option_invalid', `${field}.ignoreErrorCodes.0`],
    [{ ignoreErrorCodes: Array.from({ length: 51 }, (_, i) => `Code${i}`) }, 'advanced_option_invalid', `${field}.ignoreErrorCodes`],
    [{ defaultRegion: 'mars-north-1' }, 'unknown_region', `${field}.defaultRegion`],
    [{ defaultRegion: 5 }, 'advanced_option_invalid', `${field}.defaultRegion`],
    [{ retries: 3 }, 'advanced_option_unknown', `${field}.retries`],
    ['fast', 'advanced_option_invalid', field],
    [[], 'advanced_option_invalid', field],
  ])('refuses %j with %s at %s', (value, code, path) => {
    const error = catchDomainError(() => validateAdvancedOptions(value, field));
    expect(error.code).toBe(code);
    expect(error.field).toBe(path);
  });

  it('uses `advanced` as the default field', () => {
    expect(catchDomainError(() => validateAdvancedOptions({ x: 1 })).field).toBe('advanced.x');
  });
});
