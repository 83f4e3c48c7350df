import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { advanceWorldTime } from '../src/control-api.js';
import { iamService } from '../src/services/iam.js';
import { stsService } from '../src/services/sts.js';
import { putRole } from '../src/world-factory.js';
import { fromStsCredentials, startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { CUSTOMER_ACCOUNT, EXTERNAL_ID, PLATFORM_ACCOUNT, createTrustWorld, trustPolicy } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

// Each trust-policy rule of issue 3 §2, one by one, through the real SDK v3 clients.
describe('AssumeRole trust policy rules', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;
  let sts: STSClient;
  const roleArn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/OrgLinkMember`;

  beforeAll(async () => {
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService] });
    sts = new STSClient(sandbox.clientConfig(tw.platform));
  });
  afterAll(async () => {
    sts.destroy();
    await sandbox.close();
  });

  const assume = (input: { RoleArn?: string; ExternalId?: string; DurationSeconds?: number }) =>
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'orglink', ...input }));

  it('right External ID: returns expiring ASIA credentials and the assumed-role user', async () => {
    const out = await assume({ ExternalId: EXTERNAL_ID });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SessionToken).toBeTruthy();
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(out.Credentials!.Expiration!.getTime() - tw.world.now().getTime()).toBeGreaterThan(3500_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/OrgLinkMember/orglink`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toBe(`${tw.memberRole.roleId}:orglink`);
    const assumed = new STSClient(sandbox.clientConfig(fromStsCredentials(out.Credentials)));
    const who = await assumed.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: CUSTOMER_ACCOUNT, Arn: out.AssumedRoleUser?.Arn, UserId: `${tw.memberRole.roleId}:orglink` });
  });

  it.each([
    ['wrong External ID', { ExternalId: 'o_k3j9x2m4q8w1:WRONGone' }],
    ['missing External ID', {}],
    ['missing role', { RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/NoSuchRole`, ExternalId: EXTERNAL_ID }],
    ['role in an account that does not exist', { RoleArn: 'arn:aws:iam::999999999999:role/OrgLinkMember', ExternalId: EXTERNAL_ID }],
  ])('%s: AccessDenied naming the caller and the role', async (_name, input) => {
    const error = await assume(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toContain(`User: arn:aws:iam::${PLATFORM_ACCOUNT}:user/platform is not authorized to perform: sts:AssumeRole on resource:`);
  });

  it('wrong principal: a role trusting another account refuses the platform user', async () => {
    putRole(tw.world, CUSTOMER_ACCOUNT, { name: 'TrustsSomeoneElse', trustPolicy: trustPolicy('arn:aws:iam::333333333333:root', EXTERNAL_ID) });
    const error = await assume({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/TrustsSomeoneElse`, ExternalId: EXTERNAL_ID }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDenied' });
  });

  it.each([
    ['account id', PLATFORM_ACCOUNT, true],
    ['account root ARN', `arn:aws:iam::${PLATFORM_ACCOUNT}:root`, true],
    ['user ARN', `arn:aws:iam::${PLATFORM_ACCOUNT}:user/platform`, true],
    ['another user ARN', `arn:aws:iam::${PLATFORM_ACCOUNT}:user/someone`, false],
    ['wildcard', '*', true],
  ])('principal as %s', async (name, principal, allowed) => {
    const roleName = `Principal-${name.replace(/\W/g, '')}`;
    putRole(tw.world, CUSTOMER_ACCOUNT, { name: roleName, trustPolicy: trustPolicy(principal) });
    const result = await assume({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/${roleName}` }).then(
      () => 'allowed',
      (e: Error) => e.name,
    );
    expect(result).toBe(allowed ? 'allowed' : 'AccessDenied');
  });

  it('StringLike on sts:ExternalId matches patterns', async () => {
    putRole(tw.world, CUSTOMER_ACCOUNT, { name: 'LikeRole', trustPolicy: trustPolicy(PLATFORM_ACCOUNT, 'o_k3j9x2m4q8w1:*', 'StringLike') });
    const arn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/LikeRole`;
    await expect(assume({ RoleArn: arn, ExternalId: 'o_k3j9x2m4q8w1:anything' })).resolves.toBeTruthy();
    await expect(assume({ RoleArn: arn, ExternalId: 'o_other:anything' })).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('an action outside the role policy is AccessDenied, inside it is allowed', async () => {
    const out = await assume({ ExternalId: EXTERNAL_ID });
    const iam = new IAMClient(sandbox.clientConfig(fromStsCredentials(out.Credentials)));
    // ReadOnlyAccess allows iam:Get*/List* …
    await expect(iam.send(new ListRolesCommand({}))).resolves.toMatchObject({ IsTruncated: false });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'OrgLinkMember' }))).resolves.toBeTruthy();
    // … but not CreateRole.
    const error = await iam
      .send(new (await import('@aws-sdk/client-iam')).CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: JSON.stringify(trustPolicy('*')) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toBe(
      `User: arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/OrgLinkMember/orglink is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${CUSTOMER_ACCOUNT}:role/x because no identity-based policy allows the iam:CreateRole action`,
    );
    iam.destroy();
  });

  it('session policies (Policy, PolicyArns) narrow what the session may do', async () => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'narrow',
        ExternalId: EXTERNAL_ID,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }] }),
      }),
    );
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const iam = new IAMClient(sandbox.clientConfig(fromStsCredentials(out.Credentials)));
    await expect(iam.send(new ListRolesCommand({}))).resolves.toBeTruthy();
    await expect(iam.send(new GetRoleCommand({ RoleName: 'OrgLinkMember' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('because no session policy allows the iam:GetRole action'),
    });
    iam.destroy();
    const managed = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'narrow2', ExternalId: EXTERNAL_ID, PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }] }),
    );
    const iam2 = new IAMClient(sandbox.clientConfig(fromStsCredentials(managed.Credentials)));
    await expect(iam2.send(new GetRoleCommand({ RoleName: 'OrgLinkMember' }))).resolves.toBeTruthy();
    iam2.destroy();
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bad', ExternalId: EXTERNAL_ID, Policy: '{"Statement": "nope"' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  it('root keys may not assume roles, as in AWS', async () => {
    const asRoot = new STSClient(sandbox.clientConfig(tw.customerRoot));
    putRole(tw.world, CUSTOMER_ACCOUNT, { name: 'TrustsOwnAccount', trustPolicy: trustPolicy(CUSTOMER_ACCOUNT) });
    await expect(asRoot.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/TrustsOwnAccount`, RoleSessionName: 'root' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Roles may not be assumed by root accounts.',
    });
    asRoot.destroy();
  });

  it('the caller needs an identity policy allowing sts:AssumeRole', async () => {
    tw.world.iam.get(PLATFORM_ACCOUNT)!.users.get('platform')!.inlinePolicies.set('deny', {
      Statement: { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: roleArn },
    });
    try {
      await expect(assume({ ExternalId: EXTERNAL_ID })).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      tw.world.iam.get(PLATFORM_ACCOUNT)!.users.get('platform')!.inlinePolicies.delete('deny');
    }
  });
});

describe('session lifetime', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;
  let sts: STSClient;
  const roleArn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/OrgLinkMember`;

  beforeEach(async () => {
    const fixed = new Date('2026-11-21T12:00:00Z');
    tw = createTrustWorld({ now: () => fixed });
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService] });
    sts = new STSClient(sandbox.clientConfig(tw.platform));
    return async () => {
      sts.destroy();
      await sandbox.close();
    };
  });

  it('expired credentials: ExpiredToken once world time passes Expiration', async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ExternalId: EXTERNAL_ID, DurationSeconds: 900 }));
    const assumed = new STSClient(sandbox.clientConfig(fromStsCredentials(out.Credentials)));
    await expect(assumed.send(new GetCallerIdentityCommand({}))).resolves.toBeTruthy();
    advanceWorldTime(tw.world, 901);
    await expect(assumed.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken', $metadata: { httpStatusCode: 403 } });
    assumed.destroy();
  });

  it.each([
    [899, 'ValidationError'],
    [900, 'ok'],
    [7200, 'ok'],
    [7201, 'ValidationError'],
    [43_201, 'ValidationError'],
  ])('DurationSeconds %i → %s (role MaxSessionDuration 7200)', async (seconds, expected) => {
    const result = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ExternalId: EXTERNAL_ID, DurationSeconds: seconds })).then(
      (out) => {
        expect(out.Credentials!.Expiration!.getTime()).toBe(tw.world.now().getTime() + seconds * 1000);
        return 'ok';
      },
      (e: Error) => e.name,
    );
    expect(result).toBe(expected);
  });

  it('role chaining caps the session at one hour', async () => {
    putRole(tw.world, CUSTOMER_ACCOUNT, { name: 'Next', trustPolicy: trustPolicy(CUSTOMER_ACCOUNT), maxSessionDuration: 43_200 });
    tw.memberRole.inlinePolicies.set('chain', { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    const first = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ExternalId: EXTERNAL_ID }));
    const chained = new STSClient(sandbox.clientConfig(fromStsCredentials(first.Credentials)));
    const nextArn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Next`;
    await expect(chained.send(new AssumeRoleCommand({ RoleArn: nextArn, RoleSessionName: 'chain', DurationSeconds: 3601 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    const ok = await chained.send(new AssumeRoleCommand({ RoleArn: nextArn, RoleSessionName: 'chain', DurationSeconds: 3600 }));
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/Next/chain`);
    expect(tw.world.credentials.get(ok.Credentials!.AccessKeyId!)?.principal).toMatchObject({ chained: true });
    chained.destroy();
  });

  it.each([
    ['too short', 'x'],
    ['too long', 'a'.repeat(1225)],
    ['with a bad character', 'has space'],
  ])('an ExternalId %s is a ValidationError', async (_label, externalId) => {
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', ExternalId: externalId }))).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each(['a', 'has space', 'x'.repeat(65)])('RoleSessionName %j is a ValidationError', async (name) => {
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: name, ExternalId: EXTERNAL_ID }))).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
