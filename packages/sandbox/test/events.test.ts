import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateOrganizationalUnitCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDeliveryStats, flushEventDeliveries, setEventTargets } from '../src/events-delivery.js';
import { recentOrganizationsEvents } from '../src/events.js';
import type { SandboxEvent } from '../src/events.js';
import { inviteAccount } from '../src/organization-state-admin.js';
import { startOrganizationsFixture } from './organizations-fixture.js';
import type { OrganizationsFixture } from './organizations-fixture.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  event: SandboxEvent;
}

/** A local HTTP receiver standing in for an EventBridge API destination. */
async function startReceiver(status = 200): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, event: JSON.parse(Buffer.concat(chunks).toString('utf8')) as SandboxEvent });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received };
}

describe('Organizations events delivered to HTTP targets', () => {
  let f: OrganizationsFixture;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let failing: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    f = await startOrganizationsFixture({ accounts: 4, ous: 1, depth: 1 });
    receiver = await startReceiver();
    failing = await startReceiver(500);
    setEventTargets(f.world, [
      { url: receiver.url, headers: { authorization: 'Bearer hook-secret' } },
      { url: failing.url },
      { url: 'http://127.0.0.1:9/unreachable' },
    ]);
  });
  afterAll(async () => {
    await f.close();
    receiver.server.close();
    failing.server.close();
  });

  it('POSTs CloudTrail-shaped events in order, with the configured headers', async () => {
    const org = f.world.organization!;
    const { OrganizationalUnit } = await f.management.send(new CreateOrganizationalUnitCommand({ ParentId: org.rootId, Name: 'Events' }));
    const accountId = org.childAccounts.get(org.rootId)!.find((id) => id !== org.managementAccountId)!;
    await f.management.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: org.rootId, DestinationParentId: OrganizationalUnit!.Id! }));
    await flushEventDeliveries(f.world);

    expect(receiver.received.map((r) => r.event.detail.eventName)).toEqual(['CreateOrganizationalUnit', 'MoveAccount']);
    expect(receiver.received[0]!.headers.authorization).toBe('Bearer hook-secret');
    expect(receiver.received[0]!.headers['content-type']).toBe('application/json');
    const move = receiver.received[1]!.event;
    expect(move).toMatchObject({
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.organizations',
      account: org.managementAccountId,
      region: 'us-east-1',
      resources: [],
      detail: {
        eventSource: 'organizations.amazonaws.com',
        eventName: 'MoveAccount',
        awsRegion: 'us-east-1',
        eventType: 'AwsApiCall',
        requestParameters: { accountId, sourceParentId: org.rootId, destinationParentId: OrganizationalUnit!.Id },
        responseElements: null,
        userIdentity: { type: 'Root', accountId: org.managementAccountId },
      },
    });
    expect(move.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(move.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // One target answered 500 and one is unreachable: both count as failures, neither blocked the calls.
    expect(eventDeliveryStats(f.world)).toMatchObject({ delivered: 2, failed: 4 });
  });

  it('emits the invitation handshake events and account-joined for an invited account', async () => {
    const joined: string[] = [];
    f.world.listeners.push((event) => {
      if (event.type === 'account-joined') joined.push(event.accountId);
    });
    const account = inviteAccount(f.world, { name: 'acquired', email: 'acquired@example.com' });
    await flushEventDeliveries(f.world);
    expect(account.joinedMethod).toBe('INVITED');
    expect(joined).toEqual([account.id]);
    const names = receiver.received.slice(-3).map((r) => r.event.detail.eventName);
    expect(names).toEqual(['InviteAccountToOrganization', 'AcceptHandshake', 'AccountJoinedOrganization']);
    expect(receiver.received.slice(-3).map((r) => r.event['detail-type'])).toEqual([
      'AWS API Call via CloudTrail',
      'AWS Service Event via CloudTrail',
      'AWS Service Event via CloudTrail',
    ]);
    const joinedEvent = receiver.received.at(-1)!.event;
    expect(joinedEvent['detail-type']).toBe('AWS Service Event via CloudTrail');
    expect(joinedEvent.detail.serviceEventDetails).toMatchObject({ accountJoinedOrganizationDetails: { accountId: account.id } });
    expect(recentOrganizationsEvents(f.world).at(-1)?.detail.eventName).toBe('AccountJoinedOrganization');
  });

  it.each([['ftp://example.com/x'], ['not a url']])('rejects the target %s', (url) => {
    expect(() => setEventTargets(f.world, [{ url }])).toThrow();
  });
});
