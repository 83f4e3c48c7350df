/**
 * The user-facing side of event forwarding: read an integration's event endpoint and key
 * (creating the secret on first use) and rotate the key. Both need the right to manage the
 * integration; a rotation is audited (without the secret), a first read is not a mutation
 * anyone asked for and is not.
 */
import type { SecretBox } from '../../store/secret-box.js';
import { loadTenantAccess } from '../access-control.js';
import { writeAudit } from '../audit-service.js';
import { type Actor, inTransaction, type ServiceDeps } from '../context.js';
import { assertMayManage, resolveIntegration } from '../integration-service.js';
import { ensureWebhookSecret, eventCredentials, rotateWebhookSecret, type EventCredentials } from './webhook-secret.js';

export interface EventSettingsDeps extends ServiceDeps {
  secretBox: SecretBox;
  /** The server's public URL, under which /v1/events/aws/<id> is reachable. */
  publicUrl: string;
}

async function managedIntegration(deps: EventSettingsDeps, actor: Actor, tenantId: string, ref: string) {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const row = await resolveIntegration(deps.db, access, ref);
  const org = row.org_id === null ? null : await deps.db.selectFrom('orgs').selectAll().where('id', '=', row.org_id).executeTakeFirstOrThrow();
  assertMayManage(access, org);
  return row;
}

/** The integration's event endpoint and credentials (the secret is created if it does not exist yet). */
export async function getEventCredentials(deps: EventSettingsDeps, actor: Actor, tenantId: string, ref: string): Promise<EventCredentials> {
  const row = await managedIntegration(deps, actor, tenantId, ref);
  const secret = await ensureWebhookSecret(deps.db, deps.secretBox, row.id);
  return eventCredentials(deps.publicUrl, row.id, secret);
}

/** Replaces the integration's webhook secret; returns the new credentials. */
export async function rotateEventKey(deps: EventSettingsDeps, actor: Actor, tenantId: string, ref: string): Promise<EventCredentials> {
  const row = await managedIntegration(deps, actor, tenantId, ref);
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const secret = await rotateWebhookSecret(trx, deps.secretBox, row.id);
    await trx.updateTable('integrations').set({ updated_at: now }).where('id', '=', row.id).execute();
    await writeAudit(trx, actor, now, {
      tenantId,
      action: 'integration.events.rotate_key',
      targetKind: 'integration',
      targetId: row.id,
      before: null,
      after: { integrationId: row.id, rotatedAt: now.toISOString() },
    });
    return eventCredentials(deps.publicUrl, row.id, secret);
  });
}
