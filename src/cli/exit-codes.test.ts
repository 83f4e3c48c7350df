import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForKind, exitCodeForStatus } from './exit-codes.js';

describe('exitCodeForStatus', () => {
  it.each([
    [400, EXIT.usage],
    [401, EXIT.unauthenticated],
    [403, EXIT.forbidden],
    [404, EXIT.notFound],
    [409, EXIT.conflict],
    [502, EXIT.upstream],
    [500, EXIT.unexpected],
    [418, EXIT.unexpected],
  ])('%i → %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });
});

describe('exitCodeForKind', () => {
  it.each([
    ['invalid_input', 2],
    ['unauthenticated', 3],
    ['forbidden', 4],
    ['not_found', 5],
    ['conflict', 6],
    ['upstream', 7],
    ['internal', 1],
  ])('%s → %i', (kind, code) => {
    expect(exitCodeForKind(kind)).toBe(code);
  });

  it('numbers the codes as documented in docs/cli.md', () => {
    expect(EXIT).toEqual({ ok: 0, unexpected: 1, usage: 2, unauthenticated: 3, forbidden: 4, notFound: 5, conflict: 6, upstream: 7, unreachable: 8 });
  });
});
