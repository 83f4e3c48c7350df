// The fingerprint of the sources a build compiles: bin/orglink.mjs runs dist/ only when
// dist/build-stamp.json carries the fingerprint of the sources as they are now, so an edited
// checkout never runs stale JavaScript. Plain JavaScript: it runs before any loader exists.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Directories and files whose contents the build depends on, relative to the repository root. */
export const BUILD_INPUTS = ['src', 'bench', 'test/support', 'tsconfig.json', 'tsconfig.build.json'];

function listFiles(root, path, out) {
  let entries;
  try {
    entries = readdirSync(join(root, path), { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOTDIR') {
      out.push(path);
      return;
    }
    if (error.code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) listFiles(root, child, out);
    else if (/\.(ts|mjs|json)$/.test(entry.name)) out.push(child);
  }
}

/** sha256 over the paths and contents of every build input under `root`. */
export function sourceStamp(root) {
  const files = [];
  for (const input of BUILD_INPUTS) listFiles(root, input, files);
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(`${relative(root, join(root, file))}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** True when `<root>/dist` was built from the sources as they are now. */
export function buildIsCurrent(root) {
  try {
    const stamp = JSON.parse(readFileSync(join(root, 'dist', 'build-stamp.json'), 'utf8'));
    return stamp.sourceStamp === sourceStamp(root);
  } catch {
    return false;
  }
}
