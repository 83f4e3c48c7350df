/**
 * Event routes. `POST /v1/events/aws/:integrationId` receives Organizations events forwarded by
 * EventBridge (no bearer token: the event key or a body signature authenticates, checked on the
 * raw bytes BEFORE the body is validated, so an unauthenticated caller only ever sees 401).
 * The bearer-authenticated routes read and rotate an integration's event credentials.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EVENT_KEY_HEADER, SIGNATURE_HEADER } from '../../core/events/event-signature.js';
import type { EventEnvelope } from '../../core/events/organizations-event.js';
import type { SecretBox } from '../../store/secret-box.js';
import { applyOrganizationsEvent, type EventApplyDeps } from '../../services/events/apply-organizations-event.js';
import { authenticateEvent, type EventIntegrationRef } from '../../services/events/event-auth.js';
import { getEventCredentials, rotateEventKey } from '../../services/events/event-settings-service.js';
import { authenticate } from '../../services/token-service.js';
import { type ApiInstance, type RouteContext, actorOf, bearerToken } from '../route-context.js';
import { errorResponses, errorSchema, tenantRefParams } from '../schemas/common.js';
import type { ZodTypeProvider } from '../zod-provider.js';

/** What the event routes need beyond the shared route context. */
export interface EventRouteDeps extends Omit<EventApplyDeps, 'db' | 'clock'> {
  secretBox: SecretBox;
  /** The server's public URL; event endpoints are <publicUrl>/v1/events/aws/<integration id>. */
  publicUrl: string;
}

/** EventBridge events are at most 256 KB. */
const EVENT_BODY_LIMIT = 256 * 1024;

const eventParams = z.strictObject({ integrationId: z.string().min(1).max(64) });

const envelopeSchema = z
  .looseObject({
    version: z.string().optional(),
    id: z.string().min(1).max(256).describe('EventBridge event id: the idempotency key'),
    'detail-type': z.string().max(256),
    source: z.string().max(256),
    account: z.string().optional(),
    time: z.string().optional(),
    region: z.string().optional(),
    resources: z.array(z.unknown()).optional(),
    detail: z.looseObject({
      eventName: z.string().max(128).optional(),
      errorCode: z.string().max(256).optional(),
      requestParameters: z.unknown().optional(),
      responseElements: z.unknown().optional(),
      serviceEventDetails: z.unknown().optional(),
      userIdentity: z.unknown().optional(),
    }),
  })
  .describe('An EventBridge event (CloudTrail record of an AWS Organizations change)');

const outcomeSchema = z
  .object({
    status: z.enum(['applied', 'unchanged', 'duplicate', 'ignored', 'reconcile']),
    eventId: z.string(),
    eventName: z.string().nullable(),
    code: z.string().optional(),
    reason: z.string().optional(),
    counts: z.record(z.string(), z.number()).optional().describe('Mirror ops applied, by type'),
    healthUpdated: z.number().optional().describe('Connections whose health changed'),
  })
  .describe('What became of the event: applied to the mirror, unchanged, a duplicate, ignored, or handed to a full reconcile');

const credentialsSchema = z
  .object({
    endpointUrl: z.string().describe('Where EventBridge (or a forwarder) posts events'),
    eventKey: z.string().describe(`Value of the ${EVENT_KEY_HEADER} header (the EventBridge Connection's API key)`),
    signingSecret: z.string().describe(`base64 secret for the ${SIGNATURE_HEADER} mode (HMAC-SHA256 of "<t>.<body>")`),
  })
  .describe("An integration's event endpoint and credentials");

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

async function registerReceiver(app: ApiInstance, { deps }: RouteContext, events: EventRouteDeps): Promise<void> {
  const applyDeps: EventApplyDeps = { ...events, db: deps.db, clock: deps.clock };
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const authenticated = new WeakMap<FastifyRequest, EventIntegrationRef>();
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: EVENT_BODY_LIMIT }, (request, body, done) => {
      const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
      rawBodies.set(request, raw);
      try {
        done(null, JSON.parse(raw.toString('utf8')));
      } catch {
        // Malformed JSON is reported after authentication, by body validation.
        done(null, null);
      }
    });
    scope.post('/v1/events/aws/:integrationId', {
      bodyLimit: EVENT_BODY_LIMIT,
      schema: {
        operationId: 'receiveAwsEvent', tags: ['events'], security: [],
        summary: `Receive an AWS Organizations event forwarded by EventBridge (${EVENT_KEY_HEADER} or ${SIGNATURE_HEADER})`,
        params: eventParams, body: envelopeSchema, response: { 200: outcomeSchema, 202: outcomeSchema, 400: errorSchema, 401: errorSchema },
      },
      preValidation: async (request) => {
        const params = request.params as { integrationId?: unknown };
        const integrationId = typeof params.integrationId === 'string' ? params.integrationId : '';
        const ref = await authenticateEvent(
          { db: deps.db, secretBox: events.secretBox },
          integrationId,
          { eventKey: header(request, EVENT_KEY_HEADER), signature: header(request, SIGNATURE_HEADER) },
          rawBodies.get(request) ?? Buffer.alloc(0),
          deps.clock(),
        );
        authenticated.set(request, ref);
      },
    }, async (request, reply) => {
      const ref = authenticated.get(request);
      if (ref === undefined) throw new Error('event route reached without authentication');
      const outcome = await applyOrganizationsEvent(applyDeps, { tenantId: ref.tenantId, integrationId: ref.id, envelope: request.body as EventEnvelope });
      const accepted = outcome.status === 'ignored' || outcome.status === 'reconcile';
      return reply.status(accepted ? 202 : 200).send(outcome);
    });
  });
}

async function registerCredentialRoutes(app: ApiInstance, context: RouteContext, events: EventRouteDeps): Promise<void> {
  const settingsDeps = { ...context.deps, secretBox: events.secretBox, publicUrl: events.publicUrl };
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<ZodTypeProvider>();
    scope.decorateRequest('actor', null);
    scope.addHook('onRequest', async (request) => {
      request.actor = await authenticate(context.deps, bearerToken(request));
    });
    scope.get('/v1/tenants/:tenantId/integrations/:ref/events', {
      schema: {
        operationId: 'getIntegrationEventCredentials', tags: ['events'],
        summary: "An integration's event endpoint, event key and signing secret (created on first read; integration managers only)",
        params: tenantRefParams, response: { 200: credentialsSchema, ...errorResponses },
      },
    }, async (request) => getEventCredentials(settingsDeps, actorOf(request), request.params.tenantId, request.params.ref));
    scope.post('/v1/tenants/:tenantId/integrations/:ref/events/rotate-key', {
      schema: {
        operationId: 'rotateIntegrationEventKey', tags: ['events'],
        summary: 'Replace the webhook secret: the old event key and signing secret stop working at once',
        params: tenantRefParams, response: { 200: credentialsSchema, ...errorResponses },
      },
    }, async (request) => rotateEventKey(settingsDeps, actorOf(request), request.params.tenantId, request.params.ref));
  });
}

/** Registers the event receiver and the event credential routes. */
export async function registerEventRoutes(app: ApiInstance, context: RouteContext, events: EventRouteDeps): Promise<void> {
  await registerReceiver(app, context, events);
  await registerCredentialRoutes(app, context, events);
}
