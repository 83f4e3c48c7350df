import { describe, expect, it } from 'vitest';
import { KNOWN_REGIONS, validateRegion, validateRegions } from './regions.js';
import { catchDomainError } from './test-helpers.js';

describe('KNOWN_REGIONS', () => {
  it.each([
    'us-east-1', 'eu-west-1', 'ap-southeast-5', 'ap-southeast-7', 'mx-central-1', 'ca-west-1', 'il-central-1',
    'me-central-1', 'ap-east-2', 'cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1',
  ])('includes %s', (region) => {
    expect(KNOWN_REGIONS).toContain(region);
  });

  it('is sorted and free of duplicates', () => {
    expect([...KNOWN_REGIONS].sort()).toEqual(KNOWN_REGIONS);
    expect(new Set(KNOWN_REGIONS).size).toBe(KNOWN_REGIONS.length);
  });
});

describe('validateRegions', () => {
  it.each([
    ['all', 'all'],
    [['us-east-1'], ['us-east-1']],
    [['eu-west-1', 'us-east-1', 'eu-west-1'], ['eu-west-1', 'us-east-1']],
    [['cn-north-1', 'us-gov-west-1'], ['cn-north-1', 'us-gov-west-1']],
  ])('%j → %j', (value, expected) => {
    expect(validateRegions(value)).toEqual(expected);
  });

  it.each([
    [[], 'regions_empty', 'connections.regions'],
    [['us-east-1', 'mars-north-1'], 'unknown_region', 'connections.regions.1'],
    [['US-EAST-1'], 'unknown_region', 'connections.regions.0'],
    [['all'], 'unknown_region', 'connections.regions.0'],
    ['All', 'invalid_type', 'connections.regions'],
    ['us-east-1', 'invalid_type', 'connections.regions'],
    [[1], 'invalid_type', 'connections.regions.0'],
    [null, 'invalid_type', 'connections.regions'],
  ])('refuses %j with %s at %s', (value, code, field) => {
    const error = catchDomainError(() => validateRegions(value, 'connections.regions'));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
  });

  it('names the unknown region', () => {
    const error = catchDomainError(() => validateRegion('mars-north-1'));
    expect(error.message).toContain('mars-north-1');
    expect(error.details).toEqual({ value: 'mars-north-1' });
  });
});
