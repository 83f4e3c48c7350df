import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamService } from '../src/services/iam.js';
import { stsService } from '../src/services/sts.js';
import { fromStsCredentials, startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { CUSTOMER_ACCOUNT, EXTERNAL_ID, createTrustWorld } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

const TOKEN = 'control-token-for-tests';

describe('control API', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;
  let sts: STSClient;

  const control = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${sandbox.endpoint}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService], controlToken: TOKEN });
    sts = new STSClient(sandbox.clientConfig(tw.platform));
  });
  afterAll(async () => {
    sts.destroy();
    await sandbox.close();
  });

  it('health needs no token', async () => {
    expect(await control('GET', '/_sandbox/health', undefined, null)).toMatchObject({ status: 200, body: { ok: true } });
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'nope'],
  ])('everything else refuses %s with 401', async (_name, token) => {
    expect((await control('GET', '/_sandbox/counters', undefined, token)).status).toBe(401);
    expect((await control('PUT', '/_sandbox/realism', { seed: 3 }, token)).status).toBe(401);
  });

  it('reads and changes realism settings at runtime', async () => {
    const before = await control('GET', '/_sandbox/realism');
    expect(before.body).toMatchObject({ throttling: { enabled: false }, latency: { distribution: 'none' } });
    const after = await control('PUT', '/_sandbox/realism', { latency: { distribution: 'fixed', ms: 1 }, throttling: { enabled: true } });
    expect(after).toMatchObject({ status: 200, body: { latency: { distribution: 'fixed', ms: 1 }, throttling: { enabled: true } } });
    expect(sandbox.server.realism.settings().throttling.enabled).toBe(true);
    expect(await control('PUT', '/_sandbox/realism', { faults: { errorRate: 7 } })).toMatchObject({ status: 400, body: { error: 'bad_settings' } });
    expect(await control('PUT', '/_sandbox/realism', '{not json')).toMatchObject({ status: 400, body: { error: 'bad_json' } });
    await control('PUT', '/_sandbox/realism', { latency: { distribution: 'none' }, throttling: { enabled: false } });
  });

  it('counts calls per service:Operation, and resets', async () => {
    await control('POST', '/_sandbox/counters/reset');
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/OrgLinkMember`, RoleSessionName: 'x1' })).catch(() => undefined);
    const counters = await control('GET', '/_sandbox/counters');
    expect(counters.body).toEqual({
      operations: {
        'sts:AssumeRole': { calls: 1, throttled: 0, faulted: 0, errors: 1 },
        'sts:GetCallerIdentity': { calls: 2, throttled: 0, faulted: 0, errors: 0 },
      },
      totals: { calls: 3, throttled: 0, faulted: 0, errors: 1 },
    });
    expect((await control('POST', '/_sandbox/counters/reset')).body).toEqual({ operations: {}, totals: { calls: 0, throttled: 0, faulted: 0, errors: 0 } });
  });

  it('advancing time expires temporary credentials', async () => {
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/OrgLinkMember`, RoleSessionName: 'x2', ExternalId: EXTERNAL_ID, DurationSeconds: 900 }),
    );
    const assumed = new STSClient(sandbox.clientConfig(fromStsCredentials(out.Credentials)));
    await expect(assumed.send(new GetCallerIdentityCommand({}))).resolves.toBeTruthy();
    const before = tw.world.now().getTime();
    const advanced = await control('POST', '/_sandbox/time/advance', { seconds: 3600 });
    expect(Date.parse(String(advanced.body.now)) - before).toBeGreaterThanOrEqual(3600_000);
    await expect(assumed.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
    assumed.destroy();
    expect(await control('POST', '/_sandbox/time/advance', { seconds: 'soon' })).toMatchObject({ status: 400 });
  });

  it('unknown control routes are 404', async () => {
    expect((await control('GET', '/_sandbox/nope')).status).toBe(404);
  });
});
