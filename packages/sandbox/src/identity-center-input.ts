/**
 * Reading JSON 1.1 input for Identity Store and SSO Admin, with their ValidationException
 * wording, and their shared paging (MaxResults 1..100, opaque NextToken).
 */
import { AwsError } from './aws-error.js';
import { paginate, type Page } from './paging.js';
import type { World } from './world.js';

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** ValidationException as Identity Center words it. */
export function validationException(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** A string member; required ones must be non-empty. */
export function inputString(input: Record<string, unknown>, name: string, required: true): string;
export function inputString(input: Record<string, unknown>, name: string, required?: false): string | undefined;
export function inputString(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (required) throw validationException(`1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') {
    throw validationException(`1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a string`);
  }
  if (required && value.length === 0) {
    throw validationException(`1 validation error detected: Value '' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  }
  return value;
}

/** A structure member (or undefined). */
export function inputObject(input: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw validationException(`1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a structure`);
  }
  return value as Record<string, unknown>;
}

/** One of a fixed set of values. */
export function inputEnum<T extends string>(input: Record<string, unknown>, name: string, allowed: readonly T[], required: true): T;
export function inputEnum<T extends string>(input: Record<string, unknown>, name: string, allowed: readonly T[], required?: false): T | undefined;
export function inputEnum<T extends string>(input: Record<string, unknown>, name: string, allowed: readonly T[], required = false): T | undefined {
  const value = required ? inputString(input, name, true) : inputString(input, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw validationException(
      `1 validation error detected: Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/** One page of `items` for an Identity Center List call. */
export function identityCenterPage<T>(world: World, input: Record<string, unknown>, scope: string, items: T[]): Page<T> {
  return paginate(
    world,
    { scope, maxResults: input.MaxResults, nextToken: input.NextToken, maxLimit: 100, invalid: validationException },
    items.length,
    (start, end) => items.slice(start, end),
  );
}

/** A stored ISO time as a Date, which the JSON writer sends as epoch seconds (what the SDK expects). */
export function asDate(iso: string): Date {
  return new Date(iso);
}
