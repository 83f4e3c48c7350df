/**
 * The sync operations as the API offers them, with access control: reading runs and the
 * tree needs sight of the integration; starting, approving and testing need the right to
 * manage it (the same plan rule as modifying it), since a sync may delete connections.
 */
import { checkIntegrationConnection, type ConnectionCheckResult } from '../../aws/integration-check.js';
import { ConflictError } from '../../core/errors.js';
import type { Integration, Org } from '../../store/database.js';
import { loadTenantAccess, type TenantAccess } from '../access-control.js';
import type { Actor, Db } from '../context.js';
import { assertMayManage, resolveIntegration } from '../integration-service.js';
import { getIntegrationTree, type IntegrationTree } from './integration-tree.js';
import { approveSyncRun, runIntegrationSync, type SyncDeps } from './sync-service.js';
import type { EnqueueSync, InProcessSyncRunner } from './sync-queue.js';
import { insertRun, listRuns, loadRun, newSyncRunId, syncRunView } from './sync-runs.js';
import type { SyncProgress, SyncRunResult, SyncRunView } from './sync-types.js';

/** A run older than this is a dead worker's (pg-boss expires a sync job after 15 minutes). */
const RUNNING_RUN_STALE_MS = 15 * 60 * 1000;

/**
 * A streamed sync runs in the API process, outside the job queue's one-job-per-integration
 * rule, so it first checks that no worker (in any process) is running this integration.
 */
async function assertNoRunningSync(deps: Pick<SyncDeps, 'db' | 'clock'>, integrationId: string): Promise<void> {
  const since = new Date(deps.clock().getTime() - RUNNING_RUN_STALE_MS);
  const running = await deps.db
    .selectFrom('sync_runs')
    .select('id')
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'running')
    .where('started_at', '>', since)
    .executeTakeFirst();
  if (running !== undefined) {
    throw new ConflictError('sync_in_progress', `Sync run ${running.id} of this integration is already running; wait for it to finish`, {
      details: { integrationId, runId: running.id },
    });
  }
}

export interface SyncApiDeps extends SyncDeps {
  enqueueSync: EnqueueSync;
  runner: Pick<InProcessSyncRunner, 'runNow'>;
}

export interface StartSyncInput {
  dryRun?: boolean;
  autoApprove?: boolean;
  /** Run now in this request and report progress (the streaming form). */
  wait?: boolean;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
}

async function orgOf(db: Db, orgId: string | null): Promise<Org | null> {
  if (orgId === null) return null;
  return db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}

/** Refuses (404/403) unless the actor may start a sync of the integration, and (409) while one runs; returns its id. */
export async function assertMayStartSync(deps: Pick<SyncDeps, 'db' | 'clock'>, actor: Actor, tenantId: string, ref: string): Promise<string> {
  const { integration } = await managedIntegration(deps, actor, tenantId, ref);
  await assertNoRunningSync(deps, integration.id);
  return integration.id;
}

async function managedIntegration(deps: Pick<SyncDeps, 'db'>, actor: Actor, tenantId: string, ref: string): Promise<{ access: TenantAccess; integration: Integration }> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const integration = await resolveIntegration(deps.db, access, ref);
  assertMayManage(access, await orgOf(deps.db, integration.org_id));
  return { access, integration };
}

/**
 * Starts a sync. Dry runs and `wait` run in this request; otherwise a queued run row is
 * created and handed to `enqueueSync`, and the queued run is returned (`result.plan` null).
 */
export async function startSync(deps: SyncApiDeps, actor: Actor, tenantId: string, ref: string, input: StartSyncInput): Promise<SyncRunResult & { queued: boolean }> {
  const { integration } = await managedIntegration(deps, actor, tenantId, ref);
  const common = { tenantId, integrationId: integration.id, trigger: 'manual' as const, autoApprove: input.autoApprove === true, actor };
  const hooks = { ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }), ...(input.signal === undefined ? {} : { signal: input.signal }) };
  if (input.dryRun === true) return { ...(await runIntegrationSync(deps, { ...common, dryRun: true, ...hooks })), queued: false };
  if (input.wait === true) {
    await assertNoRunningSync(deps, integration.id);
    return { ...(await deps.runner.runNow({ ...common, ...hooks })), queued: false };
  }
  const row = await insertRun(deps.db, {
    id: newSyncRunId(), tenantId, integrationId: integration.id, trigger: 'manual', status: 'queued', autoApprove: common.autoApprove, approvesRunId: null, now: deps.clock(),
  });
  try {
    await deps.enqueueSync({ ...common, runId: row.id });
  } catch (error) {
    // Nothing will ever pick this run up: do not leave it queued.
    await deps.db.deleteFrom('sync_runs').where('id', '=', row.id).execute();
    throw error;
  }
  return { run: syncRunView(row), plan: null, queued: true };
}

/** The integration's runs, newest first. */
export async function listSyncRuns(deps: Pick<SyncDeps, 'db'>, actor: Actor, tenantId: string, ref: string, limit?: number): Promise<SyncRunView[]> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const integration = await resolveIntegration(deps.db, access, ref);
  return listRuns(deps.db, integration.id, limit);
}

/** One run, if the actor can see its integration. */
export async function getSyncRun(deps: Pick<SyncDeps, 'db'>, actor: Actor, tenantId: string, runId: string): Promise<SyncRunView> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const run = await loadRun(deps.db, tenantId, runId);
  await resolveIntegration(deps.db, access, run.integration_id);
  return syncRunView(run);
}

/** Approves a run awaiting approval (manage right required); see approveSyncRun. */
export async function approveRun(
  deps: SyncDeps,
  actor: Actor,
  tenantId: string,
  runId: string,
  hooks: { onProgress?: (p: SyncProgress) => void } = {},
): Promise<SyncRunResult> {
  const run = await loadRun(deps.db, tenantId, runId);
  await managedIntegration(deps, actor, tenantId, run.integration_id);
  return approveSyncRun(deps, { tenantId, runId, actor, ...hooks });
}

/** The mirror as a tree, if the actor can see the integration. */
export async function getTree(deps: Pick<SyncDeps, 'db'>, actor: Actor, tenantId: string, ref: string): Promise<IntegrationTree> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  const integration = await resolveIntegration(deps.db, access, ref);
  return getIntegrationTree(deps.db, tenantId, integration.id);
}

/** "Test Connection": the platform principal, the discovery role, listing, a sample of member roles. */
export async function testIntegrationConnection(deps: SyncDeps, actor: Actor, tenantId: string, ref: string): Promise<ConnectionCheckResult> {
  const { integration } = await managedIntegration(deps, actor, tenantId, ref);
  if (integration.role_arn === null) {
    throw new ConflictError('discovery_role_arn_missing', `Integration '${integration.handle}' has no discovery role ARN yet: set discovery.roleArn after deploying the template`, {
      field: 'discovery.roleArn',
    });
  }
  return checkIntegrationConnection({
    factory: deps.aws.factory,
    integration: { handle: integration.handle, roleArn: integration.role_arn, roleName: integration.role_name, externalId: integration.external_id },
    platformCache: deps.aws.platformCache,
  });
}
