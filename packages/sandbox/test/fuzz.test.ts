import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/ids.js';
import { createSandboxServer } from '../src/server.js';
import type { SandboxServer } from '../src/server.js';
import type { ServiceDefinition } from '../src/service.js';
import { SANDBOX_SERVICES, startSandbox } from '../src/start-sandbox.js';
import type { RunningSandbox } from '../src/start-sandbox.js';
import { sendRaw } from './support/raw-request.js';
import type { RawRequest, RawResponse } from './support/raw-request.js';
import type { CredentialLike } from './support/sandbox-server.js';

// Malformed and fuzzed requests to every operation of every registered service: each
// answer must be AWS-shaped (or a success), never a crash, a hang or an InternalFailure
// that hides a handler bug. New operations are fuzzed automatically.
const SEED = 20261121;
const CASES_PER_OPERATION = 6;
const MEMBER_NAMES = [
  'Name', 'Id', 'AccountId', 'ParentId', 'ChildType', 'SourceParentId', 'DestinationParentId', 'OrganizationalUnitId', 'MaxResults', 'NextToken',
  'Email', 'RoleName', 'RoleArn', 'RoleSessionName', 'ExternalId', 'DurationSeconds', 'PolicyDocument', 'PolicyArn', 'PolicyName', 'UserName',
  'GroupName', 'Path', 'Marker', 'MaxItems', 'StackName', 'StackSetName', 'TemplateBody', 'Parameters', 'Capabilities', 'DeploymentTargets',
  'InstanceArn', 'IdentityStoreId', 'PermissionSetArn', 'TargetId', 'TargetType', 'PrincipalType', 'PrincipalId', 'UserId', 'GroupId',
  'Filters', 'ServicePrincipal', 'AccountCreationRequestId', 'CreateAccountRequestId', 'AssumeRolePolicyDocument', 'Tags', 'ManagedPolicyArn',
  'InlinePolicy', 'DisplayName', 'MemberId', 'AlternateIdentifier', 'OperationId', 'Regions', 'AutoDeployment', 'PermissionModel',
];

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function fuzzString(random: Random): string {
  return pick(random, [
    '',
    'x',
    'a'.repeat(200_000),
    '<script>&amp;"\'</script>',
    '\u0000\u0001\uFFFF',
    '🙂'.repeat(50),
    '-1',
    '0',
    '99999999999999999999',
    'arn:aws:iam::123456789012:role/x',
    'ou-zzzz-zzzzzzzz',
    'r-zzzz',
    '../../etc/passwd',
    '%s%n%x',
    '{"Statement":[]}',
    'null',
  ]);
}

function fuzzValue(random: Random, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 2 ? 5 : 8));
  switch (kind) {
    case 0:
      return fuzzString(random);
    case 1:
      return pick(random, [0, -1, 1.5, 1e308, -1e308, 21, 1000, Number.MAX_SAFE_INTEGER]);
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return fuzzString(random);
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => fuzzValue(random, depth + 1));
    default:
      return fuzzObject(random, depth + 1);
  }
}

function fuzzObject(random: Random, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const count = 1 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) out[pick(random, MEMBER_NAMES)] = fuzzValue(random, depth);
  return out;
}

/** Flattens a fuzz object as Query parameters, including broken escapes and odd indices. */
function fuzzForm(random: Random, operation: string): string {
  const parts = [`Action=${encodeURIComponent(operation)}`, 'Version=2010-05-08'];
  for (const [key, value] of Object.entries(fuzzObject(random))) {
    const flat = Array.isArray(value) ? value.map((v, i) => [`${key}.member.${i + 1}`, v] as const) : [[key, value] as const];
    for (const [name, v] of flat) parts.push(`${name}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`);
  }
  const extras = ['Bad=%ZZ', 'L.member.0=x', 'L.member.1.entry.9=z', 'Tags.member.99999999.Key=k', '=', '&&&', 'A.B.C.D.E.F.G=deep', 'L.member.1=x&L.Foo=y'];
  if (random() < 0.5) parts.push(pick(random, extras));
  return parts.join('&');
}

function isAwsShaped(service: ServiceDefinition, operation: string, res: RawResponse): boolean {
  if (res.status === 0) return false;
  if (service.protocol === 'json' || res.headers['x-amzn-errortype'] !== undefined) {
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      return false;
    }
    if (typeof body !== 'object' || body === null) return false;
    if (res.status < 400) return res.status === 200;
    const error = body as { __type?: unknown; message?: unknown };
    return typeof error.__type === 'string' && typeof error.message === 'string' && res.headers['x-amzn-errortype'] === error.__type;
  }
  if (res.status < 400) return res.status === 200 && res.body.startsWith(`<${operation}Response `);
  return /^<ErrorResponse(?: xmlns="[^"]+")?><Error><Type>(Sender|Receiver)<\/Type><Code>\w+<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[\w-]+<\/RequestId><\/ErrorResponse>$/s.test(res.body);
}

