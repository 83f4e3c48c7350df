/**
 * Recognizing PostgreSQL errors. node-postgres and PGlite raise errors of the same shape
 * (`code` is the SQLSTATE, `constraint` the violated constraint's name), so services can
 * turn a violated constraint into a domain error the same way on both backends.
 */

/** SQLSTATE codes orglink reacts to. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_NOT_NULL_VIOLATION = '23502';

/** The fields both drivers put on a server error. */
export interface PgErrorFields {
  code: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

/** The SQLSTATE fields of a database error, or null for anything else. */
export function pgErrorFields(error: unknown): PgErrorFields | null {
  if (!(error instanceof Error)) return null;
  const fields = error as Error & Partial<Record<keyof PgErrorFields, unknown>>;
  if (typeof fields.code !== 'string' || !/^[0-9A-Z]{5}$/.test(fields.code)) return null;
  return {
    code: fields.code,
    ...(typeof fields.constraint === 'string' ? { constraint: fields.constraint } : {}),
    ...(typeof fields.detail === 'string' ? { detail: fields.detail } : {}),
    ...(typeof fields.table === 'string' ? { table: fields.table } : {}),
  };
}

/** True when `error` is a unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const fields = pgErrorFields(error);
  return fields?.code === PG_UNIQUE_VIOLATION && (constraint === undefined || fields.constraint === constraint);
}

/** True when `error` is a foreign-key violation (of `constraint`, when given). */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  const fields = pgErrorFields(error);
  return fields?.code === PG_FOREIGN_KEY_VIOLATION && (constraint === undefined || fields.constraint === constraint);
}
