/**
 * openStore's refusals, and the test harness's promise never to skip PostgreSQL silently.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStore, redactUrl } from '../../src/store/open-store.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('openStore', () => {
  it('refuses to guess a backend', async () => {
    await expect(openStore({})).rejects.toThrow('openStore needs one of');
  });

  it('names an unreachable server without revealing its password', async () => {
    const port = await closedPort();
    const failure = openStore({ databaseUrl: `postgres://orglink:s3cret@127.0.0.1:${port}/orglink` });
    await expect(failure).rejects.toThrow(`cannot connect to PostgreSQL at postgres://orglink:***@127.0.0.1:${port}/orglink`);
    await expect(failure).rejects.not.toThrow('s3cret');
  });

  it.each([
    ['postgres://u:pw@h:5432/db', 'postgres://u:***@h:5432/db'],
    ['postgres://h/db', 'postgres://h/db'],
    ['not a url', '<unparseable database URL>'],
  ])('redactUrl(%s) is %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('testDatabases', () => {
  it('fails loudly, never skips, when the test PostgreSQL is unreachable', async () => {
    const port = await closedPort();
    const script =
      "const { testDatabases } = await import('./test/support/databases.ts');" +
      "await testDatabases.find((t) => t.name === 'postgres').open();";
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      env: { ...process.env, TEST_DATABASE_URL: `postgres://127.0.0.1:${port}/test` },
    });
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringContaining(`PostgreSQL for tests is unreachable at postgres://127.0.0.1:${port}/test`),
    });
  });
});
