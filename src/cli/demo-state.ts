/**
 * What `orglink demo` remembers between runs, in <dataDir>/demo.json (mode 0600): the admin
 * token it registered, so every run can print it, and the ids it created. The demo is for a
 * developer's machine; `serve` never keeps a token in plaintext.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEMO_STATE_FILE = 'demo.json';
export const SANDBOX_STATE_FILE = 'sandbox-state.json';

/** The remembered demo facts. */
export interface DemoState {
  adminToken?: string;
  tenantId?: string;
  orgId?: string;
  workspaceId?: string;
  integrationId?: string;
}

/** Reads <dataDir>/demo.json; a missing file is an empty state. */
export async function readDemoState(dataDir: string): Promise<DemoState> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dataDir, DEMO_STATE_FILE), 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as DemoState) : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${join(dataDir, DEMO_STATE_FILE)}: ${(error as Error).message} (delete it to start over)`, { cause: error });
  }
}

/** Writes <dataDir>/demo.json, readable by its owner only. */
export async function writeDemoState(dataDir: string, state: DemoState): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DEMO_STATE_FILE);
  await writeFile(path, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
}
