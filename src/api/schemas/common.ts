/** Schemas shared by every route: the error body, id params and list wrappers. */
import { z } from 'zod';

export const errorSchema = z
  .object({
    code: z.string().describe('Stable snake_case error code'),
    message: z.string(),
    field: z.string().optional().describe('Dotted path of the input field at fault'),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('Error');

/** The error responses every authenticated route may give. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;

/** `{ items: [...] }`, the shape of every list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

export const tenantParams = z.strictObject({ tenantId: z.string().min(1).max(64) });
export const orgParams = z.strictObject({ orgId: z.string().min(1).max(64) });
export const tenantRefParams = z.strictObject({ tenantId: z.string().min(1).max(64), ref: z.string().min(1).max(64) });

export const isoDate = z.string().describe('ISO 8601 timestamp');
export const regionsSchema = z.union([z.literal('all'), z.array(z.string())]).describe("'all' or a list of region codes");
export const advancedSchema = z
  .object({
    maxErrorRetryAttempts: z.number().int().optional(),
    minErrorRetryDelayMs: z.number().int().optional(),
    ignoreErrorCodes: z.array(z.string()).optional(),
    defaultRegion: z.string().optional(),
  })
  .describe('Advanced connection options');
