/**
 * Setup for event tests: the sync harness's sandbox, database and integration, plus the orglink
 * API listening on a real port with the event routes, and the sandbox delivering its
 * Organizations events there with the integration's event key — as EventBridge's API
 * destination would. `requestFullSync` records what it was asked (the jobs layer queues a sync).
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { flushEventDeliveries, setEventTargets } from '../../packages/sandbox/src/events-delivery.js';
import type { SandboxEvent } from '../../packages/sandbox/src/events.js';
import { startServer } from '../../src/api/app.js';
import type { ApiInstance } from '../../src/api/route-context.js';
import { deriveEventKey, EVENT_KEY_HEADER } from '../../src/core/events/event-signature.js';
import { ensureWebhookSecret } from '../../src/services/events/webhook-secret.js';
import { createSecretBox, generateSecretKey } from '../../src/store/secret-box.js';
import type { TestDatabase } from '../support/databases.js';
import { startSyncWorld, type SyncWorld, type SyncWorldOptions } from '../sync/sync-harness.js';

export interface EventWorld extends SyncWorld {
  app: ApiInstance;
  apiUrl: string;
  eventUrl: string;
  eventKey: string;
  /** Organizations as the management account's root user (makes the changes). */
  organizations: OrganizationsClient;
  fullSyncRequests: Array<{ integrationId: string; reason: string }>;
  /** Called for each full-sync request after it is recorded (e.g. to queue a real job). */
  onFullSync: ((request: { tenantId: string; integrationId: string; reason: string }) => Promise<void>) | null;
  /** Stops or resumes the sandbox's delivery to orglink. */
  deliver(on: boolean): void;
  /** Waits until every event the sandbox queued has been answered by orglink. */
  flush(): Promise<void>;
  /** POSTs one event as the sandbox would; returns the status and outcome. */
  post(event: SandboxEvent): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** A sync world plus the API with event routes and sandbox delivery to it. */
export async function startEventWorld(tdb: TestDatabase, options: SyncWorldOptions): Promise<EventWorld> {
  const w = await startSyncWorld(tdb, options);
  const secretBox = createSecretBox(generateSecretKey());
  const fullSyncRequests: EventWorld['fullSyncRequests'] = [];
  const hooks: { onFullSync: EventWorld['onFullSync'] } = { onFullSync: null };
  const { app, url } = await startServer({
    store: w.store,
    config: { platformPrincipalArn: w.sandbox.platform.principalArn },
    port: 0,
    events: {
      secretBox,
      publicUrl: 'https://orglink.example.com',
      aws: w.deps.aws,
      guard: w.deps.guard,
      requestFullSync: async (request) => {
        fullSyncRequests.push({ integrationId: request.integrationId, reason: request.reason });
        await hooks.onFullSync?.(request);
      },
    },
  });
  const secret = await ensureWebhookSecret(w.store.db, secretBox, w.integrationId);
  const eventKey = deriveEventKey(secret, w.integrationId);
  const eventUrl = `${url}/v1/events/aws/${w.integrationId}`;
  const target = { url: eventUrl, headers: { [EVENT_KEY_HEADER]: eventKey } };
  setEventTargets(w.sandbox.world, [target]);
  const organizations = new OrganizationsClient({ endpoint: w.sandbox.endpoint, region: w.sandbox.region, credentials: w.sandbox.managementRoot, maxAttempts: 1 });
  return {
    ...w,
    get onFullSync() {
      return hooks.onFullSync;
    },
    set onFullSync(handler) {
      hooks.onFullSync = handler;
    },
    app,
    apiUrl: url,
    eventUrl,
    eventKey,
    organizations,
    fullSyncRequests,
    deliver: (on) => setEventTargets(w.sandbox.world, on ? [target] : []),
    flush: () => flushEventDeliveries(w.sandbox.world),
    async post(event) {
      const response = await fetch(eventUrl, { method: 'POST', headers: { 'content-type': 'application/json', [EVENT_KEY_HEADER]: eventKey }, body: JSON.stringify(event) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      organizations.destroy();
      await app.close();
      await w.close();
    },
  };
}
