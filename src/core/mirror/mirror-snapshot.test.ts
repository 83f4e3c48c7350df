import { describe, expect, it } from 'vitest';
import { mirrorSize, snapshotFromRows, type ConnectionRow, type FolderRow } from './mirror-snapshot.js';

describe('snapshotFromRows', () => {
  const folders: FolderRow[] = [
    { id: 'f_1', aws_id: 'r-ab12', parent_id: null, kind: 'root', handle: 'root', handle_is_custom: false, title: 'Root' },
    { id: 'f_2', aws_id: 'ou-ab12-00000001', parent_id: 'f_1', kind: 'ou', handle: 'prod', handle_is_custom: true, title: 'Prod' },
  ];
  const connections: ConnectionRow[] = [
    { id: 'c_1', aws_account_id: '123456789012', folder_id: 'f_2', handle: 'web', handle_is_custom: false, title: 'Web', state: 'disabled', aws_state: 'SUSPENDED' },
    { id: 'c_2', aws_account_id: null, folder_id: null, handle: 'multi', handle_is_custom: true, title: 'Multi', state: 'active', aws_state: null },
  ];

  it('maps columns to camelCase and skips connections without an account', () => {
    const snapshot = snapshotFromRows(folders, connections);
    expect(snapshot.folders[1]).toEqual({ id: 'f_2', awsId: 'ou-ab12-00000001', parentId: 'f_1', kind: 'ou', handle: 'prod', handleIsCustom: true, title: 'Prod' });
    expect(snapshot.connections).toEqual([
      { id: 'c_1', awsAccountId: '123456789012', folderId: 'f_2', handle: 'web', handleIsCustom: false, title: 'Web', state: 'disabled', awsState: 'SUSPENDED' },
    ]);
    expect(mirrorSize(snapshot)).toBe(3);
  });
});
