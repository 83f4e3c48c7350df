/** Routes over the mirror: the integration's tree, and custom handles on folders and discovered connections. */
import { z } from 'zod';
import { getTree } from '../../services/sync/sync-access.js';
import { setConnectionHandle, setFolderHandle } from '../../services/sync/mirror-handles.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { errorResponses, isoDate, tenantRefParams } from '../schemas/common.js';
import { connectionSchema } from '../schemas/connection.js';

const health = z.enum(['unknown', 'ok', 'blocked', 'error']);
const healthCounts = z.object({ ok: z.number().int(), blocked: z.number().int(), error: z.number().int(), unknown: z.number().int() });

const treeNodeSchema = z.object({
  kind: z.enum(['folder', 'connection']),
  id: z.string(),
  awsId: z.string().describe('Root or OU id for folders, account id for connections'),
  parentId: z.string().nullable(),
  depth: z.number().int(),
  handle: z.string(),
  title: z.string(),
  state: z.enum(['active', 'disabled']).nullable().describe('Connections only'),
  health: health.nullable().describe('Connections only; folders carry counts'),
  healthReason: z.string().optional(),
  counts: healthCounts.optional().describe('Folders: connections beneath, recursively, by health'),
});
export const integrationTreeSchema = z.object({
  integration: z.object({ id: z.string(), handle: z.string() }),
  nodes: z.array(treeNodeSchema).describe('Depth-first: each folder, then its subfolders and connections'),
});
const folderSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  integrationId: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(['root', 'ou']),
  awsId: z.string(),
  handle: z.string(),
  handleIsCustom: z.boolean(),
  title: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
const handleBody = z.strictObject({ handle: z.string().describe('A custom handle: kept through AWS renames, moves and prefix changes') });

/** Registers the tree and custom-handle routes. */
export function registerTreeRoutes(app: ApiInstance, { deps }: RouteContext): void {
  app.get('/v1/tenants/:tenantId/integrations/:ref/tree', {
    schema: {
      operationId: 'getIntegrationTree', tags: ['integrations'], summary: "The integration's mirror: folders (with health counts) and connections",
      params: tenantRefParams, response: { 200: integrationTreeSchema, ...errorResponses },
    },
  }, (request) => getTree(deps, actorOf(request), request.params.tenantId, request.params.ref));

  app.patch('/v1/tenants/:tenantId/folders/:ref', {
    schema: {
      operationId: 'updateFolder', tags: ['folders'], summary: "Set a folder's custom handle (unique among the tenant's folders)",
      params: tenantRefParams, body: handleBody, response: { 200: folderSchema, ...errorResponses },
    },
  }, (request) => setFolderHandle(deps, actorOf(request), request.params.tenantId, request.params.ref, request.body.handle));

  app.put('/v1/tenants/:tenantId/connections/:ref/handle', {
    schema: {
      operationId: 'setConnectionHandle', tags: ['connections'],
      summary: "Set a connection's custom handle, discovered connections included (unique among the tenant's connections)",
      params: tenantRefParams, body: handleBody, response: { 200: connectionSchema, ...errorResponses },
    },
  }, (request) => setConnectionHandle(deps, actorOf(request), request.params.tenantId, request.params.ref, request.body.handle));
}
