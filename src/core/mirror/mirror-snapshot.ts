/**
 * The mirror as it stands in the database: the folders and connections one integration
 * created. Parents are orglink ids (folder ids), as stored; the planner maps them to AWS ids.
 */
import type { Connection, ConnectionState, Folder, FolderKind } from '../../store/database.js';

export interface MirrorFolder {
  id: string; // f_...
  awsId: string; // r-... or ou-...
  /** The parent folder's orglink id; null for a root folder (or an orphan whose parent was deleted). */
  parentId: string | null;
  kind: FolderKind;
  handle: string;
  handleIsCustom: boolean;
  title: string;
}

export interface MirrorConnection {
  id: string; // c_...
  awsAccountId: string;
  /** The folder's orglink id; null when the folder was deleted (ON DELETE SET NULL). */
  folderId: string | null;
  handle: string;
  handleIsCustom: boolean;
  title: string;
  state: ConnectionState;
  awsState: string | null;
}

export interface MirrorSnapshot {
  folders: MirrorFolder[];
  connections: MirrorConnection[];
}

export type FolderRow = Pick<Folder, 'id' | 'aws_id' | 'parent_id' | 'kind' | 'handle' | 'handle_is_custom' | 'title'>;
export type ConnectionRow = Pick<
  Connection,
  'id' | 'aws_account_id' | 'folder_id' | 'handle' | 'handle_is_custom' | 'title' | 'state' | 'aws_state'
>;

/** Builds a snapshot from DB rows; connections without an account id (standalone scopes) are skipped. */
export function snapshotFromRows(folders: readonly FolderRow[], connections: readonly ConnectionRow[]): MirrorSnapshot {
  return {
    folders: folders.map((f) => ({
      id: f.id,
      awsId: f.aws_id,
      parentId: f.parent_id,
      kind: f.kind,
      handle: f.handle,
      handleIsCustom: f.handle_is_custom,
      title: f.title,
    })),
    connections: connections.flatMap((c) =>
      c.aws_account_id === null
        ? []
        : [
            {
              id: c.id,
              awsAccountId: c.aws_account_id,
              folderId: c.folder_id,
              handle: c.handle,
              handleIsCustom: c.handle_is_custom,
              title: c.title,
              state: c.state,
              awsState: c.aws_state,
            },
          ],
    ),
  };
}

/** Number of nodes (folders + connections) in the mirror: the denominator of the delete guard. */
export function mirrorSize(snapshot: MirrorSnapshot): number {
  return snapshot.folders.length + snapshot.connections.length;
}
