import { InputError } from './errors.js';
import { expectString } from './string-input.js';

/**
 * Region codes orglink accepts, per partition. Source: the partitions table shipped in
 * @aws-sdk/core (util-endpoints partitions.js) of the installed AWS SDK v3, aws, aws-cn and aws-us-gov only.
 */
export const REGIONS_BY_PARTITION = {
  aws: [
    'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
    'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1',
    'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
    'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1',
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
} as const;

/** Every known region code, sorted. */
export const KNOWN_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat().sort();

const KNOWN = new Set<string>(KNOWN_REGIONS);

/** True when the value is a known region code. */
export function isKnownRegion(value: unknown): value is string {
  return typeof value === 'string' && KNOWN.has(value);
}

/** A single known region code, or `unknown_region` naming the value. */
export function validateRegion(value: unknown, field = 'region'): string {
  const text = expectString(value, field, 'Region');
  if (!KNOWN.has(text)) {
    throw new InputError('unknown_region', `Unknown AWS region '${text}'`, { field, details: { value: text } });
  }
  return text;
}

/**
 * `'all'`, or a non-empty list of known region codes, de-duplicated in first-seen order.
 * Refuses: regions_empty, unknown_region (with the value and its index in the field path), invalid_type.
 */
export function validateRegions(value: unknown, field = 'regions'): 'all' | string[] {
  if (value === 'all') return 'all';
  if (!Array.isArray(value)) {
    throw new InputError('invalid_type', "Regions must be 'all' or a list of region codes", { field });
  }
  if (value.length === 0) {
    throw new InputError('regions_empty', "Regions must not be an empty list (use 'all' for every region)", { field });
  }
  const seen = new Set<string>();
  value.forEach((item, index) => seen.add(validateRegion(item, `${field}.${index}`)));
  return [...seen];
}
