/**
 * API tokens. A token is shown once and looks like
 *   olk_<12-character id>_<32-character secret>
 * The id part is the token's row id without its `tok_` prefix, so a presented token is
 * found by id and then checked against the stored hash: SHA-256 (hex) of the whole token,
 * compared in constant time. The secret has ~190 bits of entropy, so a fast hash is right
 * here (a slow password hash protects guessable secrets, which these are not).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from './errors.js';
import { ALPHANUMERIC, LOWER_ALPHANUMERIC, randomString } from './random-string.js';

export const API_TOKEN_PREFIX = 'olk';
const ID_LENGTH = 12;
const SECRET_LENGTH = 32;
const TOKEN_PATTERN = new RegExp(`^${API_TOKEN_PREFIX}_([a-z0-9]{${ID_LENGTH}})_([A-Za-z0-9]{${SECRET_LENGTH}})$`);

/** The parts of a well-formed token. */
export interface ParsedApiToken {
  /** The row id in api_tokens: `tok_` + the token's id part. */
  id: string;
  secret: string;
}

/** A new token: its row id, the token to show once, and the hash to store. */
export function generateApiToken(): { id: string; token: string; hash: string } {
  const idPart = randomString(ID_LENGTH, LOWER_ALPHANUMERIC);
  const token = `${API_TOKEN_PREFIX}_${idPart}_${randomString(SECRET_LENGTH, ALPHANUMERIC)}`;
  return { id: `tok_${idPart}`, token, hash: hashApiToken(token) };
}

/** SHA-256 hex of the whole token: the only form in which a token is stored. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `value` has the shape of an orglink API token. */
export function isApiToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/** Splits a presented token, refusing anything that is not shaped like one (401). */
export function parseApiToken(token: unknown): ParsedApiToken {
  const match = typeof token === 'string' ? TOKEN_PATTERN.exec(token) : null;
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new AuthenticationError(
      'token_malformed',
      `API tokens look like ${API_TOKEN_PREFIX}_<12 lowercase letters or digits>_<32 letters or digits>`,
    );
  }
  return { id: `tok_${match[1]}`, secret: match[2] };
}

/** Constant-time check of a presented token against a stored hash. */
export function apiTokenMatchesHash(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  // Unequal lengths only reveal that the stored value is not a SHA-256 digest at all.
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
