/**
 * Event-driven updates end to end: changes made with the real Organizations SDK client in the
 * sandbox, the sandbox POSTing each CloudTrail-shaped event to orglink's API on a real port
 * with the integration's event key, and after each one the mirror matching the sandbox world.
 * Also: a redelivered event is applied once, and an event that arrives before the one it
 * depends on asks for a full reconcile, after which the mirror is right.
 * The time from the API call to the mirror change is logged (not asserted).
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  DeleteOrganizationalUnitCommand,
  DescribeCreateAccountStatusCommand,
  MoveAccountCommand,
  RemoveAccountFromOrganizationCommand,
  UpdateOrganizationalUnitCommand,
} from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDeliveryStats } from '../../packages/sandbox/src/events-delivery.js';
import { recentOrganizationsEvents, type SandboxEvent } from '../../packages/sandbox/src/events.js';
import { inviteAccount } from '../../packages/sandbox/src/organization-state-admin.js';
import { setOrganizationsSettings } from '../../packages/sandbox/src/organization-state-extras.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, databaseFingerprint, expectedMirror } from '../sync/sync-harness.js';
import { startEventWorld, type EventWorld } from './events-harness.js';

describe.each(testDatabases)('events end to end ($name)', (tdb) => {
  let w: EventWorld;
  const timings: Array<[string, number]> = [];
  let ouId = '';
  let createdAccountId = '';
  let closedAccountId = '';

  beforeAll(async () => {
    w = await startEventWorld(tdb, { sandbox: { accounts: 12, ous: 4, depth: 2, seed: 11 }, handlePrefix: 'acme-' });
    // A closing account stays PENDING_CLOSURE until the last test lets it become CLOSED.
    setOrganizationsSettings(w.sandbox.world, { closureDelayMs: 3_600_000 });
    const first = await w.sync();
    expect(first.run.status).toBe('succeeded');
  });
  afterAll(async () => {
    console.log(`[events ${tdb.name}] API call → mirror changed (ms): ${timings.map(([label, ms]) => `${label} ${ms.toFixed(1)}`).join(', ')}`);
    await w.close();
  });

  const org = () => {
    const o = w.sandbox.world.organization;
    if (o === null) throw new Error('no organization');
    return o;
  };

  /** Outcomes recorded for the integration's events, oldest first: "EventName:status". */
  async function outcomes(): Promise<string[]> {
    const rows = await w.store.db.selectFrom('integration_events').select(['event_name', 'outcome']).where('integration_id', '=', w.integrationId).orderBy('id').execute();
    return rows.map((r) => `${r.event_name}:${(r.outcome as { status: string }).status}`);
  }

  /** Makes a change through the SDK, waits for orglink to answer its events, checks the mirror; returns the new outcomes. */
  async function change(label: string, action: () => Promise<unknown>): Promise<string[]> {
    const before = (await outcomes()).length;
    const started = performance.now();
    await action();
    await w.flush();
    timings.push([label, performance.now() - started]);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    expect(eventDeliveryStats(w.sandbox.world).failed).toBe(0);
    return (await outcomes()).slice(before);
  }

  it('CreateOrganizationalUnit adds a folder', async () => {
    const added = await change('CreateOrganizationalUnit', async () => {
      const created = await w.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: org().rootId, Name: 'Event Driven' }));
      ouId = created.OrganizationalUnit?.Id ?? '';
    });
    expect(added).toEqual(['CreateOrganizationalUnit:applied']);
    const folder = await w.store.db.selectFrom('folders').selectAll().where('aws_id', '=', ouId).executeTakeFirstOrThrow();
    expect(folder.handle).toBe('acme-event_driven');
  });

  it('UpdateOrganizationalUnit renames it, keeping the handle', async () => {
    const renamed = await change('UpdateOrganizationalUnit', () => w.organizations.send(new UpdateOrganizationalUnitCommand({ OrganizationalUnitId: ouId, Name: 'Events' })));
    expect(renamed).toEqual(['UpdateOrganizationalUnit:applied']);
    const folder = await w.store.db.selectFrom('folders').selectAll().where('aws_id', '=', ouId).executeTakeFirstOrThrow();
    expect([folder.title, folder.handle]).toEqual(['Events', 'acme-event_driven']);
  });

  it('CreateAccountResult adds a connection (CreateAccount itself is ignored) and probes its member role', async () => {
    const added = await change('CreateAccount', async () => {
      const created = await w.organizations.send(new CreateAccountCommand({ AccountName: 'Fresh Account', Email: 'fresh@example.com' }));
      const status = await w.organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id ?? '' }));
      createdAccountId = status.CreateAccountStatus?.AccountId ?? '';
    });
    expect(added).toEqual(['CreateAccountResult:applied']);
    const connection = await w.store.db.selectFrom('connections').selectAll().where('aws_account_id', '=', createdAccountId).executeTakeFirstOrThrow();
    expect(connection.handle).toBe('acme-fresh_account');
    expect(connection.health).not.toBe('unknown');
    expect(connection.health_checked_at).not.toBeNull();
  });

  it('MoveAccount moves it', async () => {
    const moved = await change('MoveAccount', () =>
      w.organizations.send(new MoveAccountCommand({ AccountId: createdAccountId, SourceParentId: org().rootId, DestinationParentId: ouId })),
    );
    expect(moved).toEqual(['MoveAccount:applied']);
  });

  it('an accepted invitation (AcceptHandshake, AccountJoinedOrganization) adds the account once', async () => {
    // Invitations have no single SDK call that completes them; the sandbox accepts at once and emits the events AWS sends.
    const joined = await change('InviteAccount', async () => {
      inviteAccount(w.sandbox.world, { name: 'Invited Account', email: 'invited@example.com', parentId: ouId });
    });
    expect(joined).toEqual(['AcceptHandshake:applied', 'AccountJoinedOrganization:unchanged']);
  });

  it('CloseAccount disables the connection (PENDING_CLOSURE)', async () => {
    const members = [...org().childAccounts.values()].flat().filter((id) => id !== w.sandbox.managementAccountId && id !== createdAccountId);
    const member = members.map((id) => w.sandbox.world.accounts.get(id)).find((a) => a?.state === 'ACTIVE');
    if (member === undefined) throw new Error('no active member account');
    closedAccountId = member.id;
    const closed = await change('CloseAccount', () => w.organizations.send(new CloseAccountCommand({ AccountId: member.id })));
    expect(closed).toEqual(['CloseAccount:applied']);
    const connection = await w.store.db.selectFrom('connections').selectAll().where('aws_account_id', '=', member.id).executeTakeFirstOrThrow();
    expect([connection.state, connection.aws_state, connection.health]).toEqual(['disabled', 'PENDING_CLOSURE', 'unknown']);
    expect(connection.health_reason).toContain('PENDING_CLOSURE');
  });

  it('RemoveAccountFromOrganization deletes the connection', async () => {
    const invited = [...w.sandbox.world.accounts.values()].find((a) => a.name === 'Invited Account');
    if (invited === undefined) throw new Error('no invited account');
    const removed = await change('RemoveAccountFromOrganization', () => w.organizations.send(new RemoveAccountFromOrganizationCommand({ AccountId: invited.id })));
    expect(removed).toEqual(['RemoveAccountFromOrganization:applied']);
    expect(await w.store.db.selectFrom('connections').select('id').where('aws_account_id', '=', invited.id).executeTakeFirst()).toBeUndefined();
  });

  it('DeleteOrganizationalUnit removes the emptied folder', async () => {
    await change('MoveAccount', () => w.organizations.send(new MoveAccountCommand({ AccountId: createdAccountId, SourceParentId: ouId, DestinationParentId: org().rootId })));
    const deleted = await change('DeleteOrganizationalUnit', () => w.organizations.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ouId })));
    expect(deleted).toEqual(['DeleteOrganizationalUnit:applied']);
  });

  it('audits each mirror change once, and nothing else', async () => {
    const applied = (await outcomes()).filter((o) => o.endsWith(':applied')).length;
    const audit = await w.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'integration.event').execute();
    expect(audit).toHaveLength(applied);
    expect(audit.every((entry) => entry.actor_user_id === null && entry.target_id === w.integrationId)).toBe(true);
  });

  it('applies a redelivered event once: the duplicate writes nothing', async () => {
    const event = [...recentOrganizationsEvents(w.sandbox.world)].reverse().find((e) => e.detail.eventName === 'CreateOrganizationalUnit');
    if (event === undefined) throw new Error('no event');
    const before = await databaseFingerprint(w.store);
    const outcomesBefore = await outcomes();
    const reply = await w.post(event);
    expect(reply).toEqual({ status: 200, body: { status: 'duplicate', eventId: event.id, eventName: 'CreateOrganizationalUnit' } });
    expect(await databaseFingerprint(w.store)).toEqual(before);
    expect(await outcomes()).toEqual(outcomesBefore);
  });

  it('applies an event delivered twice at once exactly once', async () => {
    w.deliver(false);
    await w.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: org().rootId, Name: 'Twice' }));
    w.deliver(true);
    const event = [...recentOrganizationsEvents(w.sandbox.world)].reverse().find((e) => e.detail.eventName === 'CreateOrganizationalUnit');
    if (event === undefined) throw new Error('no event');
    const replies = await Promise.all([w.post(event), w.post(event)]);
    expect(replies.map((r) => r.body.status).sort()).toEqual(['applied', 'duplicate']);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    const audit = await w.store.db.selectFrom('audit_log').select('after').where('action', '=', 'integration.event').execute();
    expect(audit.filter((entry) => (entry.after as { eventId: string }).eventId === event.id)).toHaveLength(1);
  });

  it('a MoveAccount that arrives before its CreateAccountResult asks for a full reconcile, after which the mirror is right', async () => {
    w.deliver(false);
    const target = [...org().ous.values()][0];
    if (target === undefined) throw new Error('no OU');
    const created = await w.organizations.send(new CreateAccountCommand({ AccountName: 'Reordered', Email: 'reordered@example.com' }));
    const status = await w.organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id ?? '' }));
    const accountId = status.CreateAccountStatus?.AccountId ?? '';
    await w.organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: org().rootId, DestinationParentId: target.id }));
    w.deliver(true);
    const events = recentOrganizationsEvents(w.sandbox.world);
    const find = (predicate: (e: SandboxEvent) => boolean): SandboxEvent => {
      const found = [...events].reverse().find(predicate);
      if (found === undefined) throw new Error('event not found');
      return found;
    };
    const move = find((e) => e.detail.eventName === 'MoveAccount' && e.detail.requestParameters?.accountId === accountId);
    const result = find((e) => e.detail.eventName === 'CreateAccountResult' && (e.detail.serviceEventDetails?.createAccountStatus as { accountId?: string }).accountId === accountId);

    const early = await w.post(move);
    expect(early.status).toBe(202);
    expect(early.body).toMatchObject({ status: 'reconcile', code: 'account_not_in_mirror' });
    expect(w.fullSyncRequests.map((r) => r.integrationId)).toEqual([w.integrationId]);
    expect(await w.store.db.selectFrom('connections').select('id').where('aws_account_id', '=', accountId).executeTakeFirst()).toBeUndefined();

    const again = await w.post(move);
    expect(again.body).toMatchObject({ status: 'duplicate' });
    // A copy of an event that asked for a reconcile asks again (the first request may have failed).
    expect(w.fullSyncRequests).toHaveLength(2);

    const reconciled = await w.sync({ trigger: 'event' });
    expect(reconciled.run.status).toBe('succeeded');
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));

    const late = await w.post(result);
    expect(late).toMatchObject({ status: 200, body: { status: 'unchanged', eventName: 'CreateAccountResult' } });
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
  });

  it('leaves a mirror a full sync agrees with: the next sync has nothing to write', async () => {
    const result = await w.sync();
    expect(result.run.status).toBe('succeeded');
    expect(result.plan?.ops).toEqual([]);
    expect(result.run.summary?.health.updated).toBe(0);
    expect(result.run.summary?.applied).toBe(false);
  });

  it('an account turning CLOSED sends no event (as in AWS): the periodic full sync removes it', async () => {
    setOrganizationsSettings(w.sandbox.world, { closureDelayMs: 0 });
    const result = await w.sync({ trigger: 'schedule' });
    expect(result.plan?.ops.map((op) => op.op)).toEqual(['remove-connection']);
    expect(await actualMirror(w.store, w.integrationId)).toEqual(expectedMirror(w.sandbox));
    expect(await w.store.db.selectFrom('connections').select('id').where('aws_account_id', '=', closedAccountId).executeTakeFirst()).toBeUndefined();
  });
});
