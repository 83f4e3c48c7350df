import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from './errors.js';
import { apiTokenMatchesHash, generateApiToken, hashApiToken, isApiToken, parseApiToken } from './api-token.js';

describe('generateApiToken', () => {
  it('returns a token of the documented shape, its row id and the SHA-256 of the whole token', () => {
    const { id, token, hash } = generateApiToken();
    expect(token).toMatch(/^olk_[a-z0-9]{12}_[A-Za-z0-9]{32}$/);
    expect(id).toBe(`tok_${token.slice(4, 16)}`);
    expect(id).toMatch(/^tok_[a-z0-9]{12}$/);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(17));
  });

  it('never repeats itself', () => {
    const tokens = Array.from({ length: 200 }, () => generateApiToken());
    expect(new Set(tokens.map((token) => token.token)).size).toBe(200);
    expect(new Set(tokens.map((token) => token.id)).size).toBe(200);
  });

  it('parses what it generates back to the same id', () => {
    const { id, token } = generateApiToken();
    expect(parseApiToken(token)).toEqual({ id, secret: token.slice(17) });
  });
});

describe('parseApiToken', () => {
  const secret = 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56';
  it('accepts a well-formed token', () => {
    expect(parseApiToken(`olk_abcdefgh1234_${secret}`)).toEqual({ id: 'tok_abcdefgh1234', secret });
  });

  it.each([
    ['not a string', 42],
    ['undefined', undefined],
    ['empty', ''],
    ['wrong prefix', `olx_abcdefgh1234_${secret}`],
    ['uppercase id', `olk_ABCDEFGH1234_${secret}`],
    ['short id', `olk_abcdefgh123_${secret}`],
    ['long id', `olk_abcdefgh12345_${secret}`],
    ['short secret', `olk_abcdefgh1234_${secret.slice(1)}`],
    ['long secret', `olk_abcdefgh1234_${secret}x`],
    ['symbol in secret', `olk_abcdefgh1234_${secret.slice(1)}-`],
    ['Bearer prefix left on', `Bearer olk_abcdefgh1234_${secret}`],
    ['trailing newline', `olk_abcdefgh1234_${secret}\n`],
  ])('refuses %s with token_malformed', (_case, value) => {
    let caught: unknown;
    try {
      parseApiToken(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthenticationError);
    expect(caught).toMatchObject({ code: 'token_malformed' });
  });

  it.each([
    [`olk_abcdefgh1234_${secret}`, true],
    ['olk_short', false],
    [null, false],
  ])('isApiToken(%j) is %s', (value, expected) => {
    expect(isApiToken(value)).toBe(expected);
  });
});

describe('apiTokenMatchesHash', () => {
  const { token, hash } = generateApiToken();
  it.each([
    ['the token itself', token, hash, true],
    ['another token', generateApiToken().token, hash, false],
    ['the token with one character changed', `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`, hash, false],
    ['a stored value that is not a digest', token, 'not-a-digest', false],
    ['an empty stored value', token, '', false],
    ['the uppercase digest (hex decodes the same)', token, hash.toUpperCase(), true],
  ])('%s → %s', (_case, presented, stored, expected) => {
    expect(apiTokenMatchesHash(presented, stored)).toBe(expected);
  });

  it('hashApiToken is deterministic', () => {
    expect(hashApiToken(token)).toBe(hash);
  });
});
