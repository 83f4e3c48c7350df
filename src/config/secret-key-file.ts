/**
 * The embedded mode's secret key. orglink ships no default key: when ORGLINK_SECRET_KEY is
 * unset and the database is embedded, the first start generates a random key and keeps it
 * in <dataDir>/secret.key (mode 0600), next to the data it protects. Losing that file
 * makes the stored secrets unreadable, so back it up with the data directory.
 * With DATABASE_URL the key must come from config (the schema refuses otherwise): several
 * servers share one database and must share one key.
 */
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeSecretKey, generateSecretKey } from '../store/secret-box.js';
import { type Config, ConfigError } from './config.js';

export const SECRET_KEY_FILE_NAME = 'secret.key';

/** Where a key came from, for the start-up log line. */
export type SecretKeySource = 'config' | 'file' | 'generated';

/** The config with `secretKey` guaranteed, reading or creating <dataDir>/secret.key if needed. */
export async function ensureSecretKey(
  config: Config,
): Promise<{ config: Config & { secretKey: string }; source: SecretKeySource; path?: string }> {
  if (config.secretKey !== undefined) return { config: { ...config, secretKey: config.secretKey }, source: 'config' };
  const dataDir = resolve(config.dataDir);
  const path = join(dataDir, SECRET_KEY_FILE_NAME);
  const existing = await readKeyFile(path);
  if (existing !== null) return { config: { ...config, secretKey: existing }, source: 'file', path };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = generateSecretKey();
  try {
    // `wx`: if another process created it meanwhile, use theirs rather than overwrite it.
    await writeFile(path, `${key}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readKeyFile(path);
    if (raced === null) throw error;
    return { config: { ...config, secretKey: raced }, source: 'file', path };
  }
  // The umask may have narrowed the mode further, never widened it; make it exact.
  await chmod(path, 0o600);
  return { config: { ...config, secretKey: key }, source: 'generated', path };
}

async function readKeyFile(path: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError([
      { field: `secretKey (${path})`, reason: `is readable by other users (mode ${mode.toString(8)}): run chmod 600 ${path}` },
    ]);
  }
  const key = text.trim();
  try {
    // Validate with the same rules as ORGLINK_SECRET_KEY.
    decodeSecretKey(key);
  } catch {
    throw new ConfigError([{ field: `secretKey (${path})`, reason: 'does not hold 32 bytes of base64; restore it from a backup' }]);
  }
  return key;
}
