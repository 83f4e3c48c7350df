/**
 * Lost events repaired through the real job queue: the OU's creation and the account's
 * creation never reach orglink, only the account's later MoveAccount does. orglink cannot
 * place it, records it, and its requestFullSync queues a pg-boss sync job (trigger 'event')
 * that a worker runs: afterwards the mirror matches the sandbox world.
 */
import { CreateAccountCommand, CreateOrganizationalUnitCommand, DescribeCreateAccountStatusCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { recentOrganizationsEvents } from '../../packages/sandbox/src/events.js';
import { type JobRuntime, startJobRuntime } from '../../src/jobs/job-runtime.js';
import { syncRunnerFor } from '../../src/jobs/sync-worker.js';
import { runRow, storeDatabaseUrl } from '../jobs/fixtures/job-queries.js';
import { waitFor } from '../jobs/fixtures/wait-for.js';
import { testDatabases } from '../support/databases.js';
import { actualMirror, expectedMirror } from '../sync/sync-harness.js';
import { startEventWorld, type EventWorld } from './events-harness.js';

describe.each(testDatabases)('lost events and the queued reconcile ($name)', (tdb) => {
  let w: EventWorld | undefined;
  let runtime: JobRuntime | undefined;

  afterEach(async () => {
    await runtime?.close({ timeoutMs: 10_000 });
    await w?.close();
  });

  it('a MoveAccount into an OU orglink never heard of queues a sync that repairs the mirror', async () => {
    w = await startEventWorld(tdb, { sandbox: { seed: 23, accounts: 6, ous: 2 } });
    const world = w;
    expect((await world.sync()).run.status).toBe('succeeded');
    const databaseUrl = await storeDatabaseUrl(world.store);
    const started = await startJobRuntime({
      store: world.store,
      runSync: syncRunnerFor(world.deps),
      concurrency: 1,
      queue: { pollingIntervalSeconds: 0.5 },
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
    });
    runtime = started;
    world.onFullSync = async ({ tenantId, integrationId }) => {
      await started.enqueueSync({ tenantId, integrationId, trigger: 'event' });
    };

    world.deliver(false);
    const rootId = world.sandbox.world.organization?.rootId ?? '';
    const ou = await world.organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Lost' }));
    const created = await world.organizations.send(new CreateAccountCommand({ AccountName: 'Lost Account', Email: 'lost@example.com' }));
    const status = await world.organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id ?? '' }));
    const accountId = status.CreateAccountStatus?.AccountId ?? '';
    world.deliver(true);
    await world.organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: ou.OrganizationalUnit?.Id ?? '' }));
    await world.flush();
    expect(recentOrganizationsEvents(world.sandbox.world).at(-1)?.detail.eventName).toBe('MoveAccount');

    const events = await world.store.db.selectFrom('integration_events').select(['event_name', 'outcome']).where('integration_id', '=', world.integrationId).execute();
    expect(events.map((e) => [e.event_name, (e.outcome as { status: string; code: string }).code])).toEqual([['MoveAccount', 'account_not_in_mirror']]);

    const run = await waitFor(
      async () =>
        world.store.db.selectFrom('sync_runs').selectAll().where('integration_id', '=', world.integrationId).where('trigger', '=', 'event').executeTakeFirst(),
      { what: 'the queued event-triggered run' },
    );
    await waitFor(async () => (await runRow(world.store, run.id))?.status === 'succeeded', { what: 'the reconcile to succeed', timeoutMs: 60_000 });
    expect(await actualMirror(world.store, world.integrationId)).toEqual(expectedMirror(world.sandbox));
  });
});
