import { describe, expect, it } from 'vitest';
import { runCli } from './program.js';

/** Runs the CLI in-process with captured streams; no server is listening on port 9. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { ORGLINK_URL: 'http://127.0.0.1:9', ORGLINK_TOKEN: 'x', ...env },
  });
  return { code, stdout, stderr };
}

describe('runCli without a server', () => {
  it.each([
    [['--version'], 0],
    [['--help'], 0],
    [['tenant', '--help'], 0],
    [['tenant'], 2],
    [['nope'], 2],
    [['org', 'create'], 2],
    [['audit', 'list', '--limit', 'ten'], 2],
    [['integration', 'delete', 'aws'], 2],
    [['integration', 'update', 'aws'], 2],
    [['connection', 'create', '--handle', 'c', '--role-name', 'R'], 2],
    [['connection', 'create', '--handle', 'c', '--role-name', 'R', '--account-id', '123456789012', '--all-accounts'], 2],
    [['tenant', 'list', '--url', 'ftp://example.com'], 2],
    [['tenant', 'list', '--timeout', '-1'], 2],
    [['tenant', 'list'], 8],
  ])('%j exits %i', async (argv, expected) => {
    expect((await run(argv)).code).toBe(expected);
  });

  it('prints usage errors as one JSON object on stderr with --json, nothing on stdout', async () => {
    const result = await run(['integration', 'delete', 'aws', '--json']);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({
      code: 'confirmation_required',
      message: expect.stringContaining('--confirm'),
      field: 'confirm',
    });

    const unknown = await run(['--json', 'tenant', 'lst']);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ code: 'unknown_command' });
  });

  it('names the URL and `orglink serve` when the server is unreachable', async () => {
    const result = await run(['tenant', 'list']);
    expect(result.stderr).toMatch(/^error: cannot reach the orglink server at http:\/\/127\.0\.0\.1:9 .*orglink serve.*\[server_unreachable\]\n$/);
  });
});
