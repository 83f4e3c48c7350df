/**
 * Who may post events for an integration: whoever holds its event key or signs with its
 * webhook secret (see src/core/events/event-signature.ts). Every refusal — unknown
 * integration, no secret issued yet, missing, wrong or stale credentials — is the same 401,
 * so a caller learns nothing about which integrations exist.
 */
import { randomBytes } from 'node:crypto';
import { verifyEventKey, verifyEventSignature, WEBHOOK_SECRET_BYTES } from '../../core/events/event-signature.js';
import { AuthenticationError } from '../../core/errors.js';
import type { SecretBox } from '../../store/secret-box.js';
import type { Db } from '../context.js';
import { openWebhookSecret } from './webhook-secret.js';

/** The credentials a request presented (header values, when present). */
export interface EventCredentialsPresented {
  eventKey?: string | undefined;
  signature?: string | undefined;
}

/** The integration an authenticated event belongs to. */
export interface EventIntegrationRef {
  id: string;
  tenantId: string;
}

// Checked against when the integration is unknown, so both paths do the same work.
const DECOY_SECRET = randomBytes(WEBHOOK_SECRET_BYTES);

function refused(): AuthenticationError {
  return new AuthenticationError('event_unauthorized', 'The event was not accepted: unknown integration or invalid credentials');
}

function credentialsValid(secret: Buffer, integrationId: string, presented: EventCredentialsPresented, rawBody: Buffer, now: Date): boolean {
  const { eventKey, signature } = presented;
  if (eventKey === undefined && signature === undefined) return false;
  const keyOk = eventKey === undefined || verifyEventKey(secret, integrationId, eventKey);
  const signatureOk = signature === undefined || verifyEventSignature(secret, signature, rawBody, now).ok;
  return keyOk && signatureOk;
}

/** The integration whose key or signature the request carries; AuthenticationError otherwise. */
export async function authenticateEvent(
  deps: { db: Db; secretBox: SecretBox },
  integrationId: string,
  presented: EventCredentialsPresented,
  rawBody: Buffer,
  now: Date,
): Promise<EventIntegrationRef> {
  const row = /^[a-z]_[a-z0-9]{12}$/.test(integrationId)
    ? await deps.db.selectFrom('integrations').select(['id', 'tenant_id', 'webhook_secret_enc']).where('id', '=', integrationId).executeTakeFirst()
    : undefined;
  let secret: Buffer | null = null;
  if (row !== undefined) {
    try {
      secret = openWebhookSecret(deps.secretBox, row.id, row.webhook_secret_enc);
    } catch {
      secret = null;
    }
  }
  const valid = credentialsValid(secret ?? DECOY_SECRET, integrationId, presented, rawBody, now);
  if (row === undefined || secret === null || !valid) throw refused();
  return { id: row.id, tenantId: row.tenant_id };
}
