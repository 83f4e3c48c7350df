/**
 * One process at a time per embedded data directory. PGlite writes its files directly,
 * with no postmaster to arbitrate, so two processes on one directory would corrupt it.
 * The lock is a file created exclusively (`wx`) holding the owner's pid; a lock whose
 * pid is no longer alive (a crash) is taken over.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError } from '../core/errors.js';

export const LOCK_FILE_NAME = 'orglink.lock';

/** A held lock; `release()` removes the file (idempotent). */
export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Takes the data directory's lock, or refuses with `data_dir_in_use` naming the holder. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE_NAME);
  const content = `${process.pid}\n${randomBytes(8).toString('hex')}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await tryCreate(path, content)) return heldLock(path, content);
    const existing = await readIfExists(path);
    if (existing === null) continue; // released between our two steps: try again
    const holder = parsePid(existing);
    if (holder !== null && isAlive(holder)) throw inUse(dataDir, path, holder);
    await takeOverStale(path, existing, dataDir);
  }
  throw inUse(dataDir, path, null);
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
}

/**
 * Moves a dead process's lock aside. Renaming is atomic, so of two starters racing for
 * the same stale lock only one moves it; the other finds a live lock or none.
 */
async function takeOverStale(path: string, staleContent: string, dataDir: string): Promise<void> {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw error;
  }
  const moved = await readIfExists(aside);
  if (moved !== staleContent) {
    // We moved a lock someone created after we looked: put it back and step aside.
    await rename(aside, path).catch(() => undefined);
    throw inUse(dataDir, path, moved === null ? null : parsePid(moved));
  }
  await unlink(aside).catch(() => undefined);
}

function heldLock(path: string, content: string): DataDirLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours.
      if ((await readIfExists(path)) === content) await unlink(path).catch(() => undefined);
    },
  };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

function parsePid(content: string): number | null {
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isErrno(error, 'EPERM');
  }
}

function inUse(dataDir: string, path: string, pid: number | null): ConflictError {
  const who = pid === null ? 'another process' : `process ${pid}`;
  return new ConflictError(
    'data_dir_in_use',
    `the data directory ${dataDir} is in use by ${who} (lock file ${path}); ` +
      'an embedded database can be opened by one orglink process at a time: stop the other one, ' +
      'or use DATABASE_URL to share a PostgreSQL server between processes',
    { details: { dataDir, lockFile: path, ...(pid === null ? {} : { pid }) } },
  );
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
