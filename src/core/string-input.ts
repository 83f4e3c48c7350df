import { InputError } from './errors.js';

/** The value as a string, or an `invalid_type` InputError naming the field. */
export function expectString(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    throw new InputError('invalid_type', `${what} must be a string (got ${got})`, { field });
  }
  return value;
}

/** A character shown safely in a message: printable as-is, otherwise as its code point. */
export function describeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x21 || (code >= 0x7f && code <= 0xa0)) return hex;
  return `'${char}' (${hex})`;
}
