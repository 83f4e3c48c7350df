// `npm run build`: compiles src/ (and bench/) to dist/ with tsc, copies the plain-JavaScript
// runtime files beside their TypeScript neighbours, and stamps the result with the sources'
// fingerprint (scripts/source-stamp.mjs). `--if-possible` (used by `prepare` on npm install)
// reports a failed build and exits 0: the orglink command then runs from the sources.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sourceStamp } from './source-stamp.mjs';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const lenient = process.argv.includes('--if-possible');

function copyPlainJs(dir) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyPlainJs(path);
    else if (entry.name.endsWith('.mjs')) {
      mkdirSync(dirname(join(dist, path)), { recursive: true });
      copyFileSync(join(root, path), join(dist, path));
    }
  }
}

try {
  const stamp = sourceStamp(root);
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  copyPlainJs('src');
  writeFileSync(join(dist, 'build-stamp.json'), `${JSON.stringify({ sourceStamp: stamp, builtAt: new Date().toISOString() }, null, 2)}\n`);
  process.stdout.write('built dist/ (orglink now runs compiled JavaScript)\n');
} catch (error) {
  rmSync(dist, { recursive: true, force: true });
  if (!lenient) throw error;
  process.stderr.write(`build failed (${error.message.split('\n')[0]}); orglink will run from the TypeScript sources\n`);
}
