/**
 * The embedded database's cluster is created once, in a child process, and only opened by
 * the orglink process (src/store/pglite-cluster.ts): what a first start, a restart, an
 * empty directory and a directory that is not a cluster each get.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PGLITE_SUBDIR, openStore } from '../../src/store/open-store.js';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB, pgliteStartParams } from '../../src/store/pglite-cluster.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'orglink-cluster-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the embedded cluster', () => {
  it('is created by a child process on first open, then reopened with its data on the next', async () => {
    const dataDir = join(await freshDir(), 'data');
    const first = await openStore({ dataDir });
    try {
      expect(first.clusterInit?.created).toBe(true);
      // The child's own peak, reported back: the memory this process did not have to hold.
      expect(first.clusterInit?.initPeakRssMb).toBeGreaterThan(0);
      expect(first.appliedMigrations.length).toBeGreaterThan(0);
      await first.db.insertInto('tenants').values({ id: 't_cluster00001', name: 'Kept', plan: 'standard' }).execute();
    } finally {
      await first.close();
    }
    // The cluster is in place and the staging directory it was built in is gone.
    const names = await readdir(dataDir);
    expect(names).toContain(PGLITE_SUBDIR);
    expect(names.filter((name) => name.includes('.init-'))).toEqual([]);

    const second = await openStore({ dataDir });
    try {
      expect(second.clusterInit).toEqual({ created: false });
      expect(second.appliedMigrations).toEqual([]);
      expect(await second.db.selectFrom('tenants').select('name').where('id', '=', 't_cluster00001').executeTakeFirst()).toEqual({ name: 'Kept' });
    } finally {
      await second.close();
    }
  });

  it('creates a cluster in an existing empty pgdata directory', async () => {
    const dataDir = await freshDir();
    await mkdir(join(dataDir, PGLITE_SUBDIR));
    const store = await openStore({ dataDir });
    try {
      expect(store.clusterInit?.created).toBe(true);
      expect(await readdir(join(dataDir, PGLITE_SUBDIR))).toContain('PG_VERSION');
    } finally {
      await store.close();
    }
  });

  it('refuses a non-empty pgdata that is not a cluster, touches nothing, and releases the lock', async () => {
    const dataDir = await freshDir();
    await mkdir(join(dataDir, PGLITE_SUBDIR));
    await writeFile(join(dataDir, PGLITE_SUBDIR, 'restore-in-progress.txt'), 'keep me');
    await expect(openStore({ dataDir })).rejects.toThrow(/not empty but holds no database cluster \(no PG_VERSION file\)/);
    expect(await readdir(join(dataDir, PGLITE_SUBDIR))).toEqual(['restore-in-progress.txt']);
    expect((await readdir(dataDir)).some((name) => name.includes('.init-'))).toBe(false);
    // The lock was released: once the directory is fixed, the same process can open it.
    await rm(join(dataDir, PGLITE_SUBDIR), { recursive: true });
    const store = await openStore({ dataDir });
    await store.close();
  });

  it('refuses a pgdata that is a file', async () => {
    const dataDir = await freshDir();
    await writeFile(join(dataDir, PGLITE_SUBDIR), 'not a directory');
    await expect(openStore({ dataDir })).rejects.toThrow(/cannot open the embedded database/);
  });

  it('runs with the configured shared_buffers', async () => {
    const dataDir = await freshDir();
    const store = await openStore({ dataDir, embedded: { sharedBuffersMb: 8 } });
    try {
      const row = await store.pglite!.runExclusive((pglite) => pglite.query<{ shared_buffers: string }>('show shared_buffers'));
      expect(row.rows[0]?.shared_buffers).toBe('8MB');
    } finally {
      await store.close();
    }
    expect(pgliteStartParams()).toEqual(expect.arrayContaining(['-c', `shared_buffers=${DEFAULT_PGLITE_SHARED_BUFFERS_MB}MB`]));
  });
});
