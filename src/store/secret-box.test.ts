import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, decodeSecretKey, generateSecretKey } from './secret-box.js';

const key = generateSecretKey();
const box = createSecretBox(key);

/** Replaces field `index` of a sealed value. */
function withField(sealed: string, index: number, value: (old: string) => string): string {
  const parts = sealed.split(':');
  parts[index] = value(parts[index] ?? '');
  return parts.join(':');
}

/** Flips one bit in a base64 field, keeping it valid base64 of the same length. */
function flipBit(field: string): string {
  const bytes = Buffer.from(field, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe('createSecretBox', () => {
  it.each(['', 'hunter2', 'ünïcødé ✓ 🔐', 'x'.repeat(10_000), 'with:colons:inside'])('round-trips %j', (plain) => {
    const sealed = box.seal(plain);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
    expect(box.open(sealed)).toBe(plain);
  });

  it('uses a fresh IV each time: the same plaintext seals differently', () => {
    const first = box.seal('same');
    const second = box.seal('same');
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(Buffer.from(first.split(':')[1] ?? '', 'base64')).toHaveLength(12);
  });

  it('never contains the plaintext', () => {
    const sealed = box.seal('plain-secret-value');
    expect(sealed).not.toContain('plain-secret-value');
    expect(Buffer.from(sealed.split(':')[3] ?? '', 'base64').toString('utf8')).not.toContain('plain-secret-value');
  });

  const sealed = box.seal('tamper me');
  it.each([
    ['a flipped ciphertext bit', withField(sealed, 3, flipBit)],
    ['a flipped tag bit', withField(sealed, 2, flipBit)],
    ['a flipped IV bit', withField(sealed, 1, flipBit)],
    ['a truncated ciphertext', withField(sealed, 3, (old) => Buffer.from(old, 'base64').subarray(1).toString('base64'))],
    ['a short tag', withField(sealed, 2, (old) => Buffer.from(old, 'base64').subarray(4).toString('base64'))],
    ['an unknown version', withField(sealed, 0, () => 'v2')],
    ['a missing field', sealed.split(':').slice(0, 3).join(':')],
    ['an extra field', `${sealed}:AAAA`],
    ['non-base64 junk', withField(sealed, 3, (old) => `${old}!!`)],
    ['plain text', 'not sealed at all'],
  ])('refuses %s', (_case, altered) => {
    expect(() => box.open(altered)).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
  });

  it('refuses a value sealed with another key', () => {
    const other = createSecretBox(generateSecretKey());
    expect(() => other.open(box.seal('secret'))).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
  });

  it('binds associated data: the value opens only where it was sealed', () => {
    const sealedForRow = box.seal('webhook-key', 'integrations.webhook_secret_enc:i_aaaaaaaaaaaa');
    expect(box.open(sealedForRow, 'integrations.webhook_secret_enc:i_aaaaaaaaaaaa')).toBe('webhook-key');
    expect(() => box.open(sealedForRow, 'integrations.webhook_secret_enc:i_bbbbbbbbbbbb')).toThrow(
      expect.objectContaining({ code: 'secret_unreadable' }),
    );
    expect(() => box.open(sealedForRow)).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
  });

  it('opens values sealed by another box over the same key', () => {
    expect(createSecretBox(key).open(box.seal('shared'))).toBe('shared');
  });
});

describe('decodeSecretKey', () => {
  it('accepts 32 bytes of canonical base64, with surrounding whitespace', () => {
    const bytes = randomBytes(32);
    expect(decodeSecretKey(` ${bytes.toString('base64')}\n`).equals(bytes)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['hex instead of base64', randomBytes(32).toString('hex')],
    ['base64url', randomBytes(32).toString('base64url')],
    ['junk inside', `${randomBytes(32).toString('base64').slice(0, 20)}!${randomBytes(32).toString('base64').slice(20)}`],
    ['a passphrase', 'correct horse battery staple correct horse'],
  ])('refuses %s', (_case, value) => {
    expect(() => decodeSecretKey(value)).toThrow(expect.objectContaining({ code: 'secret_key_invalid' }));
  });

  it('generates distinct valid keys', () => {
    const keys = new Set(Array.from({ length: 5 }, generateSecretKey));
    expect(keys.size).toBe(5);
    for (const generated of keys) expect(decodeSecretKey(generated)).toHaveLength(32);
  });
});
