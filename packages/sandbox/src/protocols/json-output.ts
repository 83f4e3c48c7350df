/**
 * JSON 1.1 bodies: Dates become epoch seconds (what the SDK's deserializer expects),
 * Maps become objects, and errors carry `__type` plus the x-amzn-ErrorType header.
 */
import type { AwsError } from '../aws-error.js';

/** Serializes a handler's result for a JSON 1.1 response. */
export function jsonBody(result: unknown): string {
  if (result === undefined || result === null) return '{}';
  return JSON.stringify(result, function replacer(this: Record<string, unknown>, key: string, value: unknown) {
    const raw = key === '' ? result : this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (raw instanceof Map) return Object.fromEntries(raw);
    if (raw instanceof Set) return [...raw];
    return value;
  });
}

/** The error body AWS's JSON services send. */
export function jsonErrorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
