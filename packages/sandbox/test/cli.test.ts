import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxArgs, runSandboxCli } from '../src/cli.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'sandbox.mjs');

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, waitForStop: () => Promise.resolve() } };
}

describe('orglink-sandbox arguments', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
    await writeFile(join(dir, 'bad-spec.yaml'), 'root: { ous: [{ nme: typo }] }');
    await writeFile(join(dir, 'spec.yaml'), 'root: { accounts: [{ name: one }] }');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    [['--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['--accounts', '1.5'], /--accounts must be an integer/],
    [['--depth', '6'], /--depth must be an integer from 1 to 5/],
    [['--blocked', '2'], /--blocked must be a fraction/],
    [['--blocked', ''], /--blocked must be a fraction/],
    [['--platform-account', '123'], /--platform-account must be 12 digits/],
    [['--external-id', 'x'], /--external-id must be 2 to 1,224/],
    [['--member-role', 'bad role'], /--member-role must be a valid IAM role name/],
    [['--event-target', 'ftp://x'], /--event-target must be an http/],
    [['--empty-page-rate', '1.5'], /--empty-page-rate must be a fraction/],
    [['--colour'], /Unknown option '--colour'/],
    [['--spec', '/nonexistent/spec.yaml'], /cannot read --spec/],
  ])('refuses %j with a clear message and exit code 2', async (argv, message) => {
    const { err, io } = captureIo();
    expect(await runSandboxCli(argv, io)).toBe(2);
    expect(err.join('')).toMatch(message);
  });

  it('refuses a spec with a typo, naming the field', async () => {
    const { err, io } = captureIo();
    expect(await runSandboxCli(['--spec', join(dir, 'bad-spec.yaml')], io)).toBe(2);
    expect(err.join('')).toMatch(/root\.ous\.0/);
  });

  it('refuses --spec together with shape flags', async () => {
    await expect(parseSandboxArgs(['--spec', join(dir, 'spec.yaml'), '--accounts', '5'])).rejects.toThrow(/drop --accounts/);
  });

  it('maps flags to startSandbox options (throttling on unless --no-throttle)', async () => {
    const argv = ['--accounts', '40', '--ous', '5', '--depth', '2', '--blocked', '0.25', '--seed', '3', '--no-throttle', '--empty-page-rate', '0.1'];
    const { options } = await parseSandboxArgs(argv);
    expect(options).toMatchObject({ accounts: 40, ous: 5, depth: 2, blocked: 0.25, seed: 3, throttle: false, host: '127.0.0.1', port: 4566, emptyPageRate: 0.1 });
    expect((await parseSandboxArgs([])).options.throttle).toBe(true);
  });

  it('prints usage for --help', async () => {
    const { out, io } = captureIo();
    expect(await runSandboxCli(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: orglink-sandbox');
  });

  it('runs in-process and prints a human summary', async () => {
    const { out, io } = captureIo();
    expect(await runSandboxCli(['--port', '0', '--accounts', '3'], io)).toBe(0);
    expect(out.join('')).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('orglink-sandbox as a process', () => {
  it('prints one JSON line first, serves the SDK, and saves its state on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-proc-'));
    const state = join(dir, 'state.json');
    const child = spawn(process.execPath, [BIN, '--json', '--port', '0', '--accounts', '7', '--ous', '2', '--seed', '5', '--state', state, '--no-throttle'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error('sandbox exited before printing')));
      });
      const info = JSON.parse(firstLine) as {
        endpoint: string; region: string; platform: { accessKeyId: string; secretAccessKey: string; principalArn: string };
        managementAccountId: string; discoveryRoleArn: string; memberRoleName: string; externalId: string; managementRoot: { accessKeyId: string };
      };
      expect(info).toMatchObject({ region: 'us-east-1', memberRoleName: 'OrglinkRole', platform: { principalArn: 'arn:aws:iam::111111111111:user/orglink-platform' } });
      expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.managementRoot.accessKeyId).toMatch(/^AKIA/);

      const sts = new STSClient({ endpoint: info.endpoint, region: info.region, credentials: info.platform, maxAttempts: 1 });
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: info.discoveryRoleArn, RoleSessionName: 'cli-test', ExternalId: info.externalId }));
      const org = new OrganizationsClient({
        endpoint: info.endpoint, region: info.region, maxAttempts: 1,
        credentials: { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! },
      });
      const { Accounts } = await org.send(new ListAccountsCommand({}));
      expect(Accounts).toHaveLength(7);
      sts.destroy();
      org.destroy();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(state)).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });
});
