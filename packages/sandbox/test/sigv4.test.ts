import { createHash, createHmac } from 'node:crypto';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature, isSigningTimeSkewed, parseSignature } from '../src/sigv4.js';
import { iamService } from '../src/services/iam.js';
import { stsService } from '../src/services/sts.js';
import { sendRaw } from './support/raw-request.js';
import { startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { createTrustWorld } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

/** The SDK's signer needs a hash constructor; node:crypto provides one. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

function toBytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const KEYS = { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function sdkSigner(service: string, sessionToken?: string): SignatureV4 {
  return new SignatureV4({ service, region: 'us-east-1', sha256: Sha256, credentials: { ...KEYS, ...(sessionToken ? { sessionToken } : {}) } });
}

describe('signature computation matches the SDK signer', () => {
  it.each([
    ['POST form body', 'POST', '/', {}, 'Action=GetCallerIdentity&Version=2011-06-15', undefined],
    ['GET query with reserved characters', 'GET', '/', { Action: 'ListRoles', PathPrefix: '/a b/*!', Version: '2010-05-08' }, '', undefined],
    ['session token', 'POST', '/', {}, 'Action=GetCallerIdentity&Version=2011-06-15', 'token+/='],
    ['encoded path', 'POST', '/some%20path/x', {}, '{}', undefined],
  ])('%s', async (_name, method, path, query, body, token) => {
    const signed = await sdkSigner('sts', token).sign({
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path,
      query,
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-amz-meta': '  a   b  ' },
      body,
    });
    const rawHeaders = Object.entries(signed.headers as Record<string, string>).flat();
    const queryString = new URLSearchParams(query as Record<string, string>).toString();
    const parts = { method, path, query: queryString, rawHeaders, body: Buffer.from(body) };
    const parsed = parseSignature(parts);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.sessionToken).toBe(token);
    expect(computeSignature(parts, parsed.value, KEYS.secretAccessKey)).toBe(parsed.value.signature);
  });

  it.each([
    ['20261121T120000Z', Date.UTC(2026, 10, 21, 12, 14), false],
    ['20261121T120000Z', Date.UTC(2026, 10, 21, 12, 16), true],
    ['20261121T120000Z', Date.UTC(2026, 10, 21, 11, 44), true],
    ['garbage', Date.UTC(2026, 10, 21, 12, 0), true],
  ])('clock skew of %s at %i → skewed %s', (amzDate, now, skewed) => {
    expect(isSigningTimeSkewed(amzDate, now)).toBe(skewed);
  });
});

describe('SigV4 verification over HTTP', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;

  beforeAll(async () => {
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService] });
  });
  afterAll(() => sandbox.close());

  it('accepts the platform keys', async () => {
    const sts = new STSClient(sandbox.clientConfig(tw.platform));
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: 'arn:aws:iam::111111111111:user/platform' });
  });

  it.each([
    ['an unknown access key', { accessKeyId: 'AKIAUNKNOWNUNKNOWN12', secretAccessKey: 'x'.repeat(40) }, 'InvalidClientTokenId'],
    ['a wrong secret', { accessKeyId: '', secretAccessKey: 'wrong'.repeat(8) }, 'SignatureDoesNotMatch'],
    ['a session token on long-term keys', { accessKeyId: '', secretAccessKey: '', sessionToken: 'bogus' }, 'InvalidClientTokenId'],
  ])('refuses %s with %s (403)', async (_name, override, code) => {
    const credentials = {
      accessKeyId: override.accessKeyId || tw.platform.accessKeyId,
      secretAccessKey: override.secretAccessKey || tw.platform.secretAccessKey,
      ...('sessionToken' in override ? { sessionToken: override.sessionToken } : {}),
    };
    const sts = new STSClient(sandbox.clientConfig(credentials));
    const iam = new IAMClient(sandbox.clientConfig(credentials));
    const errors = [await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e), await iam.send(new ListRolesCommand({})).catch((e: unknown) => e)];
    for (const error of errors) expect(error).toMatchObject({ name: code, $metadata: { httpStatusCode: 403 } });
    sts.destroy();
    iam.destroy();
  });

  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    const res = await sendRaw({
      endpoint: sandbox.endpoint,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
  });

  it('refuses an Authorization header without Credential as IncompleteSignature', async () => {
    const res = await sendRaw({
      endpoint: sandbox.endpoint,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc', 'x-amz-date': '20261121T120000Z' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/<Code>IncompleteSignature<\/Code>/);
  });

  it('accepts a presigned GET URL made by the SDK signer', async () => {
    const url = new URL(sandbox.endpoint);
    const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', sha256: Sha256, credentials: tw.platform });
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: url.host },
      },
      { expiresIn: 300 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const res = await sendRaw({ endpoint: sandbox.endpoint, method: 'GET', query });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Arn>arn:aws:iam::111111111111:user/platform</Arn>');
  });

  it('refuses a presigned URL whose X-Amz-Expires window has passed', async () => {
    const url = new URL(sandbox.endpoint);
    const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', sha256: Sha256, credentials: tw.platform });
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: url.host } },
      { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) },
    );
    const res = await sendRaw({ endpoint: sandbox.endpoint, method: 'GET', query: new URLSearchParams(presigned.query as Record<string, string>).toString() });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code><Message>Signature expired');
  });
});
