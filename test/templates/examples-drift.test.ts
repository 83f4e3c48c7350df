import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderPermissionsDoc } from '../../src/core/permissions-doc.js';
import { renderExampleFiles } from '../../src/core/templates/example-files.js';
import { parseTemplate } from './parse-template.js';
import { TEMPLATE_FORMATS } from '../../src/core/templates/render-template.js';
import { CAPABILITIES, CAPABILITY_DEFINITIONS } from '../../src/core/capabilities.js';
import { DEFAULT_CONNECTION_CAPABILITIES, validateConnectionSettings } from '../../src/services/connection-settings.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REGENERATE = 'docs are stale: run `node --import tsx scripts/render-examples.ts` and commit the result';

function committed(path: string): string {
  const full = join(root, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : '<missing>';
}

describe('committed docs match the renderers', () => {
  const files = renderExampleFiles();

  it.each(files.map((f) => [f.path, f.body]))('docs/examples/%s', (path, body) => {
    expect(committed(join('docs', 'examples', path)), REGENERATE).toBe(body);
  });

  it('docs/examples holds no stale files', () => {
    expect(readdirSync(join(root, 'docs', 'examples')).sort(), REGENERATE).toEqual(files.map((f) => f.path).sort());
  });

  it('docs/permissions.md', () => {
    expect(committed(join('docs', 'permissions.md')), REGENERATE).toBe(renderPermissionsDoc());
  });

  // The standalone-connection section is rendered in core; the rules it states live in the service.
  it('docs/permissions.md states the capabilities a standalone connection defaults to and refuses, as the service applies them', () => {
    const doc = renderPermissionsDoc();
    const codes = (ids: readonly string[]) => ids.map((id) => `\`${id}\``).join(', ');
    expect(doc).toContain(`(default: ${codes(DEFAULT_CONNECTION_CAPABILITIES)},`);
    const settings = { handle: 'c', accountId: '123456789012', roleName: 'R' };
    expect(validateConnectionSettings(settings, 't_k3j9x2m4q8w1').capabilities).toEqual(DEFAULT_CONNECTION_CAPABILITIES);
    const refused = CAPABILITIES.filter((id) => !CAPABILITY_DEFINITIONS[id].roles.includes('member'));
    expect(doc).toContain(`${codes(refused)} exist only on an integration's discovery role`);
    for (const capability of refused) {
      expect(() => validateConnectionSettings({ ...settings, capabilities: [capability] }, 't_k3j9x2m4q8w1'), capability).toThrow(
        expect.objectContaining({ code: 'capability_not_for_connection' }),
      );
    }
  });

  it('the examples cover every template format, and each parses', async () => {
    const byExtension = files.filter((f) => f.path !== 'README.md');
    expect(byExtension).toHaveLength(TEMPLATE_FORMATS.length);
    for (const format of TEMPLATE_FORMATS) {
      const suffix = {
        cloudformation: '-discovery-role.yaml',
        'cloudformation-json': '-discovery-role.json',
        terraform: '-discovery-role.tf',
        stackset: '-member-roles-stackset.yaml',
        'stackset-terraform': '-member-roles-stackset.tf',
        'member-cloudformation': '-member-role.yaml',
        'member-terraform': '-member-role.tf',
      }[format];
      const file = byExtension.find((f) => f.path.endsWith(suffix));
      expect(file, format).toBeDefined();
      const { role } = await parseTemplate(format, file?.body ?? '');
      expect(role.trustPolicy.Statement[0]?.Condition.StringEquals['sts:ExternalId']).toMatch(/^[to]_[a-z0-9]{12}:[A-Za-z0-9]{8}$/);
    }
  });
});
