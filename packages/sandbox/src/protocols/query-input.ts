/**
 * Query-protocol input: a form-encoded body (or URL query) of flattened keys such as
 * `Tags.member.1.Key` or `Attributes.entry.2.value`, turned back into nested objects
 * and arrays. Values stay strings: the handler knows which members are numbers.
 */
import { AwsError } from '../aws-error.js';

type Node = { [key: string]: Node | string } | string;

/** Parses `a=b&c=d` exactly as AWS does (`+` is a space), refusing malformed escapes. */
export function parseFormBody(body: string): Map<string, string> {
  const params = new Map<string, string>();
  if (body.length === 0) return params;
  for (const pair of body.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    params.set(decodeFormComponent(rawKey), decodeFormComponent(rawValue));
  }
  return params;
}

function decodeFormComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new AwsError('MalformedQueryString', 'The query string is malformed.', 400);
  }
}

const MAX_INDEX = 10_000;

/** Rebuilds nested input from flattened keys; `Action` and `Version` are left out. */
export function unflattenQuery(params: Map<string, string>): Record<string, unknown> {
  const root: Record<string, Node> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
    insert(root, key.split('.'), value);
  }
  return finish(root) as Record<string, unknown>;
}

function insert(root: Record<string, Node>, segments: string[], value: string): void {
  let node: Record<string, Node> = root;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i] ?? '';
    const next = segments[i + 1];
    // `member.N` and `entry.N` are list/map containers whose index is the next segment.
    if ((segment === 'member' || segment === 'entry') && next !== undefined && /^\d+$/.test(next)) {
      const marker = segment === 'member' ? '#member' : '#entry';
      segment = `${marker}:${checkIndex(next)}`;
      i++;
    } else if (/^\d+$/.test(segment)) {
      segment = `#member:${checkIndex(segment)}`;
    }
    if (segment === '' || segment === '__proto__' || segment === 'constructor' || segment === 'prototype') {
      throw new AwsError('MalformedQueryString', `Invalid parameter name: ${segments.join('.')}`, 400);
    }
    if (i === segments.length - 1) {
      if (!(value === '' && typeof node[segment] === 'object')) node[segment] = value;
      return;
    }
    const child = node[segment];
    if (child === undefined || typeof child === 'string') {
      const fresh: Record<string, Node> = {};
      // An empty string followed by members (`Foo=` then `Foo.member.1=`) is simply a list.
      node[segment] = fresh;
      node = fresh;
    } else {
      node = child;
    }
  }
}

function checkIndex(raw: string): number {
  const index = Number(raw);
  if (index < 1 || index > MAX_INDEX) {
    throw new AwsError('MalformedQueryString', `List index out of range: ${raw}`, 400);
  }
  return index;
}

function finish(node: Node): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k) => k.startsWith('#member:'))) {
    return keys
      .map((k) => [Number(k.slice(8)), finish(node[k] as Node)] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => v);
  }
  if (keys.length > 0 && keys.every((k) => k.startsWith('#entry:'))) {
    const map: Record<string, unknown> = {};
    for (const k of keys) {
      const entry = finish(node[k] as Node);
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        const { key, value } = entry as { key?: unknown; value?: unknown };
        if (typeof key === 'string' && key !== '__proto__') map[key] = value;
      }
    }
    return map;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k.startsWith('#')) {
      throw new AwsError('MalformedQueryString', 'Mixed list and structure members in the query string.', 400);
    }
    out[k] = finish(node[k] as Node);
  }
  return out;
}
