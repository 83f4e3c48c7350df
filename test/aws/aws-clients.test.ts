import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../packages/sandbox/src/start-sandbox.js';
import { createAwsClientFactory } from '../../src/aws/aws-clients.js';
import { createRateLimiter } from '../../src/aws/rate-limiter.js';
import { sandboxControl, type SandboxControl } from './aws-test-harness.js';
import { startSandbox } from '../../packages/sandbox/src/start-sandbox.js';

let sandbox: RunningSandbox;
let control: SandboxControl;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 5, ous: 1, seed: 3 });
  control = sandboxControl(sandbox.endpoint);
});

afterAll(async () => {
  process.env = saved;
  await sandbox.close();
});

describe('createAwsClientFactory', () => {
  it('routes STS to AWS_ENDPOINT_URL_STS and takes the platform principal from the default chain (env)', async () => {
    process.env = {
      ...saved,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9', // nothing listens: only STS may go anywhere
      AWS_ENDPOINT_URL_STS: sandbox.endpoint,
      AWS_ACCESS_KEY_ID: sandbox.platform.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.platform.secretAccessKey,
    };
    const factory = createAwsClientFactory({ region: 'us-east-1', maxAttempts: 1 });
    const identity = await factory.sts().send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(sandbox.platform.principalArn);
    await expect(factory.organizations().send(new ListRootsCommand({}))).rejects.toThrow();
  });

  it('routes every service to AWS_ENDPOINT_URL', async () => {
    process.env = { ...saved, AWS_ENDPOINT_URL: sandbox.endpoint };
    delete process.env.AWS_ENDPOINT_URL_STS;
    const factory = createAwsClientFactory({
      region: 'us-east-1',
      credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
    });
    await control.resetCounters();
    await factory.sts().send(new GetCallerIdentityCommand({}));
    expect((await control.counters()).operations['sts:GetCallerIdentity']?.calls).toBe(1);
  });

  it('makes a single SDK attempt per call when a limiter retries, so the limiter sees every throttle', async () => {
    process.env = { ...saved, AWS_ENDPOINT_URL: sandbox.endpoint };
    const limiter = createRateLimiter({ rate: 1000, baseDelayMs: 1, maxDelayMs: 5 });
    const factory = createAwsClientFactory({
      region: 'us-east-1',
      credentials: { accessKeyId: sandbox.platform.accessKeyId, secretAccessKey: sandbox.platform.secretAccessKey },
    });
    const sts = factory.sts({ limiter });
    expect(sts).toBeInstanceOf(STSClient);
    await control.realism({ storm: { families: ['sts'], calls: 3 } });
    await control.resetCounters();
    await sts.send(new GetCallerIdentityCommand({}));
    const counter = (await control.counters()).operations['sts:GetCallerIdentity'];
    expect(counter).toMatchObject({ calls: 4, throttled: 3 });
    expect(limiter.stats()).toMatchObject({ attempts: 4, throttled: 3, failures: 0 });
  });
});
