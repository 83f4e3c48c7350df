/**
 * Migrations under concurrent starters, with real separate processes:
 * - two processes opening the same fresh PostgreSQL database at the same instant both
 *   succeed, exactly one applies the migrations, and the schema is applied once;
 * - an embedded data directory opened by one process after another keeps its schema;
 * - a second process opening a data directory that is in use is refused, naming the holder.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME } from '../../src/store/data-dir-lock.js';
import { migrations } from '../../src/store/migrations/index.js';
import { type OpenStoreOptions, openStore } from '../../src/store/open-store.js';
import { createBlankDatabase } from '../support/databases.js';

const CHILD = fileURLToPath(new URL('./fixtures/open-store-child.ts', import.meta.url));
const ALL_MIGRATIONS = Object.keys(migrations);

interface ChildEvent {
  pid: number;
  event: 'ready' | 'opened' | 'closed' | 'failed';
  applied?: string[];
  tables?: number;
  code?: string;
  message?: string;
}

/** A child process running open-store-child.ts, read as a stream of JSON events. */
class StoreChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly #events: ChildEvent[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;
  #stderr = '';

  constructor(options: OpenStoreOptions, flags: string[] = []) {
    this.process = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options), ...flags], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: 'pipe',
    });
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      this.#events.push(JSON.parse(line) as ChildEvent);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
  }

  /** Resolves with the first event of one of `kinds`, or rejects if the child exits first. */
  async next(...kinds: ChildEvent['event'][]): Promise<ChildEvent> {
    for (;;) {
      const found = this.#events.find((event) => kinds.includes(event.event));
      if (found !== undefined) return found;
      const exited = await Promise.race([
        new Promise<false>((resolve) => this.#waiters.push(() => resolve(false))),
        this.exited.then(() => true),
      ]);
      if (exited && !this.#events.some((event) => kinds.includes(event.event))) {
        throw new Error(`child ${this.process.pid} exited without ${kinds.join('/')}: ${this.#stderr}`);
      }
    }
  }

  send(line: string): void {
    this.process.stdin.write(`${line}\n`);
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
  }
}

const children: StoreChild[] = [];
function startChild(options: OpenStoreOptions, flags: string[] = []): StoreChild {
  const child = new StoreChild(options, flags);
  children.push(child);
  return child;
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

describe('postgres: concurrent starters', () => {
  it('two processes migrating the same fresh database at once both succeed, and migrations apply once', async () => {
    const database = await createBlankDatabase();
    try {
      const starters = [startChild({ databaseUrl: database.url }, ['--barrier']), startChild({ databaseUrl: database.url }, ['--barrier'])];
      // Release both only once both have loaded their code, so they race for real.
      await Promise.all(starters.map((child) => child.next('ready')));
      for (const child of starters) child.send('go');
      const opened = await Promise.all(starters.map((child) => child.next('opened', 'failed')));
      expect(opened.map((event) => event.event)).toEqual(['opened', 'opened']);
      const applied = opened.map((event) => event.applied ?? []).sort((a, b) => a.length - b.length);
      expect(applied).toEqual([[], ALL_MIGRATIONS]);
      expect(await Promise.all(starters.map((child) => child.exited))).toEqual([0, 0]);

      const store = await openStore({ databaseUrl: database.url });
      try {
        expect(store.appliedMigrations).toEqual([]);
        const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(store.db);
        expect(rows.rows.map((row) => row.name)).toEqual(ALL_MIGRATIONS);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('pglite: one data directory, one process at a time', () => {
  const roots: string[] = [];
  async function freshDir(): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'orglink-store-'));
    roots.push(root);
    return root;
  }
  // A first start (initdb + migrations) is slow; tests that are not about it share one directory.
  let shared: string;
  beforeAll(async () => {
    shared = await freshDir();
    await (await openStore({ dataDir: shared })).close();
  });
  afterAll(async () => {
    await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  });

  it('keeps the schema across processes opening the directory one after another', async () => {
    const dataDir = join(await freshDir(), 'nested', 'data');
    const first = startChild({ dataDir });
    expect(await first.next('opened', 'failed')).toMatchObject({ event: 'opened', dialect: 'pglite', applied: ALL_MIGRATIONS });
    expect(await first.exited).toBe(0);

    const second = startChild({ dataDir });
    expect(await second.next('opened', 'failed')).toMatchObject({ event: 'opened', applied: [] });
    expect(await second.exited).toBe(0);
  });

  it('refuses a second process while the first holds the directory, then lets it in once released', async () => {
    const dataDir = shared;
    const holder = startChild({ dataDir }, ['--hold']);
    expect(await holder.next('opened', 'failed')).toMatchObject({ event: 'opened' });

    const intruder = startChild({ dataDir });
    const refused = await intruder.next('opened', 'failed');
    expect(refused).toMatchObject({ event: 'failed', code: 'data_dir_in_use' });
    expect(refused.message).toContain(`process ${holder.process.pid}`);
    expect(refused.message).toContain('DATABASE_URL');
    expect(await intruder.exited).toBe(1);

    holder.send('close');
    expect(await holder.exited).toBe(0);
    const later = startChild({ dataDir });
    expect(await later.next('opened', 'failed')).toMatchObject({ event: 'opened', applied: [] });
    expect(await later.exited).toBe(0);
  });

  it('takes over a lock left behind by a process that died', async () => {
    const dataDir = shared;
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid ?? 0)));
    await writeFile(join(dataDir, LOCK_FILE_NAME), `${deadPid}\nstale\n`);
    const store = await openStore({ dataDir });
    await store.close();
  });

  it('refuses to open the same directory twice in one process', async () => {
    const dataDir = shared;
    const store = await openStore({ dataDir });
    try {
      await expect(openStore({ dataDir })).rejects.toMatchObject({ code: 'data_dir_in_use' });
    } finally {
      await store.close();
    }
    const again = await openStore({ dataDir });
    await again.close();
  });
});
