import { randomInt } from 'node:crypto';

/** Lowercase letters and digits: the alphabet of orglink ids. */
export const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Upper- and lowercase letters and digits: the alphabet of External ID random parts. */
export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A string of `length` characters drawn uniformly from `alphabet` with the OS CSPRNG.
 * `crypto.randomInt` rejects out-of-range samples internally, so there is no modulo bias.
 */
export function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(0, alphabet.length)];
  return out;
}
