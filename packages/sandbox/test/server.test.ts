import { DescribeOrganizationCommand, ListAccountsCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-error.js';
import { jsonBody } from '../src/protocols/json-output.js';
import { parseFormBody, unflattenQuery } from '../src/protocols/query-input.js';
import { queryResponse, xmlValue } from '../src/protocols/xml-output.js';
import { createSandboxServer } from '../src/server.js';
import type { ServiceDefinition } from '../src/service.js';
import { iamService } from '../src/services/iam.js';
import { issueSessionCredential, stsService } from '../src/services/sts.js';
import { formBody, sendRaw } from './support/raw-request.js';
import { startSandbox } from './support/sandbox-server.js';
import type { StartedSandbox } from './support/sandbox-server.js';
import { createTrustWorld } from './support/trust-world.js';
import type { TrustWorld } from './support/trust-world.js';

describe('Query input flattening', () => {
  it.each([
    ['scalars', 'RoleName=a&MaxItems=10', { RoleName: 'a', MaxItems: '10' }],
    ['a list of structures', 'Tags.member.1.Key=k1&Tags.member.1.Value=v1&Tags.member.2.Key=k2&Tags.member.2.Value=v2', { Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] }],
    ['list order follows the index, not the wire', 'L.member.2=b&L.member.10=c&L.member.1=a', { L: ['a', 'b', 'c'] }],
    ['a map', 'Attrs.entry.1.key=a&Attrs.entry.1.value=1&Attrs.entry.2.key=b&Attrs.entry.2.value=2', { Attrs: { a: '1', b: '2' } }],
    ['nested lists', 'P.member.1.Values.member.1=x&P.member.1.Values.member.2=y', { P: [{ Values: ['x', 'y'] }] }],
    ['an empty list', 'L=', { L: '' }],
    ['+ and percent escapes', 'Description=a+b%26c%3D', { Description: 'a b&c=' }],
    ['Action and Version are dropped', 'Action=ListRoles&Version=2010-05-08', {}],
  ])('%s', (_name, body, expected) => {
    expect(unflattenQuery(parseFormBody(body))).toEqual(expected);
  });

  it.each([
    ['a broken percent escape', 'A=%E0%A4%A'],
    ['an index of zero', 'L.member.0=x'],
    ['a huge index', 'L.member.99999999=x'],
    ['a prototype key', '__proto__.x=1'],
    ['mixed list and structure', 'L.member.1=x&L.Foo=y'],
  ])('refuses %s with MalformedQueryString', (_name, body) => {
    expect(() => unflattenQuery(parseFormBody(body))).toThrow(AwsError);
  });
});

describe('output serialization', () => {
  it.each([
    ['escapes', { A: '<&>"\'' }, '<A>&lt;&amp;&gt;&quot;&apos;</A>'],
    ['dates as ISO-8601', { D: new Date('2026-01-02T03:04:05Z') }, '<D>2026-01-02T03:04:05.000Z</D>'],
    ['lists as member', { L: ['a', 'b'] }, '<L><member>a</member><member>b</member></L>'],
    ['maps as entry', { M: new Map([['k', 'v']]) }, '<M><entry><key>k</key><value>v</value></entry></M>'],
    ['booleans and numbers', { B: false, N: 3 }, '<B>false</B><N>3</N>'],
    ['undefined members are left out', { A: undefined, B: 'x' }, '<B>x</B>'],
    ['control characters replaced', { A: 'a\u0001b' }, '<A>a\uFFFDb</A>'],
  ])('XML %s', (_name, value, xml) => {
    expect(xmlValue(value)).toBe(xml);
  });

  it('wraps results in {Op}Response/{Op}Result with ResponseMetadata', () => {
    expect(queryResponse('GetThing', 'https://x/', { A: '1' }, 'rid')).toBe(
      '<GetThingResponse xmlns="https://x/"><GetThingResult><A>1</A></GetThingResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></GetThingResponse>',
    );
    expect(queryResponse('DeleteThing', 'https://x/', undefined, 'rid')).not.toContain('Result');
  });

  it('JSON dates are epoch seconds, at any depth', () => {
    expect(JSON.parse(jsonBody({ A: [{ T: new Date(1_500_000_000_500) }], M: new Map([['k', 1]]) }))).toEqual({ A: [{ T: 1_500_000_000.5 }], M: { k: 1 } });
  });
});

/** A JSON 1.1 service shaped like Organizations, so the real client is the oracle. */
const jsonTestService: ServiceDefinition = {
  signingName: 'organizations',
  actionPrefix: 'organizations',
  protocol: 'json',
  targetPrefix: 'AWSOrganizationsV20161128',
  accessDeniedCode: 'AccessDeniedException',
  family: 'organizations',
  operations: {
    DescribeOrganization: {
      handler: () => {
        throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
      },
    },
    ListAccounts: {
      resource: () => 'arn:aws:organizations::222222222222:account/*',
      handler: () => ({
        Accounts: [{ Id: '222222222222', Name: 'a <b> & "c"', Email: 'a@example.com', State: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: new Date('2024-05-06T07:08:09.250Z') }],
      }),
    },
    ListRoots: {
      handler: () => {
        throw new Error('a bug in a handler');
      },
    },
  },
};

