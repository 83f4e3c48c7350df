/** Routes for AWS integrations at tenant and org level. */
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  listOrgIntegrations,
  updateIntegration,
} from '../../services/integration-service.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { errorResponses, listOf, orgParams, tenantParams, tenantRefParams } from '../schemas/common.js';
import {
  confirmBody,
  createIntegrationBody,
  integrationDeletedSchema,
  integrationListQuery,
  integrationSchema,
  updateIntegrationBody,
} from '../schemas/integration.js';

const tags = ['integrations'];

/** Registers the integration CRUD routes. */
export function registerIntegrationRoutes(app: ApiInstance, { deps }: RouteContext): void {
  app.post('/v1/tenants/:tenantId/integrations', {
    schema: {
      operationId: 'createTenantIntegration', tags, summary: 'Create a tenant-level integration (enterprise tenant, tenant owner)',
      params: tenantParams, body: createIntegrationBody, response: { 201: integrationSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const scope = { kind: 'tenant' as const, tenantId: request.params.tenantId };
    return reply.status(201).send(await createIntegration(deps, actorOf(request), scope, request.body));
  });

  app.post('/v1/orgs/:orgId/integrations', {
    schema: {
      operationId: 'createOrgIntegration', tags, summary: 'Create an org-level integration (team/enterprise org, org owner or admin)',
      params: orgParams, body: createIntegrationBody, response: { 201: integrationSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const scope = { kind: 'org' as const, orgId: request.params.orgId };
    return reply.status(201).send(await createIntegration(deps, actorOf(request), scope, request.body));
  });

  app.get('/v1/orgs/:orgId/integrations', {
    schema: { operationId: 'listOrgIntegrations', tags, params: orgParams, response: { 200: listOf(integrationSchema), ...errorResponses } },
  }, async (request) => ({ items: await listOrgIntegrations(deps, actorOf(request), request.params.orgId) }));

  app.get('/v1/tenants/:tenantId/integrations', {
    schema: {
      operationId: 'listIntegrations', tags, summary: "The tenant's integrations, org-level ones included",
      params: tenantParams, querystring: integrationListQuery, response: { 200: listOf(integrationSchema), ...errorResponses },
    },
  }, async (request) => ({ items: await listIntegrations(deps, actorOf(request), request.params.tenantId, request.query) }));

  app.get('/v1/tenants/:tenantId/integrations/:ref', {
    schema: { operationId: 'getIntegration', tags, summary: 'One integration by id or handle', params: tenantRefParams, response: { 200: integrationSchema, ...errorResponses } },
  }, (request) => getIntegration(deps, actorOf(request), request.params.tenantId, request.params.ref));

  app.patch('/v1/tenants/:tenantId/integrations/:ref', {
    schema: {
      operationId: 'updateIntegration', tags, summary: 'Modify handle, handle prefix, credentials, connection settings, capabilities, permissions or the sync interval',
      params: tenantRefParams, body: updateIntegrationBody, response: { 200: integrationSchema, ...errorResponses },
    },
  }, (request) => updateIntegration(deps, actorOf(request), request.params.tenantId, request.params.ref, request.body));

  app.delete('/v1/tenants/:tenantId/integrations/:ref', {
    schema: {
      operationId: 'deleteIntegration', tags, summary: 'Delete an integration and all its folders, connections and permissions',
      params: tenantRefParams, body: confirmBody, response: { 200: integrationDeletedSchema, ...errorResponses },
    },
  }, (request) => deleteIntegration(deps, actorOf(request), request.params.tenantId, request.params.ref, request.body.confirm));
}
