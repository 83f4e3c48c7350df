import { describe, expect, it } from 'vitest';
import { allocateHandles, collisionSuffix, withSuffix } from './handle-allocator.js';

describe('collisionSuffix', () => {
  it.each([
    ['123456789012', '9012'],
    ['ou-ab12-cd34ef56', 'ef56'],
    ['r-ab12', 'ab12'],
  ])('%s → %s', (id, expected) => expect(collisionSuffix(id)).toBe(expected));
});

describe('withSuffix', () => {
  it.each([
    ['prod', '9012', 'prod_9012'],
    ['a'.repeat(40), '9012', `${'a'.repeat(35)}_9012`],
    [`${'a'.repeat(34)}_bbbbb`, '9012', `${'a'.repeat(34)}_9012`],
  ])('%s + %s', (base, suffix, expected) => {
    const handle = withSuffix(base, suffix);
    expect(handle).toBe(expected);
    expect(handle.length).toBeLessThanOrEqual(40);
  });
});

describe('allocateHandles', () => {
  it.each<{ name: string; requests: Array<{ awsId: string; name: string; currentHandle?: string }>; prefix: string | null; taken: string[]; expected: Record<string, string> }>([
    { name: 'plain names', requests: [{ awsId: '1', name: 'Prod' }, { awsId: '2', name: 'Dev' }], prefix: 'aws_', taken: [], expected: { '1': 'aws_prod', '2': 'aws_dev' } },
    {
      name: 'three twins, by AWS id',
      requests: [{ awsId: '000000003333', name: 'x' }, { awsId: '000000001111', name: 'X' }, { awsId: '000000002222', name: 'x ' }],
      prefix: null,
      taken: [],
      expected: { '000000001111': 'x', '000000002222': 'x_2222', '000000003333': 'x_3333' },
    },
    {
      name: 'same last four digits: a counter follows',
      requests: [{ awsId: '100000001234', name: 'a' }, { awsId: '200000001234', name: 'a' }, { awsId: '300000001234', name: 'a' }],
      prefix: null,
      taken: [],
      expected: { '100000001234': 'a', '200000001234': 'a_1234', '300000001234': 'a_1234_2' },
    },
    { name: 'a node keeps its own current handle', requests: [{ awsId: '1', name: 'prod', currentHandle: 'prod' }], prefix: null, taken: ['prod'], expected: { '1': 'prod' } },
    { name: 'a name that slugs to nothing', requests: [{ awsId: '123456789012', name: '***' }], prefix: null, taken: [], expected: { '123456789012': 'unnamed' } },
  ])('$name', ({ requests, prefix, taken, expected }) => {
    const takenSet = new Set(taken);
    expect(Object.fromEntries(allocateHandles(requests, prefix, takenSet))).toEqual(expected);
    expect(takenSet).toEqual(new Set(taken));
  });
});
