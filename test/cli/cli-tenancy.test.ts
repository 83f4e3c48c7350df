/**
 * The CLI as a user runs it: `orglink serve` as a real subprocess, then one `orglink`
 * subprocess per command. Covers tenants, orgs, workspaces, members, tokens, audit and the
 * documented exit codes (2, 3, 4, 5, 6, 8); usage errors caught before any request are
 * covered in-process by src/cli/program.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, parseJson, runOrglink, startServe, type ServeProcess } from './cli-harness.js';

let server: ServeProcess;
let asAdmin: Record<string, string>;

beforeAll(async () => {
  server = await startServe();
  asAdmin = { ORGLINK_URL: server.url, ORGLINK_TOKEN: server.adminToken };
});

afterAll(async () => {
  const code = await server?.stop();
  // Graceful shutdown on SIGTERM closes the store and exits cleanly.
  expect(code).toBe(0);
});

describe('orglink against a served API', { timeout: 180_000 }, () => {
  let tenantId: string;
  let orgId: string;

  it('creates a tenant (--json) and lists it as a table and as JSON', async () => {
    const created = await runOrglink(['tenant', 'create', '--name', 'Acme Corp', '--plan', 'enterprise', '--json'], asAdmin);
    expect(created.code, created.stderr).toBe(0);
    const tenant = parseJson<{ id: string; name: string; plan: string }>(created);
    expect(tenant).toMatchObject({ name: 'Acme Corp', plan: 'enterprise' });
    expect(tenant.id).toMatch(/^t_[a-z0-9]{12}$/);
    tenantId = tenant.id;

    const table = await runOrglink(['tenant', 'list'], asAdmin);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+PLAN\s+CREATED$/);
    expect(rows.some((row) => row.startsWith(tenantId) && row.includes('Acme Corp') && row.includes('enterprise'))).toBe(true);

    const json = parseJson<{ items: Array<{ id: string }> }>(await runOrglink(['--json', 'tenant', 'list'], asAdmin));
    expect(json.items.map((t) => t.id)).toContain(tenantId);
  });

  it('creates and lists orgs, picking the only visible tenant without --tenant', async () => {
    const created = await runOrglink(['org', 'create', '--name', 'Platform', '--plan', 'team', '--json'], asAdmin);
    expect(created.code, created.stderr).toBe(0);
    const org = parseJson<{ id: string; tenantId: string; plan: string }>(created);
    expect(org).toMatchObject({ tenantId, plan: 'team' });
    orgId = org.id;

    const listed = await runOrglink(['org', 'list', '--tenant', tenantId], asAdmin);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+NAME\s+PLAN\s+CREATED\n/);
    expect(listed.stdout).toContain(orgId);
  });

  it('creates and lists workspaces; a duplicate handle is a conflict (exit 6)', async () => {
    const created = await runOrglink(['workspace', 'create', '--org', orgId, '--handle', 'prod', '--name', 'Production'], asAdmin);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^id:\s+w_[a-z0-9]{12}$/m);
    expect(created.stdout).toMatch(/^handle:\s+prod$/m);

    const listed = parseJson<{ items: Array<{ handle: string; orgId: string }> }>(
      await runOrglink(['workspace', 'list', '--org', orgId, '--json'], asAdmin),
    );
    expect(listed.items).toEqual([expect.objectContaining({ handle: 'prod', orgId })]);

    const clash = await runOrglink(['workspace', 'create', '--org', orgId, '--handle', 'prod', '--json'], asAdmin);
    expect(clash.code).toBe(6);
    expect(clash.stdout).toBe('');
    expect(JSON.parse(clash.stderr)).toMatchObject({ code: expect.any(String), message: expect.any(String), status: 409 });
  });

  it('adds a member, creates their token, and that token is theirs (whoami)', async () => {
    const added = await runOrglink(
      ['member', 'add', '--tenant', tenantId, '--email', 'dev@acme.test', '--name', 'Dev', '--role', 'member', '--org', orgId, '--json'],
      asAdmin,
    );
    expect(added.code, added.stderr).toBe(0);
    const { user } = parseJson<{ user: { id: string } }>(added);

    const token = await runOrglink(['token', 'create', '--user', user.id, '--name', 'laptop', '--json'], asAdmin);
    expect(token.code, token.stderr).toBe(0);
    const secret = parseJson<{ token: string }>(token).token;

    const asDev = { ORGLINK_URL: server.url, ORGLINK_TOKEN: secret };
    const me = parseJson<{ user: { email: string }; memberships: Array<{ tenantId: string }> }>(await runOrglink(['whoami', '--json'], asDev));
    expect(me.user.email).toBe('dev@acme.test');

    // A plain member may not create a tenant-level integration: a rule refuses it (exit 4).
    const refused = await runOrglink(['integration', 'create', '--handle', 'aws', '--role-name', 'orglink', '--json'], asDev);
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stderr)).toMatchObject({ status: 403, code: expect.stringMatching(/tenant_owner|forbidden/) });
  });

  it('lists the audit log with --limit', async () => {
    const table = await runOrglink(['audit', 'list', '--tenant', tenantId, '--limit', '2'], asAdmin);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+AT\s+ACTION\s+TARGET\s+ACTOR$/);
    expect(lines).toHaveLength(3);

    const json = parseJson<{ items: Array<{ action: string }> }>(await runOrglink(['audit', 'list', '--tenant', tenantId, '--json'], asAdmin));
    expect(json.items.map((e) => e.action)).toEqual(expect.arrayContaining(['tenant.create', 'org.create', 'workspace.create']));
  });

  // Usage errors found before any request (commander, --confirm, conflicting flags) are covered in-process by src/cli/program.test.ts.
  it('exit 2: the API refuses invalid input (400)', async () => {
    const badPlan = await runOrglink(['tenant', 'create', '--name', 'X', '--plan', 'platinum'], asAdmin);
    expect(badPlan.code).toBe(2);
    expect(badPlan.stderr).toMatch(/^error: .*\[.+\]$/m);
  });

  it('needs --tenant once the admin sees two tenants (exit 2, naming them)', async () => {
    const second = await runOrglink(['tenant', 'create', '--name', 'Second', '--json'], asAdmin);
    expect(parseJson<{ plan: string }>(second).plan).toBe('standard');
    const ambiguous = await runOrglink(['org', 'list', '--json'], asAdmin);
    expect(ambiguous.code).toBe(2);
    expect(JSON.parse(ambiguous.stderr)).toMatchObject({ code: 'tenant_required', field: 'tenant', message: expect.stringContaining(tenantId) });
  });

  it('exit 3: an unknown token; exit 5: an unknown tenant', async () => {
    const bad = await runOrglink(['tenant', 'list', '--json'], { ORGLINK_URL: server.url, ORGLINK_TOKEN: 'nope' });
    expect(bad.code).toBe(3);
    expect(JSON.parse(bad.stderr)).toMatchObject({ code: 'invalid_token', status: 401 });

    const missing = await runOrglink(['tenant', 'show', 't_doesnotexist'], asAdmin);
    expect(missing.code).toBe(5);
  });

  it('exit 8: no server at the URL, with a hint how to start one', async () => {
    const port = await freePort();
    const result = await runOrglink(['tenant', 'list', '--url', `http://127.0.0.1:${port}`, '--token', 'x']);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain(`http://127.0.0.1:${port}`);
    expect(result.stderr).toContain('orglink serve');
  });
});
