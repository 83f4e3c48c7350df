/**
 * The cross-row rules a single table constraint cannot express: integration handles are
 * unique across the tenant including every org's integrations (and the 409 says where the
 * clash lives), External IDs are unique across integrations AND standalone connections,
 * and permission workspaces must lie inside the integration's scope. The database's own
 * unique indexes remain the last line against races; `asConflict` translates those.
 */
import { ConflictError, InputError } from '../core/errors.js';
import { PG_UNIQUE_VIOLATION, pgErrorFields } from '../store/pg-errors.js';
import type { Db } from './context.js';

/** Where an existing handle lives, for 409 details. */
export interface HandleLocation {
  kind: 'integration' | 'connection';
  id: string;
  scope: 'tenant' | 'org';
  orgId?: string;
  orgName?: string;
  integrationId?: string;
}

function describe(location: HandleLocation): string {
  const owner = location.scope === 'org' ? `org '${location.orgName}' (${location.orgId})` : 'the tenant';
  return `${location.kind === 'integration' ? 'an integration' : 'a connection'} of ${owner}`;
}

/** Refuses with 409 handle_taken when another integration of the tenant (any org) has this handle. */
export async function assertIntegrationHandleFree(trx: Db, tenantId: string, handle: string, exceptId?: string): Promise<void> {
  let query = trx
    .selectFrom('integrations')
    .leftJoin('orgs', 'orgs.id', 'integrations.org_id')
    .select(['integrations.id', 'integrations.org_id', 'orgs.name as org_name'])
    .where('integrations.tenant_id', '=', tenantId)
    .where('integrations.handle', '=', handle);
  if (exceptId !== undefined) query = query.where('integrations.id', '<>', exceptId);
  const clash = await query.executeTakeFirst();
  if (!clash) return;
  const where: HandleLocation =
    clash.org_id === null
      ? { kind: 'integration', id: clash.id, scope: 'tenant' }
      : { kind: 'integration', id: clash.id, scope: 'org', orgId: clash.org_id, orgName: clash.org_name ?? '' };
  throw new ConflictError('handle_taken', `Handle '${handle}' is already used by ${describe(where)}`, {
    field: 'handle',
    details: { where },
  });
}

/** Refuses with 409 handle_taken when another connection of the tenant has this handle. */
export async function assertConnectionHandleFree(trx: Db, tenantId: string, handle: string, exceptId?: string): Promise<void> {
  let query = trx
    .selectFrom('connections')
    .leftJoin('orgs', 'orgs.id', 'connections.org_id')
    .select(['connections.id', 'connections.org_id', 'connections.integration_id', 'orgs.name as org_name'])
    .where('connections.tenant_id', '=', tenantId)
    .where('connections.handle', '=', handle);
  if (exceptId !== undefined) query = query.where('connections.id', '<>', exceptId);
  const clash = await query.executeTakeFirst();
  if (!clash) return;
  const where: HandleLocation = {
    kind: 'connection',
    id: clash.id,
    scope: clash.org_id === null ? 'tenant' : 'org',
    ...(clash.org_id === null ? {} : { orgId: clash.org_id, orgName: clash.org_name ?? '' }),
    ...(clash.integration_id === null ? {} : { integrationId: clash.integration_id }),
  };
  throw new ConflictError('handle_taken', `Handle '${handle}' is already used by ${describe(where)}`, {
    field: 'handle',
    details: { where },
  });
}

/** Refuses with 409 external_id_taken when any integration or connection already uses the External ID. */
export async function assertExternalIdFree(
  trx: Db,
  externalId: string,
  field: string,
  except?: { kind: 'integration' | 'connection'; id: string },
): Promise<void> {
  let integrations = trx.selectFrom('integrations').select('id').where('external_id', '=', externalId);
  if (except?.kind === 'integration') integrations = integrations.where('id', '<>', except.id);
  let connections = trx.selectFrom('connections').select('id').where('external_id', '=', externalId);
  if (except?.kind === 'connection') connections = connections.where('id', '<>', except.id);
  const clash = (await integrations.executeTakeFirst()) ?? (await connections.executeTakeFirst());
  if (clash) {
    throw new ConflictError('external_id_taken', 'This External ID is already in use; choose another random part', { field });
  }
}

/** Refuses with 400 unless every workspace id belongs to the scope (the tenant, or the one org). */
export async function assertWorkspacesInScope(
  trx: Db,
  scope: { tenantId: string; orgId: string | null },
  workspaceIds: readonly string[],
  field = 'permissions.workspaceIds',
): Promise<void> {
  if (workspaceIds.length === 0) return;
  let query = trx.selectFrom('workspaces').select('id').where('tenant_id', '=', scope.tenantId).where('id', 'in', [...workspaceIds]);
  if (scope.orgId !== null) query = query.where('org_id', '=', scope.orgId);
  const found = new Set((await query.execute()).map((row) => row.id));
  const index = workspaceIds.findIndex((id) => !found.has(id));
  if (index >= 0) {
    const where = scope.orgId === null ? 'this tenant' : `org ${scope.orgId}`;
    throw new InputError('workspace_not_in_scope', `Workspace '${workspaceIds[index]}' is not a workspace of ${where}`, {
      field,
      details: { workspaceId: workspaceIds[index], index },
    });
  }
}

/** Re-throws a unique violation as the 409 the pre-checks would have given; other errors unchanged. */
export function rethrowAsConflict(error: unknown, externalIdField: string): never {
  const fields = pgErrorFields(error);
  if (fields?.code !== PG_UNIQUE_VIOLATION) throw error;
  if (`${fields.constraint ?? ''} ${fields.detail ?? ''}`.includes('external_id')) {
    throw new ConflictError('external_id_taken', 'This External ID was taken concurrently', { field: externalIdField, cause: error });
  }
  throw new ConflictError('handle_taken', 'This handle was taken concurrently', { field: 'handle', cause: error });
}
