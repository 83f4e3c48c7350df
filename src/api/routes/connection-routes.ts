/** Routes for connections: standalone create/modify/delete, and list/show of all kinds. */
import {
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  updateConnection,
} from '../../services/connection-service.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { errorResponses, listOf, tenantParams, tenantRefParams } from '../schemas/common.js';
import {
  connectionDeletedSchema,
  connectionListQuery,
  connectionSchema,
  createConnectionBody,
  updateConnectionBody,
} from '../schemas/connection.js';
import { confirmBody } from '../schemas/integration.js';

const tags = ['connections'];

/** Registers the connection routes. */
export function registerConnectionRoutes(app: ApiInstance, { deps }: RouteContext): void {
  app.post('/v1/tenants/:tenantId/connections', {
    schema: {
      operationId: 'createConnection', tags, summary: 'Create a standalone connection (one account, several, or all)',
      params: tenantParams, body: createConnectionBody, response: { 201: connectionSchema, ...errorResponses },
    },
  }, async (request, reply) => reply.status(201).send(await createConnection(deps, actorOf(request), request.params.tenantId, request.body)));

  app.get('/v1/tenants/:tenantId/connections', {
    schema: { operationId: 'listConnections', tags, params: tenantParams, querystring: connectionListQuery, response: { 200: listOf(connectionSchema), ...errorResponses } },
  }, async (request) => {
    const { standalone, ...rest } = request.query;
    const filter = { ...rest, ...(standalone === undefined ? {} : { standalone: standalone === 'true' }) };
    return { items: await listConnections(deps, actorOf(request), request.params.tenantId, filter) };
  });

  app.get('/v1/tenants/:tenantId/connections/:ref', {
    schema: { operationId: 'getConnection', tags, summary: 'One connection by id or handle', params: tenantRefParams, response: { 200: connectionSchema, ...errorResponses } },
  }, (request) => getConnection(deps, actorOf(request), request.params.tenantId, request.params.ref));

  app.patch('/v1/tenants/:tenantId/connections/:ref', {
    schema: { operationId: 'updateConnection', tags, summary: 'Modify a standalone connection', params: tenantRefParams, body: updateConnectionBody, response: { 200: connectionSchema, ...errorResponses } },
  }, (request) => updateConnection(deps, actorOf(request), request.params.tenantId, request.params.ref, request.body));

  app.delete('/v1/tenants/:tenantId/connections/:ref', {
    schema: { operationId: 'deleteConnection', tags, summary: 'Delete a standalone connection', params: tenantRefParams, body: confirmBody, response: { 200: connectionDeletedSchema, ...errorResponses } },
  }, (request) => deleteConnection(deps, actorOf(request), request.params.tenantId, request.params.ref, request.body.confirm));
}
