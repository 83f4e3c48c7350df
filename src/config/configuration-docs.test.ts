import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS, CONFIG_FILE_ENV_VAR } from './config.js';

// docs/configuration.md must not drift from the schema: every variable and field is listed.
const docs = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it.each([...CONFIG_ENV_VARS.map(([variable]) => variable), CONFIG_FILE_ENV_VAR])('documents %s', (variable) => {
    expect(docs).toContain(`\`${variable}\``);
  });

  it.each([...new Set(CONFIG_ENV_VARS.map(([, field]) => field))])('documents the field %s', (field) => {
    expect(docs).toContain(`| \`${field}\` |`);
  });
});
