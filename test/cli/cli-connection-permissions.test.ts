/**
 * A standalone connection's role permissions through the CLI (`--capability`, `--managed-policy-arn`,
 * `--extra-action` on `connection create|update`), as subprocesses against `orglink serve`.
 */
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, runOrglink, startServe, type ServeProcess } from './cli-harness.js';

let server: ServeProcess;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServe();
  const admin = { ORGLINK_URL: server.url, ORGLINK_TOKEN: server.adminToken };
  const tenant = parseJson<{ id: string }>(await runOrglink(['tenant', 'create', '--name', 'Flowco', '--plan', 'enterprise', '--json'], admin));
  env = { ...admin, ORGLINK_TENANT: tenant.id };
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

interface ConnectionJson {
  accountScope: string[] | 'all' | null;
  capabilities: string[];
  customPolicyArns: string[];
  extraActions: string[];
}

describe('orglink connection with role permissions', { timeout: 180_000 }, () => {
  it('creates a DoiT-style connection with managed policies and extra actions, updates them, and renders them', async () => {
    const created = await runOrglink(
      [
        'connection', 'create', '--handle', 'flow', '--accounts', '111111111111,222222222222', '--role-name', 'DoitFlow',
        '--capability', 'security_audit', '--managed-policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        '--extra-action', 's3:GetObject', '--extra-action', 'ec2:Describe*', '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(parseJson<ConnectionJson>(created)).toMatchObject({
      accountScope: ['111111111111', '222222222222'],
      capabilities: ['security_audit'],
      customPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
      extraActions: ['ec2:Describe*', 's3:GetObject'],
    });

    const updated = await runOrglink(['connection', 'update', 'flow', '--extra-action', 'sqs:SendMessage', '--json'], env);
    expect(updated.code, updated.stderr).toBe(0);
    expect(parseJson<ConnectionJson>(updated)).toMatchObject({ capabilities: ['security_audit'], extraActions: ['sqs:SendMessage'] });

    const template = await runOrglink(['connection', 'templates', 'flow'], env);
    expect(template.code, template.stderr).toBe(0);
    const role = (parseYaml(template.stdout) as { Resources: { MemberRole: { Properties: Record<string, unknown> } } }).Resources.MemberRole.Properties;
    expect(role.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit']);
    expect(role.Policies).toMatchObject([{ PolicyDocument: { Statement: [{ Action: ['sqs:SendMessage'], Resource: '*' }] } }]);

    const terraform = await runOrglink(['connection', 'templates', 'flow', '--format', 'member-terraform'], env);
    expect(terraform.code, terraform.stderr).toBe(0);
    expect(terraform.stdout).toContain('resource "aws_iam_role" "orglink_member"');
    expect(terraform.stdout).toContain('"sqs:SendMessage"');
  });

  it('refuses a bad extra action with the API’s code and field (exit 2)', async () => {
    const refused = await runOrglink(
      ['connection', 'create', '--handle', 'bad', '--account-id', '123456789012', '--role-name', 'R', '--extra-action', 's3:GetObject,*', '--json'],
      env,
    );
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stderr)).toMatchObject({ code: 'extra_action_invalid', field: 'extraActions.1' });
  });
});
