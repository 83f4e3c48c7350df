/**
 * The per-integration webhook secret behind event authentication: 32 random bytes, stored
 * sealed by the secret box in integrations.webhook_secret_enc (bound to the row by associated
 * data), created lazily the first time something needs it, replaced on rotation.
 */
import { randomBytes } from 'node:crypto';
import { deriveEventKey, WEBHOOK_SECRET_BYTES } from '../../core/events/event-signature.js';
import type { SecretBox } from '../../store/secret-box.js';
import type { Db } from '../context.js';

/** Associated data that binds a sealed secret to its integration row. */
export function webhookSecretAad(integrationId: string): string {
  return `integrations.webhook_secret_enc:${integrationId}`;
}

/** The integration's event endpoint under the server's public URL. */
export function eventEndpointUrl(publicUrl: string, integrationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/events/aws/${encodeURIComponent(integrationId)}`;
}

/** Opens a stored secret; null when none was created yet. */
export function openWebhookSecret(box: SecretBox, integrationId: string, sealed: string | null): Buffer | null {
  if (sealed === null) return null;
  return Buffer.from(box.open(sealed, webhookSecretAad(integrationId)), 'base64');
}

function sealNewSecret(box: SecretBox, integrationId: string): string {
  return box.seal(randomBytes(WEBHOOK_SECRET_BYTES).toString('base64'), webhookSecretAad(integrationId));
}

/**
 * The integration's secret, created when absent. Two concurrent first uses agree: only the
 * first UPDATE (guarded by IS NULL) writes, and both read back the stored value.
 */
export async function ensureWebhookSecret(db: Db, box: SecretBox, integrationId: string): Promise<Buffer> {
  const row = await db.selectFrom('integrations').select('webhook_secret_enc').where('id', '=', integrationId).executeTakeFirstOrThrow();
  const existing = openWebhookSecret(box, integrationId, row.webhook_secret_enc);
  if (existing !== null) return existing;
  await db
    .updateTable('integrations')
    .set({ webhook_secret_enc: sealNewSecret(box, integrationId) })
    .where('id', '=', integrationId)
    .where('webhook_secret_enc', 'is', null)
    .execute();
  const stored = await db.selectFrom('integrations').select('webhook_secret_enc').where('id', '=', integrationId).executeTakeFirstOrThrow();
  const secret = openWebhookSecret(box, integrationId, stored.webhook_secret_enc);
  if (secret === null) throw new Error(`webhook secret of ${integrationId} vanished while being created`);
  return secret;
}

/** Replaces the secret: the old event key and signing secret stop working at once. */
export async function rotateWebhookSecret(db: Db, box: SecretBox, integrationId: string): Promise<Buffer> {
  const sealed = sealNewSecret(box, integrationId);
  await db.updateTable('integrations').set({ webhook_secret_enc: sealed }).where('id', '=', integrationId).execute();
  return Buffer.from(box.open(sealed, webhookSecretAad(integrationId)), 'base64');
}

/** What a customer pastes into EventBridge (or a signing forwarder) for one integration. */
export interface EventCredentials {
  endpointUrl: string;
  /** X-Orglink-Event-Key value (the template puts it in the EventBridge Connection). */
  eventKey: string;
  /** base64 secret for the X-Orglink-Signature mode. */
  signingSecret: string;
}

/** The endpoint, event key and signing secret derived from a secret. */
export function eventCredentials(publicUrl: string, integrationId: string, secret: Buffer): EventCredentials {
  return {
    endpointUrl: eventEndpointUrl(publicUrl, integrationId),
    eventKey: deriveEventKey(secret, integrationId),
    signingSecret: secret.toString('base64'),
  };
}
