import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { createAwsClientFactory, type AwsClientFactory } from '../../src/aws/aws-clients.js';
import { createCredentialCache, memberRoleArn, sessionNameFor, type CredentialCacheEvent } from '../../src/aws/credential-cache.js';
import { CHAINED_SESSION_MAX_SECONDS, createChainedCredentialCache, createMemberAccess } from '../../src/aws/member-access.js';
import { startTestSandbox, worldTree, type SandboxControl } from './aws-test-harness.js';

let sandbox: RunningSandbox;
let control: SandboxControl;
let factory: AwsClientFactory;
/** Our clock follows the sandbox's: both move when a test advances time. */
let offsetMs = 0;
const now = (): number => Date.now() + offsetMs;

async function advance(seconds: number): Promise<void> {
  offsetMs += seconds * 1000;
  await control.advanceTime(seconds);
}

async function assumeRoleCalls(): Promise<number> {
  return (await control.counters()).operations['sts:AssumeRole']?.calls ?? 0;
}

beforeAll(async () => {
  ({ sandbox, control } = await startTestSandbox({ accounts: 6, ous: 1, seed: 5 }));
  factory = createAwsClientFactory({
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
  });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await control.resetCounters();
});

describe('sessionNameFor', () => {
  it.each([
    ['acme-org', undefined, 'orglink-acme-org'],
    ['acme', 'member', 'orglink-acme-member'],
    ['x'.repeat(80), undefined, `orglink-${'x'.repeat(56)}`],
    ['weird handle/é', undefined, 'orglink-weird-handle--'],
  ])('%s', (handle, suffix, expected) => {
    const name = sessionNameFor(handle, suffix);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('createCredentialCache', () => {
  const request = () => ({ roleArn: sandbox.discoveryRoleArn, externalId: sandbox.externalId, sessionName: sessionNameFor('acme-org') });

  it('assumes once, shares one in-flight call, reuses until 5 minutes before expiry, then refreshes', async () => {
    const events: CredentialCacheEvent[] = [];
    const cache = createCredentialCache({ sts: factory.sts(), now, onEvent: (e) => events.push(e) });
    const [a, b, c] = await Promise.all([cache.get(request()), cache.get(request()), cache.get(request())]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await assumeRoleCalls()).toBe(1);

    await advance(54 * 60); // 6 minutes left: still fresh enough
    expect(await cache.get(request())).toBe(a);
    expect(await assumeRoleCalls()).toBe(1);

    await advance(2 * 60); // 4 minutes left: inside the margin
    const refreshed = await cache.get(request());
    expect(refreshed.accessKeyId).not.toBe(a.accessKeyId);
    expect(await assumeRoleCalls()).toBe(2);

    // The refreshed credentials work against the sandbox, whose clock moved too.
    const who = await factory.sts({ credentials: cache.provider(request()) }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${sandbox.managementAccountId}:assumed-role/${sandbox.discoveryRoleArn.split('/').pop()}/orglink-acme-org`);
    // Callers that joined the in-flight call got no event of their own.
    expect(events.map((e) => e.type)).toEqual(['assumed', 'reused', 'assumed', 'reused']);
  });

  it('caches per External ID and never prints a secret', async () => {
    const cache = createCredentialCache({ sts: factory.sts(), now });
    const good = await cache.get(request());
    await expect(cache.get({ ...request(), externalId: 'wrong:12345678' })).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(cache.size()).toBe(1);
    const printed = [JSON.stringify(good), inspect(good), JSON.stringify({ ...good }), String(Object.keys(good))].join('\n');
    expect(printed).not.toContain(good.secretAccessKey);
    expect(printed).not.toContain(good.sessionToken);
    expect(printed).toContain(good.accessKeyId);
  });

  it('accesses member accounts directly from the platform, or chained through the discovery role (1-hour sessions)', async () => {
    const memberId = worldTree(sandbox).accounts.find((a) => a.id !== sandbox.managementAccountId)?.id as string;
    const platformCache = createCredentialCache({ sts: factory.sts(), now });
    const direct = createMemberAccess({ partition: 'aws', roleName: sandbox.memberRoleName, externalId: sandbox.externalId, sessionName: 'orglink-acme', cache: platformCache });
    expect(direct.roleArnFor(memberId)).toBe(memberRoleArn('aws', memberId, sandbox.memberRoleName));
    await direct.credentialsFor(memberId);

    // Chain mode: the discovery role needs sts:AssumeRole on member roles, and each member role must trust it.
    const discoveryRole = sandbox.world.iam.get(sandbox.managementAccountId)?.roles.get(sandbox.discoveryRoleArn.split('/').pop() as string);
    discoveryRole?.inlinePolicies.set('chain', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/${sandbox.memberRoleName}` }],
    });
    const role = sandbox.world.iam.get(memberId)?.roles.get(sandbox.memberRoleName);
    if (role === undefined) throw new Error('member role missing');
    role.trustPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: sandbox.discoveryRoleArn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': sandbox.externalId } } },
      ],
    };
    const chainCache = createChainedCredentialCache({
      factory,
      discoveryCredentials: platformCache.provider(request()),
      now,
    });
    const chained = createMemberAccess({ partition: 'aws', roleName: sandbox.memberRoleName, externalId: sandbox.externalId, sessionName: 'orglink-acme', cache: chainCache });
    const credentials = await chained.credentialsFor(memberId);
    expect(credentials.expiration.getTime() - now()).toBeLessThanOrEqual(CHAINED_SESSION_MAX_SECONDS * 1000 + 5_000);
    // The platform itself is no longer trusted by that role.
    await expect(direct.refreshCredentialsFor(memberId)).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
