import { InputError } from './errors.js';
import { describeCharacter, expectString } from './string-input.js';

/** Longest handle, prefix included. */
export const HANDLE_MAX_LENGTH = 40;

/** Longest handle prefix: short enough to leave room for the account part of a connection handle. */
export const HANDLE_PREFIX_MAX_LENGTH = 20;

const HANDLE_CHAR = /^[a-z0-9_-]$/;

function checkHandleShape(value: string, field: string, code: 'handle' | 'handle_prefix', max: number): string {
  const label = code === 'handle' ? 'Handle' : 'Handle prefix';
  if (value.length === 0) throw new InputError(`${code}_empty`, `${label} must not be empty`, { field });
  const chars = Array.from(value);
  const bad = chars.find((c) => !HANDLE_CHAR.test(c));
  if (bad !== undefined) {
    throw new InputError(
      `${code}_bad_character`,
      `${label} may contain only lowercase letters, digits, '_' and '-'; found ${describeCharacter(bad)}`,
      { field, details: { character: bad } },
    );
  }
  if (!/^[a-z]/.test(value)) {
    throw new InputError(`${code}_must_start_with_letter`, `${label} must start with a lowercase letter (got '${value}')`, {
      field,
    });
  }
  if (chars.length > max) {
    throw new InputError(`${code}_too_long`, `${label} must be at most ${max} characters (got ${chars.length})`, {
      field,
      details: { max, length: chars.length },
    });
  }
  return value;
}

/** A valid handle: lowercase letters, digits, `_` and `-`, starting with a letter, at most 40 characters. */
export function validateHandle(value: unknown, field = 'handle'): string {
  return checkHandleShape(expectString(value, field, 'Handle'), field, 'handle', HANDLE_MAX_LENGTH);
}

/**
 * A valid handle prefix, or null when none is set (undefined, null or '').
 * Same characters as a handle and also starting with a letter, so prefix + anything is a valid handle start.
 */
export function validateHandlePrefix(value: unknown, field = 'handlePrefix'): string | null {
  if (value === undefined || value === null || value === '') return null;
  return checkHandleShape(expectString(value, field, 'Handle prefix'), field, 'handle_prefix', HANDLE_PREFIX_MAX_LENGTH);
}

/** True when the value would pass validateHandle. */
export function isValidHandle(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= HANDLE_MAX_LENGTH && /^[a-z][a-z0-9_-]*$/.test(value)
  );
}

/**
 * A deterministic handle for a discovered object (account, OU): `prefix` + a slug of `name`.
 * Diacritics are dropped, other disallowed characters become `_`, runs of separators collapse,
 * the result starts with a letter (`a_` is put in front otherwise) and is cut to 40 characters.
 */
export function slugifyHandle(name: string, prefix: string | null): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/[_-]{2,}/g, (run) => (run.includes('_') ? '_' : '-'))
    .replace(/^[_-]+|[_-]+$/g, '');
  let handle = `${prefix ?? ''}${slug.length > 0 ? slug : 'unnamed'}`;
  if (!/^[a-z]/.test(handle)) handle = `a_${handle}`;
  return handle.slice(0, HANDLE_MAX_LENGTH).replace(/[_-]+$/, '');
}
