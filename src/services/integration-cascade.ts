/**
 * Removing an integration removes everything it created: its folders, its connections and
 * the permissions on both. Permissions have no foreign key to their target (a target is a
 * folder or a connection), so they are deleted explicitly, before their targets.
 */
import type { Db } from './context.js';

/** How many rows the cascade removed. */
export interface CascadeCounts {
  folders: number;
  connections: number;
  permissions: number;
}

/** Deletes the integration and all it created; call inside the caller's transaction. */
export async function deleteIntegrationCascade(trx: Db, integrationId: string): Promise<CascadeCounts> {
  const folderIds = trx.selectFrom('folders').select('id').where('integration_id', '=', integrationId);
  const connectionIds = trx.selectFrom('connections').select('id').where('integration_id', '=', integrationId);
  const permissions = await trx
    .deleteFrom('permissions')
    .where((eb) =>
      eb.or([
        eb.and([eb('target_kind', '=', 'folder'), eb('target_id', 'in', folderIds)]),
        eb.and([eb('target_kind', '=', 'connection'), eb('target_id', 'in', connectionIds)]),
      ]),
    )
    .executeTakeFirst();
  const connections = await trx.deleteFrom('connections').where('integration_id', '=', integrationId).executeTakeFirst();
  const folders = await trx.deleteFrom('folders').where('integration_id', '=', integrationId).executeTakeFirst();
  await trx.deleteFrom('integrations').where('id', '=', integrationId).execute();
  return {
    folders: Number(folders.numDeletedRows),
    connections: Number(connections.numDeletedRows),
    permissions: Number(permissions.numDeletedRows),
  };
}
