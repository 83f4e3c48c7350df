import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRealism } from '../src/realism/realism.js';
import { AWS_LIKE_THROTTLE_PROFILE, applyRealismUpdate, defaultRealismSettings } from '../src/realism/settings.js';
import { TokenBucket } from '../src/realism/token-bucket.js';
import type { ServiceDefinition } from '../src/service.js';
import { stsService } from '../src/services/sts.js';
import { startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { createTrustWorld } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

describe('token bucket', () => {
  it.each([
    ['burst is available at once', 1, 3, [0, 0, 0, 0], [true, true, true, false]],
    ['refills at the rate', 1, 1, [0, 0, 999, 1000], [true, false, false, true]],
    ['never exceeds the burst after a quiet period', 10, 2, [0, 10_000, 10_000, 10_000], [true, true, true, false]],
  ])('%s', (_name, rate, burst, times, expected) => {
    const bucket = new TokenBucket(rate, burst, 0);
    expect(times.map((t) => bucket.tryTake(t))).toEqual(expected);
  });
});

describe('realism settings', () => {
  it('are all off by default, with the AWS-like profile ready', () => {
    const settings = defaultRealismSettings();
    expect(settings.throttling.enabled).toBe(false);
    expect(settings.throttling.buckets).toEqual(AWS_LIKE_THROTTLE_PROFILE);
    expect(settings.latency).toEqual({ distribution: 'none' });
    expect(settings.faults.errorRate).toBe(0);
    expect(AWS_LIKE_THROTTLE_PROFILE.identitycenter).toEqual({ rate: 20, burst: 20 });
  });

  it.each([
    ['not an object', 5],
    ['an unknown family', { throttling: { buckets: { ec2: { rate: 1 } } } }],
    ['a negative rate', { throttling: { buckets: { sts: { rate: -1 } } } }],
    ['an error rate above 1', { faults: { errorRate: 1.5 } }],
    ['an unknown latency distribution', { latency: { distribution: 'pareto' } }],
    ['uniform latency with max below min', { latency: { distribution: 'uniform', minMs: 10, maxMs: 5 } }],
    ['a storm without an end', { storm: { families: 'all' } }],
    ['a storm on an unknown family', { storm: { families: ['ec2'], calls: 1 } }],
    ['enabled as a string', { throttling: { enabled: 'yes' } }],
  ])('refuses %s', (_name, update) => {
    expect(() => applyRealismUpdate(defaultRealismSettings(), update)).toThrow(Error);
  });

  it('merges partial updates', () => {
    const next = applyRealismUpdate(defaultRealismSettings(), { throttling: { enabled: true, buckets: { organizations: { rate: 2 } } }, storm: { seconds: 5 } }, 1000);
    expect(next.throttling.buckets.organizations).toEqual({ rate: 2, burst: AWS_LIKE_THROTTLE_PROFILE.organizations.burst });
    expect(next.storm).toEqual({ families: 'all', untilMs: 6000 });
  });
});

describe('realism decisions', () => {
  it('throttles per family and per calling account', () => {
    let now = 0;
    const realism = createRealism({ throttling: { enabled: true, buckets: { organizations: { rate: 1, burst: 2 } } } }, () => now);
    const kinds = (account: string) => [1, 2, 3].map(() => realism.decide('organizations', account).kind);
    expect(kinds('111111111111')).toEqual(['proceed', 'proceed', 'throttle']);
    expect(kinds('222222222222')).toEqual(['proceed', 'proceed', 'throttle']);
    expect(realism.decide('sts', '111111111111').kind).toBe('proceed');
    now += 1000;
    expect(realism.decide('organizations', '111111111111').kind).toBe('proceed');
  });

  it('storms end after their calls or their time', () => {
    let now = 0;
    const realism = createRealism({ storm: { families: ['iam'], calls: 2 } }, () => now);
    expect(['iam', 'sts', 'iam', 'iam'].map((f) => realism.decide(f as 'iam', 'a').kind)).toEqual(['throttle', 'proceed', 'throttle', 'proceed']);
    realism.update({ storm: { seconds: 1 } });
    expect(realism.decide('organizations', 'a').kind).toBe('throttle');
    now += 1001;
    expect(realism.decide('organizations', 'a').kind).toBe('proceed');
    expect(realism.settings().storm).toBeNull();
  });

  it('draws faults and latency from the seed, reproducibly', () => {
    const run = () => {
      const realism = createRealism({ faults: { errorRate: 0.5 }, latency: { distribution: 'uniform', minMs: 10, maxMs: 20 }, seed: 42 });
      return Array.from({ length: 20 }, () => [realism.decide('sts', 'a').kind, realism.latencyMs()]);
    };
    const first = run();
    expect(run()).toEqual(first);
    const kinds = new Set(first.map(([kind]) => kind));
    expect(kinds).toEqual(new Set(['proceed', 'fault']));
    for (const [, ms] of first) expect(ms).toBeGreaterThanOrEqual(10);
    for (const [, ms] of first) expect(ms).toBeLessThanOrEqual(20);
  });

  it.each([
    [{ distribution: 'fixed', ms: 25 }, 25, 25],
    [{ distribution: 'exponential', meanMs: 5, maxMs: 40 }, 0, 40],
    [{ distribution: 'none' }, 0, 0],
  ])('latency %j stays within [%i, %i]', (latency, min, max) => {
    const realism = createRealism({ latency });
    for (let i = 0; i < 50; i++) {
      const ms = realism.latencyMs();
      expect(ms).toBeGreaterThanOrEqual(min);
      expect(ms).toBeLessThanOrEqual(max);
    }
  });
});

const orgLike: ServiceDefinition = {
  signingName: 'organizations',
  actionPrefix: 'organizations',
  protocol: 'json',
  targetPrefix: 'AWSOrganizationsV20161128',
  accessDeniedCode: 'AccessDeniedException',
  family: 'organizations',
  operations: { ListAccounts: { handler: () => ({ Accounts: [] }) } },
};

describe('realism over HTTP, as the SDK sees it', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;
  let sts: STSClient;
  let org: OrganizationsClient;

  beforeAll(async () => {
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, orgLike] });
    sts = new STSClient(sandbox.clientConfig(tw.customerRoot));
    org = new OrganizationsClient(sandbox.clientConfig(tw.customerRoot));
  });
  beforeEach(() => {
    sandbox.server.realism.update({ throttling: { enabled: false }, storm: null, faults: { errorRate: 0, timeoutRate: 0 } });
    sandbox.server.counters.reset();
  });
  afterAll(async () => {
    sts.destroy();
    org.destroy();
    await sandbox.close();
  });

  it('throttling: TooManyRequestsException for Organizations, Throttling for STS', async () => {
    sandbox.server.realism.update({ storm: { calls: 2 } });
    await expect(org.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    await expect(org.send(new ListAccountsCommand({}))).resolves.toMatchObject({ Accounts: [] });
  });

  it('the SDK retries through a short storm with its own backoff', async () => {
    sandbox.server.realism.update({ storm: { families: ['sts'], calls: 1 } });
    const retrying = new STSClient(sandbox.clientConfig(tw.customerRoot, { maxAttempts: 3 }));
    await expect(retrying.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '222222222222' });
    retrying.destroy();
    expect(sandbox.server.counters.snapshot().operations['sts:GetCallerIdentity']).toEqual({ calls: 2, throttled: 1, faulted: 0, errors: 1 });
  });

  it('a token bucket limits a burst of calls', async () => {
    sandbox.server.realism.update({ throttling: { enabled: true, buckets: { organizations: { rate: 0.001, burst: 3 } } } });
    const results = await Promise.all(Array.from({ length: 6 }, () => org.send(new ListAccountsCommand({})).then(() => 'ok', (e: Error) => e.name)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r === 'TooManyRequestsException')).toHaveLength(3);
  });

  it('an error rate of 1 makes every call a 5xx fault', async () => {
    sandbox.server.realism.update({ faults: { errorRate: 1 } });
    for (let i = 0; i < 6; i++) {
      const error = (await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e)) as { name: string; $metadata: { httpStatusCode: number } };
      expect(['InternalFailure', 'ServiceUnavailable']).toContain(error.name);
      expect(error.$metadata.httpStatusCode).toBeGreaterThanOrEqual(500);
    }
  });

  it('a timeout holds the request and then answers 504 RequestTimeout', async () => {
    sandbox.server.realism.update({ faults: { timeoutRate: 1, timeoutMs: 50 } });
    await expect(org.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'RequestTimeout', $metadata: { httpStatusCode: 504 } });
  });
});
