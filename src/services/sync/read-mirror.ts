/**
 * Reading one integration's mirror from the database: its folders and connections as a
 * MirrorSnapshot for the planner, the current health of each connection (so a sync only
 * writes health that changed), and the handles the rest of the tenant already holds.
 */
import { type MirrorSnapshot, snapshotFromRows } from '../../core/mirror/mirror-snapshot.js';
import type { Health } from '../../store/database.js';
import type { Db } from '../context.js';

/** A connection's stored health, by AWS account id. */
export interface StoredHealth {
  connectionId: string;
  health: Health;
  reason: string | null;
}

export interface MirrorRead {
  snapshot: MirrorSnapshot;
  health: Map<string, StoredHealth>;
}

/** Reads the integration's folders and connections (ordered by id, so reads are reproducible). */
export async function readMirror(db: Db, integrationId: string): Promise<MirrorRead> {
  const folders = await db
    .selectFrom('folders')
    .select(['id', 'aws_id', 'parent_id', 'kind', 'handle', 'handle_is_custom', 'title'])
    .where('integration_id', '=', integrationId)
    .orderBy('id')
    .execute();
  const connections = await db
    .selectFrom('connections')
    .select(['id', 'aws_account_id', 'folder_id', 'handle', 'handle_is_custom', 'title', 'state', 'aws_state', 'health', 'health_reason'])
    .where('integration_id', '=', integrationId)
    .orderBy('id')
    .execute();
  const health = new Map<string, StoredHealth>();
  for (const c of connections) {
    if (c.aws_account_id !== null) health.set(c.aws_account_id, { connectionId: c.id, health: c.health, reason: c.health_reason });
  }
  return { snapshot: snapshotFromRows(folders, connections), health };
}

/** Handles other integrations' folders and connections and standalone connections hold in the tenant. */
export async function readTakenHandles(
  db: Db,
  tenantId: string,
  integrationId: string,
): Promise<{ folders: Set<string>; connections: Set<string> }> {
  const folders = await db
    .selectFrom('folders')
    .select('handle')
    .where('tenant_id', '=', tenantId)
    .where('integration_id', '<>', integrationId)
    .execute();
  const connections = await db
    .selectFrom('connections')
    .select('handle')
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('integration_id', 'is', null), eb('integration_id', '<>', integrationId)]))
    .execute();
  return { folders: new Set(folders.map((f) => f.handle)), connections: new Set(connections.map((c) => c.handle)) };
}