describe('the server over HTTP', () => {
  let tw: TrustWorld;
  let sandbox: StartedSandbox;
  let org: OrganizationsClient;
  const internalErrors: unknown[] = [];

  beforeAll(async () => {
    tw = createTrustWorld();
    sandbox = await startSandbox({ world: tw.world, services: [stsService, iamService, jsonTestService], onInternalError: (e) => internalErrors.push(e) });
    org = new OrganizationsClient(sandbox.clientConfig(tw.customerRoot));
  });
  afterAll(async () => {
    org.destroy();
    await sandbox.close();
  });

  it('listens on 127.0.0.1 only by default', () => {
    expect(sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('JSON 1.1: the SDK deserializes strings, dates and lists', async () => {
    const out = await org.send(new ListAccountsCommand({}));
    expect(out.Accounts?.[0]).toMatchObject({ Name: 'a <b> & "c"', JoinedTimestamp: new Date('2024-05-06T07:08:09.250Z') });
  });

  it('JSON 1.1: modeled errors come back as the SDK error class', async () => {
    await expect(org.send(new DescribeOrganizationCommand({}))).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException', $metadata: { httpStatusCode: 400 } });
  });

  it('JSON 1.1: a handler crash is InternalFailure (500), reported once', async () => {
    await expect(org.send(new ListRootsCommand({}))).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(internalErrors).toHaveLength(1);
  });

  it('JSON 1.1: error body and headers are AWS-shaped', async () => {
    const res = await sendRaw({
      endpoint: sandbox.endpoint,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.DescribeOrganization' },
      body: '{}',
      sign: { credential: tw.customerRoot, service: 'organizations' },
    });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('AWSOrganizationsNotInUseException');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.body)).toEqual({ __type: 'AWSOrganizationsNotInUseException', message: 'Your account is not a member of an organization.' });
  });

  it('JSON 1.1: unknown keys are UnrecognizedClientException and identity policies apply', async () => {
    const stranger = new OrganizationsClient(sandbox.clientConfig({ accessKeyId: 'AKIANOPENOPENOPENOPE', secretAccessKey: 'x' }));
    await expect(stranger.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 400 } });
    stranger.destroy();
    const platform = new OrganizationsClient(sandbox.clientConfig(tw.platform));
    await expect(platform.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining('organizations:ListAccounts on resource: arn:aws:organizations::222222222222:account/*'),
    });
    platform.destroy();
  });

  it('JSON 1.1: expired temporary credentials are ExpiredTokenException (400)', async () => {
    const principal = { kind: 'assumed-role' as const, accountId: '222222222222', arn: 'arn:aws:sts::222222222222:assumed-role/OrgLinkMember/x', roleName: 'OrgLinkMember', roleArn: tw.memberRole.arn, sessionName: 'x', chained: false };
    const expired = issueSessionCredential(tw.world, principal, 0);
    const client = new OrganizationsClient(sandbox.clientConfig(expired));
    await expect(client.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } });
    client.destroy();
  });

  it.each([
    ['unknown target prefix', { 'x-amz-target': 'Nope.ListAccounts', 'content-type': 'application/x-amz-json-1.1' }, '{}', 400, 'UnknownOperationException'],
    ['unknown operation', { 'x-amz-target': 'AWSOrganizationsV20161128.Nope', 'content-type': 'application/x-amz-json-1.1' }, '{}', 400, 'UnknownOperationException'],
    ['wrong content type', { 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts', 'content-type': 'text/plain' }, '{}', 400, 'UnknownOperationException'],
    ['garbage JSON', { 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts', 'content-type': 'application/x-amz-json-1.1' }, '{"a":', 400, 'SerializationException'],
    ['a JSON array', { 'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts', 'content-type': 'application/x-amz-json-1.1' }, '[1]', 400, 'SerializationException'],
  ])('JSON 1.1: %s', async (_name, headers, body, status, code) => {
    const res = await sendRaw({ endpoint: sandbox.endpoint, headers, body, sign: { credential: tw.customerRoot, service: 'organizations' } });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toMatchObject({ __type: code });
    expect(res.headers['x-amzn-errortype']).toBe(code);
  });

  it.each([
    ['missing Action', {}, 400, 'MissingAction'],
    ['unknown Action', { Action: 'Frobnicate', Version: '2011-06-15' }, 400, 'InvalidAction'],
  ])('Query: %s', async (_name, params, status, code) => {
    const res = await sendRaw({
      endpoint: sandbox.endpoint,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: formBody(params),
      sign: { credential: tw.platform, service: 'sts' },
    });
    expect(res.status).toBe(status);
    expect(res.body).toMatch(new RegExp(`^<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`));
  });

  it('Query: GET requests work, with parameters in the URL', async () => {
    const res = await sendRaw({ endpoint: sandbox.endpoint, method: 'GET', query: 'Action=GetCallerIdentity&Version=2011-06-15', sign: { credential: tw.platform, service: 'sts' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml');
    expect(res.body).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>AIDA/);
  });

  it('Query: a body over 1 MiB is refused with 413', async () => {
    const res = await sendRaw({ endpoint: sandbox.endpoint, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Action=GetCallerIdentity&X=${'a'.repeat(1_100_000)}` });
    expect(res.status).toBe(413);
    expect(res.body).toContain('<Code>RequestEntityTooLarge</Code>');
  });

  it('answers many concurrent SDK calls', async () => {
    const sts = new STSClient(sandbox.clientConfig(tw.platform));
    const results = await Promise.all(Array.from({ length: 50 }, () => sts.send(new GetCallerIdentityCommand({}))));
    expect(new Set(results.map((r) => r.Arn))).toEqual(new Set(['arn:aws:iam::111111111111:user/platform']));
    expect(new Set(results.map((r) => r.$metadata.requestId)).size).toBe(50);
    sts.destroy();
  });
});

describe('binding', () => {
  it('binds another host only when told', async () => {
    const tw = createTrustWorld();
    // The whole 127.0.0.0/8 block is loopback on Linux.
    const server = await createSandboxServer({ world: tw.world, services: [stsService], host: '127.0.0.2' });
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    await server.close();
  });
});
