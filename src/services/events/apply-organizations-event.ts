/**
 * Applies one forwarded Organizations event to an integration's mirror, incrementally:
 *   interpret → (duplicate? stop) → ask Organizations about the one account or OU (outside any
 *   transaction) → one transaction: lock the integration as a sync does, plan with the full
 *   sync's planner, apply, audit the mirror change, record the event id.
 * An event that changes nothing writes only its idempotency record. When the mirror cannot take
 * the change without guessing (lost or reordered events), the event is recorded and a full
 * reconcile is requested instead; the periodic reconcile repairs whatever events never arrive.
 */
import { type Kysely, sql } from 'kysely';
import { awsErrorCode, awsErrorMessage } from '../../aws/aws-error-info.js';
import { interpretOrganizationsEvent, type EventEnvelope, type HandledEventName, type OrganizationsChange } from '../../core/events/organizations-event.js';
import { planEventChange, type EventTruth } from '../../core/events/plan-event-change.js';
import { evaluateDeleteGuard } from '../../core/mirror/delete-guard.js';
import type { MirrorOpType, MirrorPlan } from '../../core/mirror/mirror-plan.js';
import { mirrorSize } from '../../core/mirror/mirror-snapshot.js';
import { applyMirrorPlan } from '../sync/apply-mirror-plan.js';
import { planHealthUpdates, type HealthVerdict } from '../sync/health-changes.js';
import { readMirror, readTakenHandles } from '../sync/read-mirror.js';
import type { SyncAwsAccess } from '../sync/sync-aws-access.js';
import type { Database, Integration } from '../../store/database.js';
import type { Db } from '../context.js';
import { eventOrganizationsClient, probeOneAccount, readEventTruth, type EventIntegration } from './event-aws-reads.js';

/** Asks for a full reconcile of an integration (the jobs layer queues a sync with trigger 'event'). */
export type RequestFullSync = (request: { tenantId: string; integrationId: string; reason: string }) => Promise<void>;

export interface EventApplyDeps {
  db: Kysely<Database>;
  clock: () => Date;
  aws: SyncAwsAccess;
  /** The same guard as full syncs: an event whose removal it stops goes to a full reconcile. */
  guard: { maxShare: number; maxCount: number };
  requestFullSync: RequestFullSync;
}

export type EventOutcome =
  | { status: 'applied'; eventId: string; eventName: HandledEventName; counts: Partial<Record<MirrorOpType, number>>; healthUpdated: number }
  | { status: 'unchanged'; eventId: string; eventName: HandledEventName }
  | { status: 'duplicate'; eventId: string; eventName: string | null }
  | { status: 'ignored'; eventId: string; eventName: string | null; reason: string }
  | { status: 'reconcile'; eventId: string; eventName: HandledEventName; code: string; reason: string };

interface Pending {
  integration: Integration;
  eventId: string;
  eventName: HandledEventName;
  change: OrganizationsChange;
  truth: EventTruth | null;
  /** The account's member-role health now, as a sync would probe it (none for OU events). */
  health: Map<string, HealthVerdict>;
  failure: { code: string; reason: string } | null;
}

function nonZeroCounts(plan: MirrorPlan): Partial<Record<MirrorOpType, number>> {
  return Object.fromEntries(Object.entries(plan.counts).filter(([, n]) => n > 0));
}

async function alreadyReceived(db: Db, integrationId: string, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('integration_events').select('id').where('integration_id', '=', integrationId).where('event_id', '=', eventId).executeTakeFirst();
  return row !== undefined;
}

