import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentOrganizationsEvents } from '../src/events.js';
import type { WorldEvent } from '../src/world.js';
import { startOrganizationsFixture } from './organizations-fixture.js';
import type { OrganizationsFixture } from './organizations-fixture.js';
import { sendRaw } from './support/raw-request.js';

describe('sandbox-only Organizations operations (not AWS APIs)', () => {
  let f: OrganizationsFixture;
  const events: WorldEvent[] = [];
  beforeAll(async () => {
    f = await startOrganizationsFixture({ accounts: 4, ous: 1 });
    f.world.listeners.push((e) => events.push(e));
  });
  afterAll(async () => f.close());

  const call = (operation: string, body: unknown, credential = f.generated.managementRoot) =>
    sendRaw({
      endpoint: f.sandbox.endpoint,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSOrganizationsV20161128.${operation}` },
      body: JSON.stringify(body),
      sign: { credential, service: 'organizations' },
    });

  it('suspends and reinstates an account', async () => {
    const org = f.world.organization!;
    const accountId = [...org.childAccounts.values()].flat().find((id) => id !== org.managementAccountId)!;
    const res = await call('SandboxSetAccountState', { AccountId: accountId, State: 'SUSPENDED' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).Account).toMatchObject({ Id: accountId, State: 'SUSPENDED', Status: 'SUSPENDED' });
    const { Account } = await f.management.send(new DescribeAccountCommand({ AccountId: accountId }));
    expect(Account?.State).toBe('SUSPENDED');
    expect(events).toContainEqual({ type: 'account-state-changed', accountId, state: 'SUSPENDED' });
    await call('SandboxSetAccountState', { AccountId: accountId, State: 'ACTIVE' });
    expect(f.world.accounts.get(accountId)?.state).toBe('ACTIVE');
  });

  it('invites an account into an OU, with the handshake events', async () => {
    const ouId = [...f.world.organization!.ous.keys()][0]!;
    const res = await call('SandboxInviteAccount', { Name: 'acquired', Email: 'acquired@example.com', AccountId: '123456789012', ParentId: ouId });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).Account).toMatchObject({ Id: '123456789012', JoinedMethod: 'INVITED' });
    expect(recentOrganizationsEvents(f.world).slice(-3).map((e) => e.detail.eventName)).toEqual([
      'InviteAccountToOrganization',
      'AcceptHandshake',
      'AccountJoinedOrganization',
    ]);
    const again = await call('SandboxInviteAccount', { Name: 'acquired', Email: 'acquired@example.com', AccountId: '123456789012' });
    expect(JSON.parse(again.body).__type).toBe('DuplicateAccountException');
  });

  it.each([
    ['SandboxSetAccountState', { AccountId: '123456789012', State: 'CLOSED' }, 'InvalidInputException'],
    ['SandboxSetAccountState', { AccountId: '999999999999', State: 'SUSPENDED' }, 'AccountNotFoundException'],
    ['SandboxInviteAccount', { Name: 'x' }, 'InvalidInputException'],
    ['SandboxInviteAccount', { Name: 'x', Email: 'x@example.com', ParentId: 'ou-zzzz-zzzzzzzz' }, 'ParentNotFoundException'],
  ])('%s %j answers %s', async (operation, body, code) => {
    const res = await call(operation, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).__type).toBe(code);
  });

  it('refuses member accounts', async () => {
    const org = f.world.organization!;
    const memberId = [...org.childAccounts.values()].flat().find((id) => id !== org.managementAccountId)!;
    const res = await call('SandboxSetAccountState', { AccountId: memberId, State: 'SUSPENDED' }, f.rootOf(memberId));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).__type).toBe('AccessDeniedException');
  });
});
