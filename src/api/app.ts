/**
 * The REST API as a Fastify instance: zod schemas on every route (request validation and
 * response allowlist), bearer-token auth on /v1, errors mapped once, OpenAPI at
 * /openapi.json and readable docs at /docs. `buildApp` never listens; `startServer` does.
 */
import fastify, { type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { authenticate } from '../services/token-service.js';
import { handleError, handleNotFound } from './error-mapping.js';
import { type ApiConfig, type ApiInstance, type RouteContext, bearerToken } from './route-context.js';
import { registerConnectionRoutes } from './routes/connection-routes.js';
import { type EventRouteDeps, registerEventRoutes } from './routes/event-routes.js';
import { registerIntegrationRoutes } from './routes/integration-routes.js';
import { registerSyncRoutes, type SyncRouteOptions } from './routes/sync-routes.js';
import { registerTreeRoutes } from './routes/tree-routes.js';
import { registerTemplateRoutes } from './routes/template-routes.js';

import { registerTenancyRoutes } from './routes/tenancy-routes.js';
import { healthSchema, registerTokenAuditRoutes } from './routes/token-audit-routes.js';
import { zodSerializerCompiler, zodSwaggerTransform, zodValidatorCompiler, type ZodTypeProvider } from './zod-provider.js';

export interface BuildAppOptions {
  store: { db: Kysely<Database> };
  config: ApiConfig;
  clock?: () => Date;
  /** Fastify logger option; off by default so tests stay quiet. */
  logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Event endpoint and event credential routes; absent: not served (see docs/events.md). */
  events?: EventRouteDeps;
  /** Sync, runs, approval and Test Connection routes; absent: not served (they need AWS access). */
  sync?: SyncRouteOptions;
}

/** Builds the API (routes registered, not listening). */
export async function buildApp(options: BuildAppOptions): Promise<ApiInstance> {
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(zodSerializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'orglink API', version: '1', description: 'Connect a platform to AWS accounts through cross-account roles with External IDs.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: zodSwaggerTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const context: RouteContext = {
    deps: { db: options.store.db, clock: options.clock ?? (() => new Date()) },
    config: options.config,
  };

  app.get('/healthz', {
    schema: { operationId: 'health', tags: ['meta'], summary: 'Liveness (no auth)', security: [], response: { 200: healthSchema } },
  }, () => ({ ok: true as const }));
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(async (v1) => {
    v1.decorateRequest('actor', null);
    v1.addHook('onRequest', async (request) => {
      request.actor = await authenticate(context.deps, bearerToken(request));
    });
    registerTenancyRoutes(v1, context);
    registerIntegrationRoutes(v1, context);
    registerConnectionRoutes(v1, context);
    registerTemplateRoutes(v1, context);
    registerTreeRoutes(v1, context);
    if (options.sync !== undefined) registerSyncRoutes(v1, context, options.sync);
    registerTokenAuditRoutes(v1, context);
  });
  if (options.events !== undefined) await registerEventRoutes(app, context, options.events);
  return app;
}

/** Builds the API and listens; resolves with the instance and its URL. */
export async function startServer(options: BuildAppOptions & { host?: string; port?: number }): Promise<{ app: ApiInstance; url: string }> {
  const app = await buildApp(options);
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  return { app, url };
}
