/**
 * Encryption of secrets at rest (AES-256-GCM). Each value gets a fresh random 12-byte IV,
 * and the output names its format so that a later format or key rotation can coexist:
 *   v1:<iv base64>:<auth tag base64>:<ciphertext base64>
 * GCM authenticates the ciphertext: a changed byte, a truncated value or the wrong key
 * makes `open` throw instead of returning garbage. Optional associated data binds a value
 * to its place (e.g. `integrations.webhook_secret_enc:i_…`), so a ciphertext copied into
 * another row does not decrypt there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../core/errors.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/** Seals and opens strings with one key. */
export interface SecretBox {
  /** Encrypts `plain`; the result is ASCII and safe to store in a text column. */
  seal(plain: string, associatedData?: string): string;
  /** Decrypts a value produced by `seal` with the same key and associated data. */
  open(sealed: string, associatedData?: string): string;
}

/** Decodes a base64 key, requiring exactly 32 bytes written as canonical base64. */
export function decodeSecretKey(keyBase64: string): Buffer {
  const trimmed = keyBase64.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from ignores junk characters, so compare against the canonical re-encoding.
  if (key.length !== SECRET_KEY_BYTES || key.toString('base64') !== trimmed) {
    throw new DomainError(
      'invalid_input',
      'secret_key_invalid',
      `the secret key must be ${SECRET_KEY_BYTES} random bytes in base64 (44 characters ending in "="); ` +
        'generate one with: openssl rand -base64 32',
    );
  }
  return key;
}

/** A new random key, base64-encoded, for first-start generation and for docs. */
export function generateSecretKey(): string {
  return randomBytes(SECRET_KEY_BYTES).toString('base64');
}

/** A box over the given base64 key (see decodeSecretKey for the accepted form). */
export function createSecretBox(keyBase64: string): SecretBox {
  const key = decodeSecretKey(keyBase64);
  return {
    seal(plain, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
    },
    open(sealed, associatedData) {
      const parts = sealed.split(':');
      const [version, ivText, tagText, ciphertextText] = parts;
      if (parts.length !== 4 || version !== VERSION) {
        throw unreadable(`not a ${VERSION} sealed value`);
      }
      const iv = decodeBase64(ivText ?? '');
      const tag = decodeBase64(tagText ?? '');
      const ciphertext = decodeBase64(ciphertextText ?? '');
      if (iv === null || iv.length !== IV_BYTES || tag === null || tag.length !== TAG_BYTES || ciphertext === null) {
        throw unreadable('malformed sealed value');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch (error) {
        throw unreadable('authentication failed: the value was altered, or sealed with another key', error);
      }
    },
  };
}

function decodeBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

function unreadable(reason: string, cause?: unknown): DomainError {
  return new DomainError('internal', 'secret_unreadable', `cannot open a stored secret: ${reason}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}
