/**
 * Routes that run and follow syncs: start one (queued, or streamed as NDJSON progress
 * with `wait`), list and show runs, approve a run held by the delete guard, and "Test
 * Connection". AWS access and the enqueue function come in through SyncRouteOptions.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { toHttpError } from '../error-mapping.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { errorResponses, errorSchema, isoDate, listOf, tenantRefParams } from '../schemas/common.js';
import {
  approveRun,
  assertMayStartSync,
  getSyncRun,
  listSyncRuns,
  startSync,
  testIntegrationConnection,
  type SyncApiDeps,
} from '../../services/sync/sync-access.js';
import { DEFAULT_DELETE_GUARD } from '../../core/mirror/delete-guard.js';
import { createSyncAwsAccess, type SyncAwsAccess } from '../../services/sync/sync-aws-access.js';
import { createInProcessSyncRunner, type EnqueueSync, type InProcessSyncRunner } from '../../services/sync/sync-queue.js';
import type { SyncRunResult } from '../../services/sync/sync-types.js';

export interface SyncRouteOptions {
  aws: SyncAwsAccess;
  guard: { maxShare: number; maxCount: number };
  /** Where queued syncs go; default: an in-process runner (the job queue replaces it). */
  enqueueSync?: EnqueueSync;
}

/** Options from the platform's default credential chain and the configured guard (`sync.deleteGuard*`, `aws.region`). */
export function syncRouteOptionsFromConfig(config: { region?: string; deleteGuardShare?: number; deleteGuardMax?: number } = {}): SyncRouteOptions {
  return {
    aws: createSyncAwsAccess({ region: config.region ?? 'us-east-1' }),
    guard: { maxShare: config.deleteGuardShare ?? DEFAULT_DELETE_GUARD.maxShare, maxCount: config.deleteGuardMax ?? DEFAULT_DELETE_GUARD.maxCount },
  };
}

const tags = ['sync'];
const upstream = { 502: errorSchema };

const counts = z.record(z.string(), z.number().int());
const summarySchema = z.object({
  complete: z.boolean(),
  discovered: z.object({ organizationId: z.string(), roots: z.number().int(), ous: z.number().int(), accounts: z.number().int() }),
  counts,
  removals: z.number().int(),
  withheldRemovals: z.number().int(),
  failures: z.array(z.object({ parentId: z.string().nullable(), listing: z.string(), code: z.string(), message: z.string(), denied: z.boolean() })),
  health: z.object({ counts, updated: z.number().int() }),
  guard: z.object({ needsApproval: z.boolean(), code: z.string().nullable(), reason: z.string(), removals: z.number().int(), currentSize: z.number().int(), share: z.number() }),
  mirrorSizeBefore: z.number().int(),
  applied: z.boolean(),
  permissions: z.object({ added: z.number().int(), removed: z.number().int() }),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), accountIds: z.array(z.string()).optional() })),
});
const progressSchema = z.object({
  runId: z.string(),
  phase: z.enum(['assume', 'walk', 'probe', 'plan', 'apply']),
  message: z.string(),
  walk: z.object({ listingsDone: z.number(), listingsQueued: z.number(), ous: z.number(), accounts: z.number() }).optional(),
  probe: z.object({ done: z.number(), total: z.number() }).optional(),
});
export const syncRunSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    integrationId: z.string(),
    trigger: z.enum(['manual', 'schedule', 'event', 'create', 'approval']),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'awaiting_approval', 'superseded']),
    dryRun: z.boolean(),
    autoApprove: z.boolean(),
    approvesRunId: z.string().nullable(),
    summary: summarySchema.nullable(),
    progress: progressSchema.nullable(),
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
  })
  .describe('SyncRun');
const planSchema = z.object({
  ops: z.array(z.looseObject({ op: z.string() })),
  complete: z.boolean(),
  withheldRemovals: z.array(z.object({ target: z.string(), id: z.string(), awsId: z.string(), handle: z.string() })),
  counts,
});
const syncResultSchema = z.object({ run: syncRunSchema, plan: planSchema.nullable().describe('The plan: dry runs only') });
const syncBody = z.strictObject({
  dryRun: z.boolean().optional().describe('Plan only: return the plan, write nothing (no run row either)'),
  autoApprove: z.boolean().optional().describe('Apply even when the delete guard would wait for approval'),
  wait: z.boolean().optional().describe('Run in this request and stream NDJSON progress, then a result line'),
});
/** Approve and test take no input; an empty JSON object (or no body) is accepted. */
const emptyBody = z.strictObject({}).nullish();
const runParams = z.strictObject({ tenantId: z.string().min(1).max(64), runId: z.string().min(1).max(64) });
const runsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional() });
const checkSchema = z.object({
  ok: z.boolean(),
  steps: z.array(
    z.object({
      step: z.enum(['platform_principal', 'discovery_role', 'list_organization', 'member_roles']),
      status: z.enum(['ok', 'warning', 'failed', 'skipped']),
      detail: z.string(),
      code: z.string().optional(),
      remedy: z.string().optional(),
      templates: z.array(z.string()).optional(),
    }),
  ),
});

