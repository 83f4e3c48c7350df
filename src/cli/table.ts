/**
 * Human output without dependencies: aligned tables for lists and `key: value` views for one object.
 * Pure functions, so they are tested with tables of cases.
 */

/** One table column: its header and how to read a cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Renders rows as a table whose columns are aligned with two spaces between them. */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((column) => formatCell(column.value(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => (line[i] ?? '').length)));
  const lines = [columns.map((column) => column.header), ...cells].map((line) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return lines.join('\n') + '\n';
}

/** Renders an object as aligned `key: value` lines; nested objects become dotted keys. */
export function renderDetails(value: Record<string, unknown>): string {
  const entries = flatten(value, '');
  const width = Math.max(0, ...entries.map(([key]) => key.length + 1));
  return entries.map(([key, cell]) => `${(key + ':').padEnd(width)}  ${cell}`.trimEnd()).join('\n') + '\n';
}

/** One cell's text: `-` for nothing, lists joined by commas, dates as ISO strings. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) {
    if (value.length === 0) return '-';
    return value.every((item) => typeof item !== 'object' || item === null)
      ? value.map((item) => formatCell(item)).join(',')
      : JSON.stringify(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\s*\n\s*/g, ' ');
}

function flatten(value: Record<string, unknown>, prefix: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)) {
      const nested = flatten(inner as Record<string, unknown>, path);
      entries.push(...(nested.length === 0 ? [[path, '-'] as [string, string]] : nested));
    } else {
      entries.push([path, formatCell(inner)]);
    }
  }
  return entries;
}

/** The first defined value among dotted paths (`pick(row, 'discovery.roleName', 'roleName')`). */
export function pick(row: Record<string, unknown>, ...paths: string[]): unknown {
  for (const path of paths) {
    let current: unknown = row;
    for (const key of path.split('.')) {
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    }
    if (current !== undefined) return current;
  }
  return undefined;
}