/** Records the event id (and what became of it); false when another delivery recorded it first. */
async function recordEvent(trx: Db, pending: Pending, outcome: EventOutcome, now: Date): Promise<boolean> {
  const inserted = await trx
    .insertInto('integration_events')
    .values({
      tenant_id: pending.integration.tenant_id,
      integration_id: pending.integration.id,
      event_id: pending.eventId,
      event_name: pending.eventName,
      received_at: now,
      processed_at: now,
      outcome: JSON.stringify(outcome),
    })
    .onConflict((oc) => oc.columns(['integration_id', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The AWS half: current truth and, for an account still in the organization, its member role's health. */
async function readAws(deps: EventApplyDeps, pending: Pending): Promise<void> {
  const integration = pending.integration;
  if (integration.role_arn === null) {
    pending.failure = { code: 'discovery_role_arn_missing', reason: 'The integration has no discovery role ARN yet.' };
    return;
  }
  const withRole: EventIntegration = { ...integration, role_arn: integration.role_arn };
  try {
    pending.truth = await readEventTruth(eventOrganizationsClient(deps.aws, withRole), pending.change);
    const account = pending.truth.kind === 'account' ? pending.truth.account : null;
    // Probed like a sync probes (no call unless ACTIVE), so the next sync finds the same health and writes nothing.
    if (account !== null) pending.health.set(account.id, await probeOneAccount(deps.aws, withRole, account));
  } catch (error) {
    pending.failure = { code: 'event_read_failed', reason: `Reading the event's subject from Organizations failed: ${awsErrorCode(error)}: ${awsErrorMessage(error)}` };
  }
}

/** Plans and applies in one transaction; returns the outcome (duplicate when another delivery won). */
async function applyInTransaction(deps: EventApplyDeps, db: Kysely<Database>, pending: Pending): Promise<EventOutcome> {
  const { integration, eventId, eventName } = pending;
  const now = deps.clock();
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${integration.id}))`.execute(trx);
    if (await alreadyReceived(trx, integration.id, eventId)) return { status: 'duplicate', eventId, eventName };
    const reconcile = async (code: string, reason: string): Promise<EventOutcome> => {
      const outcome: EventOutcome = { status: 'reconcile', eventId, eventName, code, reason };
      await recordEvent(trx, pending, outcome, now);
      return outcome;
    };
    if (pending.failure !== null || pending.truth === null) return reconcile(pending.failure?.code ?? 'event_read_failed', pending.failure?.reason ?? 'No answer from Organizations.');
    const current = await trx.selectFrom('integrations').selectAll().where('id', '=', integration.id).executeTakeFirstOrThrow();
    const mirror = await readMirror(trx, integration.id);
    if (mirrorSize(mirror.snapshot) > 0 && (current.mirror_handle_prefix ?? '') !== (current.handle_prefix ?? '')) {
      return reconcile('handle_prefix_changed', 'The handle prefix changed since the last sync: a full sync re-derives the handles.');
    }
    const verdict = planEventChange(mirror.snapshot, pending.change, pending.truth, {
      handlePrefix: current.handle_prefix,
      takenHandles: await readTakenHandles(trx, current.tenant_id, current.id),
    });
    if (verdict.kind === 'reconcile') return reconcile(verdict.code, verdict.reason);
    const plan = verdict.plan;
    const removed = new Set(plan.ops.flatMap((op) => (op.op === 'remove-connection' ? [op.connectionId] : [])));
    const healthUpdates = planHealthUpdates(mirror.health, pending.health, removed);
    if (plan.ops.length === 0 && healthUpdates.length === 0) {
      const outcome: EventOutcome = { status: 'unchanged', eventId, eventName };
      await recordEvent(trx, pending, outcome, now);
      return outcome;
    }
    const guard = evaluateDeleteGuard(plan, mirrorSize(mirror.snapshot), deps.guard);
    if (guard.needsApproval) return reconcile(guard.code ?? 'delete_guard', `${guard.reason} A full sync asks for that approval.`);
    await applyMirrorPlan(trx, { integration: current, snapshot: mirror.snapshot, plan, healthUpdates, newHealth: pending.health, now });
    const outcome: EventOutcome = { status: 'applied', eventId, eventName, counts: nonZeroCounts(plan), healthUpdated: healthUpdates.length };
    await trx
      .insertInto('audit_log')
      .values({
        tenant_id: current.tenant_id,
        actor_user_id: null,
        actor_token_id: null,
        action: 'integration.event',
        target_kind: 'integration',
        target_id: current.id,
        before: null,
        after: JSON.stringify({ eventId, eventName, ops: plan.ops, health: healthUpdates }),
        request_id: null,
        at: now,
      })
      .execute();
    await recordEvent(trx, pending, outcome, now);
    return outcome;
  });
}

/**
 * Applies one event to the integration's mirror. Never throws for what the event says: a change
 * it cannot place asks for a full reconcile (after the transaction commits) and says so.
 */
export async function applyOrganizationsEvent(
  deps: EventApplyDeps,
  request: { tenantId: string; integrationId: string; envelope: EventEnvelope },
): Promise<EventOutcome> {
  const eventId = request.envelope.id;
  const meaning = interpretOrganizationsEvent(request.envelope);
  if (meaning.kind === 'ignored') return { status: 'ignored', eventId, eventName: meaning.eventName, reason: meaning.reason };
  const db = deps.db;
  const previous = await db.selectFrom('integration_events').select('outcome').where('integration_id', '=', request.integrationId).where('event_id', '=', eventId).executeTakeFirst();
  if (previous !== undefined) {
    // A redelivery after a failed reconcile request (the first answer was an error) asks again; the queue joins a waiting job.
    const earlier = previous.outcome as { status?: string; reason?: string } | null;
    if (earlier?.status === 'reconcile') {
      await deps.requestFullSync({ tenantId: request.tenantId, integrationId: request.integrationId, reason: `${meaning.eventName} (redelivered): ${earlier.reason ?? ''}` });
    }
    return { status: 'duplicate', eventId, eventName: meaning.eventName };
  }
  const integration = await db.selectFrom('integrations').selectAll().where('tenant_id', '=', request.tenantId).where('id', '=', request.integrationId).executeTakeFirstOrThrow();
  const pending: Pending = { integration, eventId, eventName: meaning.eventName, change: meaning.change, truth: null, health: new Map(), failure: null };
  await readAws(deps, pending);
  const outcome = await applyInTransaction(deps, db, pending);
  if (outcome.status === 'reconcile') {
    await deps.requestFullSync({ tenantId: integration.tenant_id, integrationId: integration.id, reason: `${outcome.eventName}: ${outcome.reason}` });
  }
  return outcome;
}
