/**
 * Authentication of forwarded Organizations events. EventBridge API destinations cannot sign
 * a body, only send a fixed header, so there are two modes, both keyed by the integration's
 * random webhook secret and both compared in constant time:
 * - event key: `X-Orglink-Event-Key: base64url(HMAC-SHA256(secret, "orglink-events:" + integrationId))`,
 *   the value the onboarding template stores in the EventBridge Connection (API_KEY auth);
 * - signature: `X-Orglink-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`,
 *   for forwarders that can sign; valid for five minutes either side of now.
 * The key is derived (not stored) so it binds to one integration: another integration's key never fits.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const EVENT_KEY_HEADER = 'X-Orglink-Event-Key';
export const SIGNATURE_HEADER = 'X-Orglink-Signature';
/** How far a signature's timestamp may be from now, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Bytes of a webhook secret. */
export const WEBHOOK_SECRET_BYTES = 32;

/** The event key of an integration: the value EventBridge sends in X-Orglink-Event-Key. */
export function deriveEventKey(secret: Buffer, integrationId: string): string {
  return createHmac('sha256', secret).update(`orglink-events:${integrationId}`).digest('base64url');
}

/** `t=<seconds>,v1=<hex>` for a body, as a signing forwarder sends it. */
export function signEventBody(secret: Buffer, timestampSeconds: number, body: string | Buffer): string {
  return `t=${timestampSeconds},v1=${bodySignature(secret, timestampSeconds, body)}`;
}

function bodySignature(secret: Buffer, timestampSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * Constant-time string equality. Both sides are hashed first so that values of different
 * lengths take the same time and timingSafeEqual always sees equal lengths.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** True when `presented` is the integration's event key. */
export function verifyEventKey(secret: Buffer, integrationId: string, presented: string): boolean {
  return constantTimeEqual(deriveEventKey(secret, integrationId), presented.trim());
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** Parses `t=..,v1=..[,v1=..]`; several v1 values are allowed (a forwarder mid-rotation). */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (key === undefined || value === undefined || rest.length > 0) return null;
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** Checks a signature header against the raw body, within SIGNATURE_TOLERANCE_SECONDS of `now`. */
export function verifyEventSignature(secret: Buffer, header: string, body: string | Buffer, now: Date): SignatureVerdict {
  const parsed = parseSignatureHeader(header);
  if (parsed === null) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = bodySignature(secret, parsed.timestamp, body);
  // Every candidate is compared (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) matched = constantTimeEqual(expected, candidate) || matched;
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
