/**
 * AWS Signature Version 4, verified from the server's side: parse the Authorization
 * header (or a presigned URL), rebuild the canonical request from what arrived on the
 * wire, and compare signatures in constant time. Pure apart from node:crypto.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequestParts {
  method: string;
  /** Path without the query string, as received (may be percent-encoded). */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Node's rawHeaders: [name, value, name, value, ...]. */
  rawHeaders: string[];
  body: Buffer;
}

export interface ParsedSignature {
  accessKeyId: string;
  date: string; // yyyymmdd of the credential scope
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string; // yyyymmddThhmmssZ
  sessionToken: string | undefined;
  presigned: boolean;
  /** Presigned URLs only: X-Amz-Expires, in seconds. */
  expiresSeconds?: number;
}

/** Why a request could not even be parsed as signed. */
export type SignatureParseResult =
  | { ok: true; value: ParsedSignature }
  | { ok: false; reason: 'missing' | 'incomplete'; message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Reads the SigV4 parameters from the Authorization header or presigned query parameters. */
export function parseSignature(parts: SignedRequestParts): SignatureParseResult {
  const headers = headerMap(parts.rawHeaders);
  const authorization = headers.get('authorization');
  if (authorization !== undefined) return parseAuthorizationHeader(authorization, headers);
  const query = new URLSearchParams(parts.query);
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) return parsePresigned(query);
  return { ok: false, reason: 'missing', message: 'Request is missing Authentication Token' };
}

function parseAuthorizationHeader(value: string, headers: Map<string, string>): SignatureParseResult {
  const incomplete = (message: string): SignatureParseResult => ({ ok: false, reason: 'incomplete', message });
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Unsupported algorithm: ${truncate(algorithm)}`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!fields.get(required)) {
      return incomplete(`Authorization header requires '${required}' parameter. Authorization=${truncate(value)}`);
    }
  }
  const amzDate = headers.get('x-amz-date') ?? headers.get('date');
  if (amzDate === undefined) {
    return incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${truncate(value)}`);
  }
  return buildParsed(fields.get('Credential') ?? '', fields.get('SignedHeaders') ?? '', fields.get('Signature') ?? '', amzDate, headers.get('x-amz-security-token'), false);
}

function parsePresigned(query: URLSearchParams): SignatureParseResult {
  const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].filter((k) => !query.get(k));
  if (missing.length > 0 || query.get('X-Amz-Algorithm') !== ALGORITHM) {
    return { ok: false, reason: 'incomplete', message: `AWS query-string parameters must include ${missing.join(', ') || 'a supported X-Amz-Algorithm'}.` };
  }
  const parsed = buildParsed(
    query.get('X-Amz-Credential') ?? '',
    query.get('X-Amz-SignedHeaders') ?? '',
    query.get('X-Amz-Signature') ?? '',
    query.get('X-Amz-Date') ?? '',
    query.get('X-Amz-Security-Token') ?? undefined,
    true,
  );
  const expires = query.get('X-Amz-Expires');
  if (parsed.ok && expires !== null) {
    if (!/^\d{1,6}$/.test(expires) || Number(expires) > 604_800) {
      return { ok: false, reason: 'incomplete', message: 'X-Amz-Expires must be between 1 and 604800 seconds.' };
    }
    parsed.value.expiresSeconds = Number(expires);
  }
  return parsed;
}

function buildParsed(
  credential: string,
  signedHeaders: string,
  signature: string,
  amzDate: string,
  sessionToken: string | undefined,
  presigned: boolean,
): SignatureParseResult {
  const scope = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return { ok: false, reason: 'incomplete', message: `Credential should be scoped to a valid region and service. Credential=${truncate(credential)}` };
  }
  return {
    ok: true,
    value: { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature, amzDate, sessionToken, presigned },
  };
}

/** Recomputes the signature with `secret` and compares it to the one sent. */
export function verifySignature(parts: SignedRequestParts, parsed: ParsedSignature, secret: string): boolean {
  const expected = computeSignature(parts, parsed, secret);
  const sent = Buffer.from(parsed.signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return sent.length === wanted.length && timingSafeEqual(sent, wanted);
}

/** The hex signature a client holding `secret` would have sent for this request. */
export function computeSignature(parts: SignedRequestParts, parsed: ParsedSignature, secret: string): string {
  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const stringToSign = [ALGORITHM, parsed.amzDate, scope, sha256Hex(canonicalRequest(parts, parsed))].join('\n');
  return createHmac('sha256', signingKey(secret, parsed.date, parsed.region, parsed.service)).update(stringToSign, 'utf8').digest('hex');
}

const signingKeys = new Map<string, Buffer>();
const MAX_CACHED_KEYS = 4096;

/** The derived signing key; cached because four HMACs per request dominate verification. */
function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(cacheKey);
  if (key) return key;
  key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
}

/** True when the signing time is more than `toleranceMs` away from `now`, or unparseable. */
export function isSigningTimeSkewed(amzDate: string, now: number, toleranceMs = 15 * 60_000): boolean {
  const time = signingTime(amzDate);
  return Number.isNaN(time) || Math.abs(now - time) > toleranceMs;
}

/** True when a presigned URL's X-Amz-Expires window has passed (or its date is unreadable). */
export function isPresignExpired(amzDate: string, expiresSeconds: number, now: number): boolean {
  const time = signingTime(amzDate);
  return Number.isNaN(time) || now > time + expiresSeconds * 1000;
}

function signingTime(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Date.parse(amzDate);
}

function canonicalRequest(parts: SignedRequestParts, parsed: ParsedSignature): string {
  const headers = headerMap(parts.rawHeaders);
  const canonicalHeaders = parsed.signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join('');
  const payloadHash = headers.get('x-amz-content-sha256') ?? sha256Hex(parts.body);
  return [
    parts.method.toUpperCase(),
    canonicalPath(parts.path),
    canonicalQuery(parts.query, parsed.presigned),
    canonicalHeaders,
    parsed.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${path.endsWith('/') && segments.length > 0 ? '/' : ''}`;
  // Clients escape the already-escaped path once more (every service but S3 does).
  return rfc3986(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: string, presigned: boolean): string {
  if (query.length === 0) return '';
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([rfc3986(key), rfc3986(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

const headerMaps = new WeakMap<string[], Map<string, string>>();

/** Lower-cased header names to SigV4 canonical values (trimmed, spaces collapsed, repeats joined). */
function headerMap(rawHeaders: string[]): Map<string, string> {
  // Parsing and verifying both need it; build it once per request.
  const cached = headerMaps.get(rawHeaders);
  if (cached) return cached;
  const map = new Map<string, string>();
  headerMaps.set(rawHeaders, map);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = (rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' ');
    const prior = map.get(name);
    map.set(name, prior === undefined ? value : `${prior},${value}`);
  }
  return map;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Hex SHA-256, as used for payload hashes. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}...` : value;
}
