import { z } from 'zod';
import { InputError } from './errors.js';
import { isKnownRegion } from './regions.js';

/**
 * An AWS error code, or a pattern of one with `*`/`?` wildcards (e.g. `AccessDenied*`): starts with a
 * letter, then letters, digits, `.`, `_`, `-` and wildcards, at most 128 characters.
 */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9._*?-]{0,127}$/;

/** Connection options inherited by every connection of an integration (all optional). */
export const advancedOptionsSchema = z.strictObject({
  maxErrorRetryAttempts: z.number().int().min(0).max(20).optional().describe('Retries of a failed AWS call, 0–20.'),
  minErrorRetryDelayMs: z
    .number()
    .int()
    .min(1)
    .max(60_000)
    .optional()
    .describe('Smallest back-off delay between retries, in milliseconds, 1–60000.'),
  ignoreErrorCodes: z
    .array(z.string().regex(ERROR_CODE, 'must look like an AWS error code (e.g. AccessDenied), wildcards * and ? allowed'))
    .max(50)
    .optional()
    .describe('AWS error codes treated as "no data" rather than failures, at most 50.'),
  defaultRegion: z
    .string()
    .refine(isKnownRegion, 'must be a known AWS region')
    .optional()
    .describe('Region used for global or region-less calls.'),
});

export type AdvancedOptions = z.infer<typeof advancedOptionsSchema>;

/** The options if they match the schema; else an InputError whose field is the dotted path of the first bad option. */
export function validateAdvancedOptions(value: unknown, field = 'advanced'): AdvancedOptions {
  if (value === undefined || value === null) return {};
  const result = advancedOptionsSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new InputError('advanced_option_invalid', 'Advanced options are invalid', { field });
  const path = [field, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw new InputError('advanced_option_unknown', `Unknown advanced option '${key}'`, {
      field: `${field}.${key}`,
      details: { keys: issue.keys, allowed: Object.keys(advancedOptionsSchema.shape) },
    });
  }
  if (issue.path[0] === 'defaultRegion' && issue.code === 'custom') {
    const got = (value as Record<string, unknown>).defaultRegion;
    throw new InputError('unknown_region', `Unknown AWS region '${String(got)}'`, { field: path, details: { value: got } });
  }
  throw new InputError('advanced_option_invalid', `${path}: ${issue.message}`, { field: path });
}
