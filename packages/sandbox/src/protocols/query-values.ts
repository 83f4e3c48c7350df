/**
 * Reading typed members out of Query-protocol input, where everything arrives as a string
 * and an empty list is sent as `Name=`. Malformed values are ValidationError, as in AWS.
 */
import { AwsError } from '../aws-error.js';

/** A required or optional string member. */
export function queryString(input: Record<string, unknown>, name: string, required: true): string;
export function queryString(input: Record<string, unknown>, name: string, required?: false): string | undefined;
export function queryString(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined) {
    if (required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new AwsError('ValidationError', `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a string`, 400);
  }
  return value;
}

/** An optional integer member within [min, max]. */
export function queryInt(input: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const raw = queryString(input, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(raw)) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a number`, 400);
  }
  const value = Number(raw);
  if (value < min) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`, 400);
  }
  if (value > max) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`, 400);
  }
  return value;
}

/** An optional boolean member (`true`/`false`). */
export function queryBool(input: Record<string, unknown>, name: string): boolean | undefined {
  const raw = queryString(input, name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a boolean`, 400);
  }
  return raw === 'true';
}

/** A list member: `Name=` is an empty list, absent is undefined. */
export function queryList(input: Record<string, unknown>, name: string): unknown[] | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (value === '') return [];
  if (!Array.isArray(value)) {
    throw new AwsError('ValidationError', `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a list`, 400);
  }
  return value;
}

function missing(name: string): AwsError {
  return new AwsError('ValidationError', `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`, 400);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