/** The result as the API gives it: the plan only for dry runs (an applied plan can hold thousands of ops). */
function resultBody(result: SyncRunResult): z.input<typeof syncResultSchema> {
  const plan = result.run.dryRun ? result.plan : null;
  return { run: result.run, plan: plan === null ? null : { ...plan, ops: plan.ops.map((op) => ({ ...op })) } };
}

/**
 * Streams NDJSON: one JSON value per line on the raw response (Fastify hands it over with
 * hijack), ended when `work` settles; an error after the first byte becomes an `error` line.
 */
async function streamNdjson(reply: FastifyReply, work: (line: (value: unknown) => void) => Promise<void>): Promise<void> {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-cache' });
  const line = (value: unknown): void => {
    if (!reply.raw.writableEnded) reply.raw.write(JSON.stringify(value) + '\n');
  };
  try {
    await work(line);
  } catch (error) {
    line({ type: 'error', error: toHttpError(error).body });
  } finally {
    reply.raw.end();
  }
}

/** Registers the sync routes; returns the in-process runner (drained when the app closes). */
export function registerSyncRoutes(app: ApiInstance, { deps }: RouteContext, options: SyncRouteOptions): InProcessSyncRunner {
  const syncDeps = { ...deps, aws: options.aws, guard: options.guard };
  const runner = createInProcessSyncRunner(syncDeps, (error) => app.log.error({ err: error }, 'background sync failed'));
  const apiDeps: SyncApiDeps = { ...syncDeps, runner, enqueueSync: options.enqueueSync ?? runner.enqueue };
  app.addHook('onClose', () => runner.drain());

  app.post('/v1/tenants/:tenantId/integrations/:ref/sync', {
    schema: {
      operationId: 'syncIntegration', tags,
      summary: 'Sync now: 202 with the queued run; dryRun gives the plan (200); wait (or Accept: application/x-ndjson) streams progress lines, then {type:"result"}',
      params: tenantRefParams, body: syncBody, response: { 200: syncResultSchema, 202: syncResultSchema, ...errorResponses, ...upstream },
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const { tenantId, ref } = request.params;
    const stream = request.body.wait === true || (request.headers.accept ?? '').includes('application/x-ndjson');
    if (!stream) {
      const result = await startSync(apiDeps, actor, tenantId, ref, { ...request.body, wait: false });
      return reply.status(result.queued ? 202 : 200).send(resultBody(result));
    }
    await assertMayStartSync(apiDeps, actor, tenantId, ref);
    const abort = new AbortController();
    // The response closing before its end means the client went away: stop between phases.
    reply.raw.on('close', () => {
      if (!reply.raw.writableEnded) abort.abort();
    });
    await streamNdjson(reply, async (line) => {
      const result = await startSync(apiDeps, actor, tenantId, ref, {
        ...request.body, wait: true, signal: abort.signal, onProgress: (progress) => line({ type: 'progress', ...progress }),
      });
      line({ type: 'result', ...resultBody(result) });
    });
    return reply;
  });

  app.get('/v1/tenants/:tenantId/integrations/:ref/sync-runs', {
    schema: { operationId: 'listSyncRuns', tags, summary: "The integration's sync runs, newest first", params: tenantRefParams, querystring: runsQuery, response: { 200: listOf(syncRunSchema), ...errorResponses } },
  }, async (request) => ({ items: await listSyncRuns(apiDeps, actorOf(request), request.params.tenantId, request.params.ref, request.query.limit) }));

  app.get('/v1/tenants/:tenantId/sync-runs/:runId', {
    schema: { operationId: 'getSyncRun', tags, summary: 'One sync run (poll it to follow a queued sync)', params: runParams, response: { 200: syncRunSchema, ...errorResponses } },
  }, (request) => getSyncRun(apiDeps, actorOf(request), request.params.tenantId, request.params.runId));

  app.post('/v1/tenants/:tenantId/sync-runs/:runId/approve', {
    schema: {
      operationId: 'approveSyncRun', tags,
      summary: 'Approve a run held by the delete guard: discovers again and applies when the removals are the approved ones, else a new run awaits approval',
      params: runParams, body: emptyBody, response: { 200: syncResultSchema, ...errorResponses, ...upstream },
    },
  }, async (request) => resultBody(await approveRun(syncDeps, actorOf(request), request.params.tenantId, request.params.runId)));

  app.post('/v1/tenants/:tenantId/integrations/:ref/test', {
    schema: {
      operationId: 'testIntegration', tags,
      summary: 'Test Connection: the platform principal, the discovery role, listing the organization, a sample of member roles; each failed step names its remedy and template',
      params: tenantRefParams, body: emptyBody, response: { 200: checkSchema, ...errorResponses },
    },
  }, (request) => testIntegrationConnection(syncDeps, actorOf(request), request.params.tenantId, request.params.ref));

  return runner;
}
