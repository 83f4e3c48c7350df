import { describe, expect, it } from 'vitest';
import { formatCell, pick, renderDetails, renderTable } from './table.js';

describe('formatCell', () => {
  it.each([
    [null, '-'],
    [undefined, '-'],
    ['', '-'],
    [[], '-'],
    ['abc', 'abc'],
    [42, '42'],
    [true, 'true'],
    [['us-east-1', 'eu-west-1'], 'us-east-1,eu-west-1'],
    [[{ a: 1 }], '[{"a":1}]'],
    [{ mode: 'all' }, '{"mode":"all"}'],
    [new Date('2026-01-02T03:04:05.000Z'), '2026-01-02T03:04:05.000Z'],
    ['two\n  lines', 'two lines'],
  ])('%j → %j', (value, expected) => {
    expect(formatCell(value)).toBe(expected);
  });
});

describe('renderTable', () => {
  it('aligns columns with two spaces and trims line ends', () => {
    const rows = [
      { id: 't_1', name: 'Acme', plan: 'enterprise' },
      { id: 't_22', name: 'B', plan: null },
    ];
    const text = renderTable(
      [
        { header: 'ID', value: (r: (typeof rows)[number]) => r.id },
        { header: 'NAME', value: (r: (typeof rows)[number]) => r.name },
        { header: 'PLAN', value: (r: (typeof rows)[number]) => r.plan },
      ],
      rows,
    );
    expect(text).toBe(['ID    NAME  PLAN', 't_1   Acme  enterprise', 't_22  B     -', ''].join('\n'));
  });

  it('prints only the header for no rows', () => {
    expect(renderTable([{ header: 'ID', value: () => 'x' }], [])).toBe('ID\n');
  });
});

describe('renderDetails', () => {
  it('flattens nested objects to dotted keys and aligns values', () => {
    const text = renderDetails({ id: 'i_1', discovery: { roleName: 'R', roleArn: null }, capabilities: ['discovery'], advanced: {} });
    expect(text).toBe(
      [
        'id:                  i_1',
        'discovery.roleName:  R',
        'discovery.roleArn:   -',
        'capabilities:        discovery',
        'advanced:            -',
        '',
      ].join('\n'),
    );
  });
});

describe('pick', () => {
  const row = { a: { b: 1 }, c: null, d: 'x' };
  it.each([
    [['a.b'], 1],
    [['missing', 'd'], 'x'],
    [['c', 'd'], null],
    [['a.z.y'], undefined],
  ])('%j → %j', (paths, expected) => {
    expect(pick(row, ...paths)).toBe(expected);
  });
});