describe('fuzzing every operation of every service', () => {
  let running: RunningSandbox;
  let server: SandboxServer;
  let root: CredentialLike;
  const internalErrors: string[] = [];

  beforeAll(async () => {
    running = await startSandbox({ seed: 5 });
    // A second server on the same world, so handler crashes are collected instead of logged.
    server = await createSandboxServer({
      world: running.world,
      services: [...SANDBOX_SERVICES],
      onInternalError: (e) => internalErrors.push(e instanceof Error ? (e.stack ?? e.message) : String(e)),
    });
    root = running.managementRoot;
  });
  afterAll(async () => {
    await server.close();
    await running.close();
  });

  const base = (service: ServiceDefinition): Pick<RawRequest, 'endpoint' | 'sign'> => ({
    endpoint: server.endpoint,
    sign: { credential: root, service: service.signingName },
  });

  const operationsOf = (): Array<[string, ServiceDefinition, string]> =>
    SANDBOX_SERVICES.flatMap((s) => Object.keys(s.operations).map((op) => [`${s.signingName}:${op}`, s, op] as [string, ServiceDefinition, string]));

  it('covers every registered operation', () => {
    expect(operationsOf().length).toBeGreaterThan(40);
  });

  it.each(operationsOf())('%s', async (_label, service, operation) => {
    const random = seededRandom(SEED + operation.length * 7919 + service.signingName.length);
    const requests: RawRequest[] = [];
    if (service.protocol === 'json') {
      const target = `${service.targetPrefix}.${operation}`;
      const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
      requests.push(
        { ...base(service), headers, body: '{"garbage":' },
        { ...base(service), headers, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
        { ...base(service), headers, body: '"a string"' },
        { ...base(service), headers: { ...headers, 'content-type': 'application/xml' }, body: '{}' },
        { ...base(service), headers: { ...headers, 'x-amz-target': `${target}Nope` }, body: '{}' },
        { endpoint: server.endpoint, headers, body: '{}' },
        { endpoint: server.endpoint, headers: { ...headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/2026/us-east-1', 'x-amz-date': 'now' }, body: '{}' },
        { endpoint: server.endpoint, headers: { ...headers, authorization: 'Bearer nope' }, body: '{}' },
      );
      for (let i = 0; i < CASES_PER_OPERATION; i++) requests.push({ ...base(service), headers, body: JSON.stringify(fuzzObject(random)) });
    } else {
      const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      requests.push(
        { ...base(service), headers, body: `Action=${operation}&Version=2010-05-08&X=%E0%A4%A` },
        { ...base(service), headers, body: Buffer.concat([Buffer.from(`Action=${operation}&Name=`), Buffer.from([0xff, 0xfe])]) },
        { ...base(service), headers: { 'content-type': 'application/json' }, body: `{"Action":"${operation}"}` },
        { ...base(service), method: 'GET', query: `Action=${operation}&Version=2010-05-08&${'P.member.1.Q.member.2.R.entry.3.key'}=v` },
        { endpoint: server.endpoint, headers, body: `Action=${operation}` },
        { endpoint: server.endpoint, headers: { ...headers, authorization: 'AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=' }, body: `Action=${operation}` },
        { endpoint: server.endpoint, headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${root.accessKeyId}/20261121/us-east-1/${service.signingName}/aws4_request, SignedHeaders=host, Signature=00` }, body: `Action=${operation}` },
      );
      for (let i = 0; i < CASES_PER_OPERATION; i++) requests.push({ ...base(service), headers, body: fuzzForm(random, operation) });
    }
    for (const request of requests) {
      const res = await sendRaw({ ...request, timeoutMs: 10_000 });
      const what = `${request.method ?? 'POST'} ${String(request.body ?? request.query).slice(0, 200)}`;
      expect(isAwsShaped(service, operation, res), `${what} → ${res.status} ${res.body.slice(0, 300)}`).toBe(true);
      expect(res.status === 200 || res.status >= 400, what).toBe(true);
    }
    expect(internalErrors, 'handlers must refuse bad input with an AWS error, not crash').toEqual([]);
  });

  it('refuses broken routing the same way', async () => {
    const random = seededRandom(SEED);
    const targets = ['', '.', 'AWSOrganizationsV20161128', 'AWSOrganizationsV20161128.', '.ListRoots', 'x'.repeat(5000), 'SWBExternalService.__proto__', 'AWSIdentityStore.constructor'];
    for (const target of targets) {
      const res = await sendRaw({ endpoint: server.endpoint, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body: '{}', sign: { credential: root, service: 'organizations' } });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ __type: 'UnknownOperationException' });
    }
    for (const service of ['sts', 'iam', 'cloudformation', 'nope']) {
      for (const body of ['', 'Version=2011-06-15', `Action=${'A'.repeat(10_000)}`, `Action=${encodeURIComponent(fuzzString(random))}`, 'Action=toString', 'Action=__proto__']) {
        const res = await sendRaw({ endpoint: server.endpoint, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, sign: { credential: root, service } });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.body).toMatch(/^<ErrorResponse(?: xmlns="[^"]+")?><Error><Type>Sender<\/Type><Code>\w+<\/Code>/);
      }
    }
    const huge = await sendRaw({ endpoint: server.endpoint, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.ListRoots', 'x-fuzz': 'h'.repeat(60_000) }, body: '{}' });
    expect(huge.status).toBe(403);
    expect(internalErrors).toEqual([]);
  });

  it('reached the handlers: signed fuzz cases were routed and counted', () => {
    const { operations, totals } = server.counters.snapshot();
    expect(Object.keys(operations).sort()).toEqual(operationsOf().map(([label]) => label).sort());
    expect(totals.calls - totals.errors).toBeGreaterThan(0);
  });
});
