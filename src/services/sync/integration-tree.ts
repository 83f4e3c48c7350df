/**
 * The mirror as a tree for people and scripts (`orglink tree`, GET .../tree): folders and
 * connections depth-first, each folder with the health counts of every connection
 * beneath it, recursively.
 */
import { NotFoundError } from '../../core/errors.js';
import type { ConnectionState, Health } from '../../store/database.js';
import type { Db } from '../context.js';

export type HealthCounts = Record<Health, number>;

export interface TreeNode {
  kind: 'folder' | 'connection';
  id: string;
  /** Root or OU id for folders, account id for connections. */
  awsId: string;
  parentId: string | null;
  /** 0 for top-level nodes (the root folder). */
  depth: number;
  handle: string;
  title: string;
  /** Connections: active or disabled; folders: null. */
  state: ConnectionState | null;
  /** Connections: their health; folders: null (see counts). */
  health: Health | null;
  healthReason?: string;
  /** Folders: connections beneath, recursively, by health. */
  counts?: HealthCounts;
}

export interface IntegrationTree {
  integration: { id: string; handle: string };
  nodes: TreeNode[];
}

const zero = (): HealthCounts => ({ ok: 0, blocked: 0, error: 0, unknown: 0 });
const byTitle = <T extends { title: string; id: string }>(a: T, b: T): number =>
  a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The integration's mirror as a tree; `integrationRef` is an id or a handle of the tenant. */
export async function getIntegrationTree(db: Db, tenantId: string, integrationRef: string): Promise<IntegrationTree> {
  const integration =
    (await db.selectFrom('integrations').select(['id', 'handle']).where('tenant_id', '=', tenantId).where('id', '=', integrationRef).executeTakeFirst()) ??
    (await db.selectFrom('integrations').select(['id', 'handle']).where('tenant_id', '=', tenantId).where('handle', '=', integrationRef).executeTakeFirst());
  if (integration === undefined) throw new NotFoundError('integration_not_found', `Integration '${integrationRef}' not found`);
  const folders = await db.selectFrom('folders').selectAll().where('integration_id', '=', integration.id).execute();
  const connections = await db.selectFrom('connections').selectAll().where('integration_id', '=', integration.id).execute();

  const folderIds = new Set(folders.map((f) => f.id));
  const childFolders = new Map<string | null, typeof folders>();
  for (const f of folders) {
    const parent = f.parent_id !== null && folderIds.has(f.parent_id) ? f.parent_id : null;
    childFolders.set(parent, [...(childFolders.get(parent) ?? []), f]);
  }
  const childConnections = new Map<string | null, typeof connections>();
  for (const c of connections) {
    const parent = c.folder_id !== null && folderIds.has(c.folder_id) ? c.folder_id : null;
    childConnections.set(parent, [...(childConnections.get(parent) ?? []), c]);
  }

  const nodes: TreeNode[] = [];
  const visit = (parentId: string | null, depth: number): HealthCounts => {
    const counts = zero();
    for (const f of [...(childFolders.get(parentId) ?? [])].sort(byTitle)) {
      const node: TreeNode = { kind: 'folder', id: f.id, awsId: f.aws_id, parentId, depth, handle: f.handle, title: f.title, state: null, health: null };
      nodes.push(node);
      node.counts = visit(f.id, depth + 1);
      for (const h of Object.keys(counts) as Health[]) counts[h] += node.counts[h];
    }
    for (const c of [...(childConnections.get(parentId) ?? [])].sort(byTitle)) {
      nodes.push({
        kind: 'connection',
        id: c.id,
        awsId: c.aws_account_id ?? '',
        parentId,
        depth,
        handle: c.handle,
        title: c.title,
        state: c.state,
        health: c.health,
        ...(c.health_reason === null ? {} : { healthReason: c.health_reason }),
      });
      counts[c.health] += 1;
    }
    return counts;
  };
  visit(null, 0);
  return { integration, nodes };
}
