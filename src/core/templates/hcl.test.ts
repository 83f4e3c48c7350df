import { describe, expect, it } from 'vitest';
import { hclJson, hclJsonencode, hclString, hclStringList } from './hcl.js';

describe('hclString', () => {
  it.each([
    ['plain', '"plain"'],
    ['with "quotes"', '"with \\"quotes\\""'],
    ['line\nbreak', '"line\\nbreak"'],
    ['${var.x}', '"$${var.x}"'],
    ['%{ if x }', '"%%{ if x }"'],
    ['$ and % alone', '"$ and % alone"'],
  ])('%j → %s', (value, expected) => {
    expect(hclString(value)).toBe(expected);
  });
});

describe('hclJson', () => {
  it.each([
    [1, '1'],
    [true, 'true'],
    [null, 'null'],
    [[], '[]'],
    [{}, '{}'],
    [['a'], '[\n  "a"\n]'],
    [{ a: { b: [1, 2] } }, '{\n  "a": {\n    "b": [\n      1,\n      2\n    ]\n  }\n}'],
  ])('%j → %j', (value, expected) => {
    expect(hclJson(value)).toBe(expected);
  });

  it.each([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] }, ['x', 1, { y: null }]])(
    'is valid JSON that reads back as %j',
    (value) => {
      expect(JSON.parse(hclJson(value, 4))).toEqual(value);
      expect(hclJsonencode(value)).toBe(`jsonencode(${hclJson(value)})`);
    },
  );
});

describe('hclStringList', () => {
  it.each([
    [[], 0, '[]'],
    [['a', 'b'], 2, '[\n    "a",\n    "b",\n  ]'],
  ])('%j at indent %i', (values, indent, expected) => {
    expect(hclStringList(values, indent)).toBe(expected);
  });
});
