import { describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-error.js';
import { paginate, readPageRequest, setPagingOptions } from '../src/paging.js';
import { createWorld } from '../src/world-factory.js';

const items = Array.from({ length: 45 }, (_, i) => i);
const slice = (a: number, b: number) => items.slice(a, b);

describe('paging', () => {
  it.each([
    [undefined, 20],
    [1, 1],
    [20, 20],
  ])('MaxResults %s gives a page of %i', (maxResults, size) => {
    const world = createWorld();
    const page = paginate(world, { scope: 's', maxResults, nextToken: undefined, maxLimit: 20 }, items.length, slice);
    expect(page.items).toHaveLength(size);
    expect(page.nextToken).toBeTypeOf('string');
  });

  it.each([[0], [21], [-1], [1.5], ['5'], [null as unknown as number]])('rejects MaxResults %s', (maxResults) => {
    const world = createWorld();
    const run = () => readPageRequest(world, { scope: 's', maxResults, nextToken: undefined, maxLimit: 20 });
    if (maxResults === null) expect(run()).toMatchObject({ offset: 0, limit: 20 });
    else expect(run).toThrow(AwsError);
  });

  it('walks every item exactly once and ends without a token', () => {
    const world = createWorld();
    const seen: number[] = [];
    let token: string | undefined;
    do {
      const page = paginate(world, { scope: 's', maxResults: 7, nextToken: token, maxLimit: 20 }, items.length, slice);
      seen.push(...page.items);
      token = page.nextToken;
    } while (token);
    expect(seen).toEqual(items);
  });

  it.each([
    ['garbage', 'abc'],
    ['a tampered payload', 'TAMPER'],
    ['a number', 12],
    ['another scope', 'SCOPE'],
    ['another world', 'WORLD'],
  ])('rejects %s as NextToken with the service error', (_label, kind) => {
    const world = createWorld();
    const first = paginate(world, { scope: 's', maxResults: 5, nextToken: undefined, maxLimit: 20 }, items.length, slice).nextToken!;
    const [payload, sig] = first.split('.');
    const token =
      kind === 'TAMPER'
        ? `${Buffer.from(JSON.stringify({ s: 's', o: 40 })).toString('base64url')}.${sig}`
        : kind === 'SCOPE' || kind === 'WORLD'
          ? `${payload}.${sig}`
          : kind;
    const scope = kind === 'SCOPE' ? 'other' : 's';
    const target = kind === 'WORLD' ? createWorld() : world;
    const invalid = (message: string) => new AwsError('ValidationError', message);
    expect(() => readPageRequest(target, { scope, maxResults: undefined, nextToken: token, maxLimit: 20, invalid })).toThrow(
      expect.objectContaining({ code: 'ValidationError' }),
    );
  });

  it('answers empty pages with a NextToken when asked, never twice in a row', () => {
    const world = createWorld();
    setPagingOptions(world, { emptyPageRate: 1 });
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = paginate(world, { scope: 's', maxResults: 20, nextToken: token, maxLimit: 20 }, items.length, slice);
      sizes.push(page.items.length);
      token = page.nextToken;
    } while (token);
    expect(sizes).toEqual([0, 20, 0, 20, 0, 5]);
  });

  it('keeps empty pages deterministic for a seed', () => {
    const run = () => {
      const world = createWorld();
      setPagingOptions(world, { emptyPageRate: 0.5, seed: 42 });
      const sizes: number[] = [];
      let token: string | undefined;
      do {
        const page = paginate(world, { scope: 's', maxResults: 5, nextToken: token, maxLimit: 20 }, items.length, slice);
        sizes.push(page.items.length);
        token = page.nextToken;
      } while (token);
      return sizes;
    };
    expect(run()).toEqual(run());
    expect(run()).toContain(0);
  });

  it('costs O(page): slices only the requested window of a 10,000-item listing', () => {
    const world = createWorld();
    const calls: Array<[number, number]> = [];
    paginate(world, { scope: 'big', maxResults: 20, nextToken: undefined, maxLimit: 20 }, 10_000, (a, b) => {
      calls.push([a, b]);
      return [];
    });
    expect(calls).toEqual([[0, 20]]);
  });
});
