/**
 * bin/orglink.mjs runs dist/ only when it was built from the sources as they are now: the
 * fingerprint must notice any edit, addition or removal of a build input, and nothing else.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, sourceStamp } from '../../scripts/source-stamp.mjs';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orglink-stamp-'));
  await mkdir(join(root, 'src', 'cli'), { recursive: true });
  await writeFile(join(root, 'src', 'cli', 'main.ts'), 'export const a = 1;\n');
  await writeFile(join(root, 'tsconfig.json'), '{}\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function stampBuild(): Promise<void> {
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(join(root, 'dist', 'build-stamp.json'), JSON.stringify({ sourceStamp: sourceStamp(root) }));
}

describe('buildIsCurrent', () => {
  it('is false without a build, true right after one', async () => {
    expect(buildIsCurrent(root)).toBe(false);
    await stampBuild();
    expect(buildIsCurrent(root)).toBe(true);
  });

  it.each([
    ['an edited source', (r: string) => writeFile(join(r, 'src', 'cli', 'main.ts'), 'export const a = 2;\n')],
    ['an added source', (r: string) => writeFile(join(r, 'src', 'cli', 'extra.ts'), 'export {};\n')],
    ['a removed source', (r: string) => rm(join(r, 'src', 'cli', 'main.ts'))],
    ['a renamed source', async (r: string) => {
      await rm(join(r, 'src', 'cli', 'main.ts'));
      await writeFile(join(r, 'src', 'cli', 'main2.ts'), 'export const a = 1;\n');
    }],
    ['an edited tsconfig', (r: string) => writeFile(join(r, 'tsconfig.json'), '{"compilerOptions":{}}\n')],
    ['a new bench script', async (r: string) => {
      await mkdir(join(r, 'bench'));
      await writeFile(join(r, 'bench', 'x.ts'), 'export {};\n');
    }],
  ])('is false after %s', async (_name, change) => {
    await stampBuild();
    await change(root);
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('ignores files the build does not read', async () => {
    await stampBuild();
    await writeFile(join(root, 'README.md'), '# changed\n');
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, 'docs', 'x.md'), 'text\n');
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('is false for an unreadable stamp', async () => {
    await mkdir(join(root, 'dist'));
    await writeFile(join(root, 'dist', 'build-stamp.json'), 'not json');
    expect(buildIsCurrent(root)).toBe(false);
  });
});
