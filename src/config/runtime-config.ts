/**
 * Start-up configuration for a process: the one place that touches the file system for
 * config. Reads the config file named by `--config` (or ORGLINK_CONFIG), merges it with the
 * environment and flags (loadConfig), and makes sure a secret key exists.
 */
import { CONFIG_FILE_ENV_VAR, type Config, type ConfigInput, loadConfig } from './config.js';
import { readConfigFile } from './config-file.js';
import { ensureSecretKey, type SecretKeySource } from './secret-key-file.js';

export interface RuntimeConfigInput {
  env: Readonly<Record<string, string | undefined>>;
  flags?: ConfigInput;
  /** `--config`; wins over ORGLINK_CONFIG. */
  configPath?: string;
}

/** A complete start-up configuration and where its file and key came from. */
export interface RuntimeConfig {
  config: Config & { secretKey: string };
  configPath?: string;
  secretKeySource: SecretKeySource;
  /** <dataDir>/secret.key when the key lives there. */
  secretKeyPath?: string;
}

/** Loads config for a server process: file → validation → secret key (generated in embedded mode). */
export async function loadRuntimeConfig(input: RuntimeConfigInput): Promise<RuntimeConfig> {
  const fromEnv = input.env[CONFIG_FILE_ENV_VAR];
  const configPath = input.configPath ?? (fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : undefined);
  const file = configPath === undefined ? undefined : await readConfigFile(configPath);
  const config = loadConfig({ env: input.env, file, ...(input.flags === undefined ? {} : { flags: input.flags }) });
  const ensured = await ensureSecretKey(config);
  return {
    config: ensured.config,
    ...(configPath === undefined ? {} : { configPath }),
    secretKeySource: ensured.source,
    ...(ensured.path === undefined ? {} : { secretKeyPath: ensured.path }),
  };
}
