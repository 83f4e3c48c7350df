/**
 * Reads the config file. YAML is a superset of JSON, so one parser reads both; the
 * extension only decides which parser names the error.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config.js';

/** The parsed contents of a YAML or JSON config file, for loadConfig's `file`. */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ field: `(config file ${path})`, reason: `cannot be read: ${reason}` }]);
  }
  return parseConfigText(text, path);
}

/** Parses config-file text; `path` picks JSON or YAML by extension and names errors. */
export function parseConfigText(text: string, path: string): unknown {
  try {
    const parsed: unknown = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
    // An empty YAML file is a file with no settings.
    return parsed ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ field: `(config file ${path})`, reason: `is not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${reason}` }]);
  }
}
