import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  DeleteOrganizationalUnitCommand,
  DeregisterDelegatedAdministratorCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  MoveAccountCommand,
  RegisterDelegatedAdministratorCommand,
  RemoveAccountFromOrganizationCommand,
  UpdateOrganizationalUnitCommand,
} from '@aws-sdk/client-organizations';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceWorldTime } from '../src/control-api.js';
import { recentOrganizationsEvents } from '../src/events.js';
import type { WorldEvent } from '../src/world.js';
import { rejection, startOrganizationsFixture } from './organizations-fixture.js';
import type { OrganizationsFixture } from './organizations-fixture.js';

describe('Organizations changes over HTTP with the real SDK', () => {
  let f: OrganizationsFixture;
  const worldEvents: WorldEvent[] = [];
  beforeAll(async () => {
    f = await startOrganizationsFixture({ accounts: 8, ous: 2, depth: 1 });
    f.world.listeners.push((event) => worldEvents.push(event));
  });
  afterAll(async () => f.close());

  const root = () => f.world.organization!.rootId;
  const lastEventNamed = (name: string) => [...recentOrganizationsEvents(f.world)].reverse().find((e) => e.detail.eventName === name);

  it('creates an account: IN_PROGRESS at once, SUCCEEDED on DescribeCreateAccountStatus, with its access role', async () => {
    const { CreateAccountStatus } = await f.management.send(new CreateAccountCommand({ Email: 'new-team@example.com', AccountName: 'new-team' }));
    expect(CreateAccountStatus).toMatchObject({ State: 'IN_PROGRESS', AccountName: 'new-team' });
    expect(CreateAccountStatus?.Id).toMatch(/^car-[a-z0-9]{32}$/);
    const { CreateAccountStatus: done } = await f.management.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
    expect(done).toMatchObject({ State: 'SUCCEEDED', AccountName: 'new-team' });
    const accountId = done!.AccountId!;
    const { Account } = await f.management.send(new DescribeAccountCommand({ AccountId: accountId }));
    expect(Account).toMatchObject({ Name: 'new-team', Email: 'new-team@example.com', JoinedMethod: 'CREATED', State: 'ACTIVE' });
    expect(f.world.iam.get(accountId)?.roles.has('OrganizationAccountAccessRole')).toBe(true);
    expect(worldEvents).toContainEqual({ type: 'account-joined', accountId, parentId: root() });
    const result = lastEventNamed('CreateAccountResult')!;
    expect(result['detail-type']).toBe('AWS Service Event via CloudTrail');
    expect(result.detail.serviceEventDetails).toMatchObject({ createAccountStatus: { accountId, state: 'SUCCEEDED' } });
    expect(lastEventNamed('CreateAccount')!['detail-type']).toBe('AWS API Call via CloudTrail');
  });

  it('fails a CreateAccount request whose email is taken, as AWS does (FAILED, EMAIL_ALREADY_EXISTS)', async () => {
    const { CreateAccountStatus } = await f.management.send(new CreateAccountCommand({ Email: 'aws-management@example.com', AccountName: 'dup' }));
    const { CreateAccountStatus: done } = await f.management.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
    expect(done).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
  });

  it('creates, renames and deletes OUs, with AWS errors for duplicates, depth and non-empty OUs', async () => {
    let parent = root();
    const chain: string[] = [];
    for (let level = 1; level <= 5; level++) {
      const { OrganizationalUnit } = await f.management.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: `Level${level}` }));
      chain.push(OrganizationalUnit!.Id!);
      parent = OrganizationalUnit!.Id!;
    }
    expect(await rejection(f.management.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: 'Level6' })))).toMatchObject({
      name: 'ConstraintViolationException',
    });
    expect(await rejection(f.management.send(new CreateOrganizationalUnitCommand({ ParentId: root(), Name: 'Level1' })))).toMatchObject({
      name: 'DuplicateOrganizationalUnitException',
    });
    const { OrganizationalUnit: renamed } = await f.management.send(new UpdateOrganizationalUnitCommand({ OrganizationalUnitId: chain[0], Name: 'Renamed' }));
    expect(renamed?.Name).toBe('Renamed');
    expect(lastEventNamed('UpdateOrganizationalUnit')?.detail.requestParameters).toEqual({ organizationalUnitId: chain[0], name: 'Renamed' });
    expect(await rejection(f.management.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: chain[0] })))).toMatchObject({
      name: 'OrganizationalUnitNotEmptyException',
    });
    for (const id of [...chain].reverse()) await f.management.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: id }));
    expect(f.world.organization!.ous.has(chain[0]!)).toBe(false);
    expect(lastEventNamed('DeleteOrganizationalUnit')?.detail.requestParameters).toEqual({ organizationalUnitId: chain[0] });
    expect(lastEventNamed('CreateOrganizationalUnit')?.detail.responseElements).toMatchObject({ organizationalUnit: { name: 'Level5' } });
  });

  it('moves an account, and refuses moves AWS refuses', async () => {
    const org = f.world.organization!;
    const ou = [...org.ous.keys()][0]!;
    const accountId = org.childAccounts.get(root())!.find((id) => id !== org.managementAccountId) ?? (await createOne());
    await f.management.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: root(), DestinationParentId: ou }));
    const { Accounts } = await f.management.send(new ListAccountsForParentCommand({ ParentId: ou }));
    expect(Accounts?.map((a) => a.Id)).toContain(accountId);
    expect(worldEvents).toContainEqual({ type: 'account-moved', accountId, fromParentId: root(), toParentId: ou });
    expect(lastEventNamed('MoveAccount')?.detail.requestParameters).toEqual({ accountId, sourceParentId: root(), destinationParentId: ou });
    const again = await rejection(f.management.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: ou, DestinationParentId: ou })));
    expect(again.name).toBe('DuplicateAccountException');
    const wrongSource = await rejection(f.management.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: root(), DestinationParentId: ou })));
    expect(wrongSource.name).toBe('SourceParentNotFoundException');
    const noDestination = await rejection(
      f.management.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: ou, DestinationParentId: 'ou-zzzz-zzzzzzzz' })),
    );
    expect(noDestination.name).toBe('DestinationParentNotFoundException');
  });

  async function createOne(): Promise<string> {
    const { CreateAccountStatus } = await f.management.send(new CreateAccountCommand({ Email: `x${Date.now()}@example.com`, AccountName: 'x' }));
    const { CreateAccountStatus: done } = await f.management.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
    return done!.AccountId!;
  }

  it('closes an account: PENDING_CLOSURE, then CLOSED (legacy Status SUSPENDED) after the closure delay', async () => {
    const accountId = await createOne();
    await f.management.send(new CloseAccountCommand({ AccountId: accountId }));
    const pending = await f.management.send(new DescribeAccountCommand({ AccountId: accountId }));
    expect(pending.Account).toMatchObject({ State: 'PENDING_CLOSURE', Status: 'PENDING_CLOSURE' });
    expect((await rejection(f.management.send(new CloseAccountCommand({ AccountId: accountId })))).name).toBe('AccountAlreadyClosedException');
    advanceWorldTime(f.world, 61);
    const closed = await f.management.send(new DescribeAccountCommand({ AccountId: accountId }));
    expect(closed.Account).toMatchObject({ State: 'CLOSED', Status: 'SUSPENDED' });
    expect(worldEvents.filter((e) => e.type === 'account-state-changed' && e.accountId === accountId).map((e) => (e as { state: string }).state)).toEqual([
      'PENDING_CLOSURE',
      'CLOSED',
    ]);
    expect(lastEventNamed('CloseAccount')?.detail.requestParameters).toEqual({ accountId });
    const management = f.world.organization!.managementAccountId;
    expect((await rejection(f.management.send(new CloseAccountCommand({ AccountId: management })))).name).toBe('ConstraintViolationException');
  });

  it('removes an account from the organization; the management account cannot leave', async () => {
    const accountId = await createOne();
    await f.management.send(new RemoveAccountFromOrganizationCommand({ AccountId: accountId }));
    expect((await rejection(f.management.send(new DescribeAccountCommand({ AccountId: accountId })))).name).toBe('AccountNotFoundException');
    expect(worldEvents).toContainEqual({ type: 'account-removed', accountId });
    expect(lastEventNamed('RemoveAccountFromOrganization')?.detail.requestParameters).toEqual({ accountId });
    const management = f.world.organization!.managementAccountId;
    expect((await rejection(f.management.send(new RemoveAccountFromOrganizationCommand({ AccountId: management })))).name).toBe(
      'MasterCannotLeaveOrganizationException',
    );
    expect((await rejection(f.management.send(new RemoveAccountFromOrganizationCommand({ AccountId: accountId })))).name).toBe('AccountNotFoundException');
  });

  it('registers delegated administrators, who may then read but not write', async () => {
    const accountId = await createOne();
    await f.management.send(new RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'sso.amazonaws.com' }));
    const again = await rejection(f.management.send(new RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'sso.amazonaws.com' })));
    expect(again.name).toBe('AccountAlreadyRegisteredException');
    const { DelegatedAdministrators } = await f.management.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'sso.amazonaws.com' }));
    expect(DelegatedAdministrators).toHaveLength(1);
    expect(DelegatedAdministrators?.[0]).toMatchObject({ Id: accountId, State: 'ACTIVE' });
    expect(DelegatedAdministrators?.[0]?.DelegationEnabledDate).toBeInstanceOf(Date);

    const admin = f.client(f.rootOf(accountId));
    const { Accounts } = await admin.send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(Accounts).toHaveLength(2);
    expect(await rejection(admin.send(new CreateOrganizationalUnitCommand({ ParentId: root(), Name: 'Nope' })))).toMatchObject({
      name: 'AccessDeniedException',
      message: "You don't have permissions to access this resource.",
    });

    await f.management.send(new DeregisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'sso.amazonaws.com' }));
    expect((await rejection(admin.send(new ListAccountsCommand({})))).name).toBe('AccessDeniedException');
    const notRegistered = await rejection(
      f.management.send(new DeregisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'sso.amazonaws.com' })),
    );
    expect(notRegistered.name).toBe('AccountNotRegisteredException');
    const management = f.world.organization!.managementAccountId;
    const self = await rejection(f.management.send(new RegisterDelegatedAdministratorCommand({ AccountId: management, ServicePrincipal: 'sso.amazonaws.com' })));
    expect(self.name).toBe('ConstraintViolationException');
  });

  it('denies the discovery role any change through its IAM policy', async () => {
    const discovery = f.client(await f.assume(f.generated.discoveryRoleArn));
    const error = await rejection(discovery.send(new CreateOrganizationalUnitCommand({ ParentId: root(), Name: 'Nope' })));
    expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });

  it.each([
    ['an OU name over 128 characters', (c: OrganizationsClient) => c.send(new CreateOrganizationalUnitCommand({ ParentId: 'r-abcd', Name: 'x'.repeat(129) }))],
    ['a malformed email', (c: OrganizationsClient) => c.send(new CreateAccountCommand({ Email: 'not-an-email', AccountName: 'a' }))],
    ['a malformed account id', (c: OrganizationsClient) => c.send(new MoveAccountCommand({ AccountId: '12', SourceParentId: 'r-abcd', DestinationParentId: 'r-abcd' }))],
  ])('answers InvalidInputException for %s', async (_label, command) => {
    expect((await rejection(command(f.management))).name).toBe('InvalidInputException');
  });
});
