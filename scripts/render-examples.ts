/**
 * Regenerates docs/examples/* (onboarding templates for fixed sample inputs) and docs/permissions.md
 * (from the capability definitions). Run: node --import tsx scripts/render-examples.ts
 * test/templates/examples-drift.test.ts fails when the committed files differ from this output.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPermissionsDoc } from '../src/core/permissions-doc.js';
import { renderExampleFiles } from '../src/core/templates/example-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = join(root, 'docs', 'examples');

mkdirSync(examplesDir, { recursive: true });
const files = renderExampleFiles();
const wanted = new Set(files.map((f) => f.path));
for (const name of readdirSync(examplesDir)) {
  if (!wanted.has(name)) rmSync(join(examplesDir, name));
}
for (const file of files) writeFileSync(join(examplesDir, file.path), file.body);
writeFileSync(join(root, 'docs', 'permissions.md'), renderPermissionsDoc());
console.log(`wrote ${files.length} files to docs/examples and docs/permissions.md`);
