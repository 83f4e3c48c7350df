/** Routes for the caller, tenants, orgs, workspaces and members. */
import { z } from 'zod';
import { addMember, listMembers } from '../../services/member-service.js';
import { getMe } from '../../services/me-service.js';
import { createOrg, getOrg, listOrgs } from '../../services/org-service.js';
import { createTenant, getTenant, listTenants } from '../../services/tenant-service.js';
import { createWorkspace, listWorkspaces } from '../../services/workspace-service.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { errorResponses, listOf, orgParams, tenantParams } from '../schemas/common.js';
import {
  addMemberBody,
  addMemberResponse,
  createOrgBody,
  createTenantBody,
  createWorkspaceBody,
  meSchema,
  memberSchema,
  orgSchema,
  tenantSchema,
  workspaceSchema,
} from '../schemas/tenancy.js';

const noQuery = z.strictObject({});

/** Registers /v1/me, tenants, orgs, workspaces and members. */
export function registerTenancyRoutes(app: ApiInstance, { deps }: RouteContext): void {
  app.get('/v1/me', {
    schema: { operationId: 'getMe', tags: ['me'], summary: 'The caller and their memberships', querystring: noQuery, response: { 200: meSchema, ...errorResponses } },
  }, (request) => getMe(deps, actorOf(request)));

  app.post('/v1/tenants', {
    schema: { operationId: 'createTenant', tags: ['tenants'], summary: 'Create a tenant (installation admin)', body: createTenantBody, response: { 201: tenantSchema, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await createTenant(deps, actorOf(request), request.body)));

  app.get('/v1/tenants', {
    schema: { operationId: 'listTenants', tags: ['tenants'], summary: 'Tenants the caller belongs to', querystring: noQuery, response: { 200: listOf(tenantSchema), ...errorResponses } },
  }, async (request) => ({ items: await listTenants(deps, actorOf(request)) }));

  app.get('/v1/tenants/:tenantId', {
    schema: { operationId: 'getTenant', tags: ['tenants'], params: tenantParams, response: { 200: tenantSchema, ...errorResponses } },
  }, (request) => getTenant(deps, actorOf(request), request.params.tenantId));

  app.post('/v1/tenants/:tenantId/orgs', {
    schema: { operationId: 'createOrg', tags: ['orgs'], params: tenantParams, body: createOrgBody, response: { 201: orgSchema, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await createOrg(deps, actorOf(request), request.params.tenantId, request.body)));

  app.get('/v1/tenants/:tenantId/orgs', {
    schema: { operationId: 'listOrgs', tags: ['orgs'], params: tenantParams, response: { 200: listOf(orgSchema), ...errorResponses } },
  }, async (request) => ({ items: await listOrgs(deps, actorOf(request), request.params.tenantId) }));

  app.get('/v1/orgs/:orgId', {
    schema: { operationId: 'getOrg', tags: ['orgs'], params: orgParams, response: { 200: orgSchema, ...errorResponses } },
  }, (request) => getOrg(deps, actorOf(request), request.params.orgId));

  app.post('/v1/orgs/:orgId/workspaces', {
    schema: { operationId: 'createWorkspace', tags: ['workspaces'], params: orgParams, body: createWorkspaceBody, response: { 201: workspaceSchema, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await createWorkspace(deps, actorOf(request), request.params.orgId, request.body)));

  app.get('/v1/orgs/:orgId/workspaces', {
    schema: { operationId: 'listWorkspaces', tags: ['workspaces'], params: orgParams, response: { 200: listOf(workspaceSchema), ...errorResponses } },
  }, async (request) => ({ items: await listWorkspaces(deps, actorOf(request), request.params.orgId) }));

  app.post('/v1/tenants/:tenantId/members', {
    schema: { operationId: 'addMember', tags: ['members'], summary: 'Add a user (created if new) with a role at tenant or org scope', params: tenantParams, body: addMemberBody, response: { 201: addMemberResponse, ...errorResponses } },
  }, async (request, reply) => reply.status(201).send(await addMember(deps, actorOf(request), request.params.tenantId, request.body)));

  app.get('/v1/tenants/:tenantId/members', {
    schema: { operationId: 'listMembers', tags: ['members'], params: tenantParams, response: { 200: listOf(memberSchema), ...errorResponses } },
  }, async (request) => ({ items: await listMembers(deps, actorOf(request), request.params.tenantId) }));
}
