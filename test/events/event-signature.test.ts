/** The HMAC helpers behind event authentication, as tables of accepted and refused inputs. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  deriveEventKey,
  parseSignatureHeader,
  signEventBody,
  verifyEventKey,
  verifyEventSignature,
} from '../../src/core/events/event-signature.js';

const secret = Buffer.alloc(32, 7);
const otherSecret = Buffer.alloc(32, 8);
const body = '{"id":"e1","source":"aws.organizations"}';
const now = new Date('2026-11-21T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);

describe('deriveEventKey', () => {
  it('is base64url(HMAC-SHA256(secret, "orglink-events:" + integrationId))', () => {
    const expected = createHmac('sha256', secret).update('orglink-events:i_abcdefabcdef').digest('base64url');
    expect(deriveEventKey(secret, 'i_abcdefabcdef')).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['the same key', deriveEventKey(secret, 'i_aaaaaaaaaaaa'), true],
    ['with surrounding spaces', ` ${deriveEventKey(secret, 'i_aaaaaaaaaaaa')} `, true],
    ["another integration's key (same secret)", deriveEventKey(secret, 'i_bbbbbbbbbbbb'), false],
    ['a key from another secret', deriveEventKey(otherSecret, 'i_aaaaaaaaaaaa'), false],
    ['a truncated key', deriveEventKey(secret, 'i_aaaaaaaaaaaa').slice(0, 42), false],
    ['empty', '', false],
  ])('verifyEventKey: %s → %s', (_, presented, ok) => {
    expect(verifyEventKey(secret, 'i_aaaaaaaaaaaa', presented)).toBe(ok);
  });
});

describe('verifyEventSignature', () => {
  const v1 = (ts: number, b: string, s = secret) => createHmac('sha256', s).update(`${ts}.${b}`).digest('hex');

  it('signEventBody writes t=..,v1=<hex HMAC of "t.body">', () => {
    expect(signEventBody(secret, t, body)).toBe(`t=${t},v1=${v1(t, body)}`);
  });

  it.each([
    ['a fresh signature', `t=${t},v1=${v1(t, body)}`, body, { ok: true }],
    ['4m59s old', `t=${t - 299},v1=${v1(t - 299, body)}`, body, { ok: true }],
    ['4m59s in the future', `t=${t + 299},v1=${v1(t + 299, body)}`, body, { ok: true }],
    ['a second v1 that matches (rotation)', `t=${t},v1=${'0'.repeat(64)},v1=${v1(t, body)}`, body, { ok: true }],
    ['upper-case hex', `t=${t},v1=${v1(t, body).toUpperCase()}`, body, { ok: true }],
    ['5m01s old', `t=${t - 301},v1=${v1(t - 301, body)}`, body, { ok: false, reason: 'stale' }],
    ['a tampered body', `t=${t},v1=${v1(t, body)}`, body.replace('e1', 'e2'), { ok: false, reason: 'mismatch' }],
    ['a changed timestamp', `t=${t + 1},v1=${v1(t, body)}`, body, { ok: false, reason: 'mismatch' }],
    ['another secret', `t=${t},v1=${v1(t, body, otherSecret)}`, body, { ok: false, reason: 'mismatch' }],
    ['no v1', `t=${t}`, body, { ok: false, reason: 'malformed' }],
    ['no t', `v1=${v1(t, body)}`, body, { ok: false, reason: 'malformed' }],
    ['garbage', 'hello', body, { ok: false, reason: 'malformed' }],
    ['short hex', `t=${t},v1=abcd`, body, { ok: false, reason: 'malformed' }],
  ])('%s', (_, header, received, verdict) => {
    expect(verifyEventSignature(secret, header, received, now)).toEqual(verdict);
  });

  it.each([
    ['t=1,v1=' + 'a'.repeat(64), { timestamp: 1, signatures: ['a'.repeat(64)] }],
    [' t=2 , v1=' + 'B'.repeat(64), { timestamp: 2, signatures: ['b'.repeat(64)] }],
    ['t=1,v1=x=y', null],
  ])('parseSignatureHeader(%j)', (header, parsed) => {
    expect(parseSignatureHeader(header)).toEqual(parsed);
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['a', 'a', true],
    ['a', 'b', false],
    ['a', 'aa', false],
    ['', '', true],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
  });
});
