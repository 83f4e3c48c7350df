/** Routes for API tokens and the audit log. */
import { z } from 'zod';
import { listAudit, listInstallationAudit } from '../../services/audit-service.js';
import { createToken, listTokens, revokeToken } from '../../services/token-service.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { auditEntrySchema, auditQuery, installationAuditQuery } from '../schemas/audit.js';
import { errorResponses, listOf, tenantParams } from '../schemas/common.js';
import { createdTokenSchema, createTokenBody, tokenParams, tokenSchema, userParams } from '../schemas/tenancy.js';

/** Registers token and audit routes. */
export function registerTokenAuditRoutes(app: ApiInstance, { deps }: RouteContext): void {
  app.post('/v1/users/:userId/tokens', {
    schema: {
      operationId: 'createToken', tags: ['tokens'], summary: 'Create an API token (installation admin or the user themself); the token is shown once',
      params: userParams, body: createTokenBody, response: { 201: createdTokenSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(await createToken(deps, actorOf(request), request.params.userId, request.body)));

  app.get('/v1/users/:userId/tokens', {
    schema: { operationId: 'listTokens', tags: ['tokens'], params: userParams, response: { 200: listOf(tokenSchema), ...errorResponses } },
  }, async (request) => ({ items: await listTokens(deps, actorOf(request), request.params.userId) }));

  app.delete('/v1/users/:userId/tokens/:tokenId', {
    schema: { operationId: 'revokeToken', tags: ['tokens'], summary: 'Revoke an API token', params: tokenParams, response: { 200: tokenSchema, ...errorResponses } },
  }, (request) => revokeToken(deps, actorOf(request), request.params.userId, request.params.tokenId));

  app.get('/v1/tenants/:tenantId/audit', {
    schema: {
      operationId: 'listAudit', tags: ['audit'], summary: "The tenant's audit log, newest first (tenant owner or admin)",
      params: tenantParams, querystring: auditQuery, response: { 200: listOf(auditEntrySchema), ...errorResponses },
    },
  }, async (request) => ({ items: await listAudit(deps, actorOf(request), request.params.tenantId, request.query) }));

  app.get('/v1/audit', {
    schema: {
      operationId: 'listInstallationAudit', tags: ['audit'],
      summary: "The installation's audit log, tenant-less entries (tokens, bootstrap) included (installation admin)",
      querystring: installationAuditQuery, response: { 200: listOf(auditEntrySchema), ...errorResponses },
    },
  }, async (request) => {
    const { tenantId, ...page } = request.query;
    const scope = tenantId === undefined ? {} : { tenantId: tenantId === 'none' ? null : tenantId };
    return { items: await listInstallationAudit(deps, actorOf(request), { ...page, ...scope }) };
  });
}

export const healthSchema = z.object({ ok: z.literal(true) });
