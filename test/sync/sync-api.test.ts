/** The sync, tree, test and custom-handle routes through app.inject, against a sandbox organization. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeAccountFromOrganization } from '../../packages/sandbox/src/organization-state.js';
import { insertRun, newSyncRunId } from '../../src/services/sync/sync-runs.js';
import { testDatabases } from '../support/databases.js';
import { ndjsonLines, startSyncApiHarness, type SyncApiHarness } from './sync-api-harness.js';

describe.each(testDatabases)('sync API ($name)', (tdb) => {
  let h: SyncApiHarness;
  let base: string;

  beforeAll(async () => {
    h = await startSyncApiHarness(tdb, { accounts: 10, ous: 2, seed: 41 });
    base = `/v1/tenants/${h.tenantId}/integrations/${h.integrationHandle}`;
  });
  afterAll(async () => {
    await h.close();
  });

  it('tests the connection step by step', async () => {
    const reply = await h.call('POST', `${base}/test`, { token: h.ownerToken });
    expect(reply.status).toBe(200);
    expect(reply.body.ok).toBe(true);
    expect(reply.body.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'platform_principal:ok', 'discovery_role:ok', 'list_organization:ok', 'member_roles:ok',
    ]);
  });

  it('a dry run answers with the plan and records no run', async () => {
    const reply = await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: { dryRun: true } });
    expect(reply.status).toBe(200);
    expect(reply.body.run).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(reply.body.plan.counts['add-connection']).toBe(10);
    const runs = await h.call('GET', `${base}/sync-runs`, { token: h.ownerToken });
    expect(runs.body.items).toEqual([]);
  });

  it('queues a sync (202), which a poll then shows succeeded', async () => {
    const reply = await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: {} });
    expect(reply.status).toBe(202);
    expect(reply.body.run.status).toBe('queued');
    expect(reply.body.plan).toBeNull();
    await h.runner.drain();
    const run = await h.call('GET', `/v1/tenants/${h.tenantId}/sync-runs/${reply.body.run.id}`, { token: h.ownerToken });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'succeeded', trigger: 'manual', summary: { applied: true, complete: true } });
  });

  it('serves the tree with health counts on folders', async () => {
    const reply = await h.call('GET', `${base}/tree`, { token: h.ownerToken });
    expect(reply.status).toBe(200);
    const nodes = reply.body.nodes as Array<Record<string, unknown>>;
    expect(nodes[0]).toMatchObject({ kind: 'folder', depth: 0, parentId: null, awsId: h.sandbox.generated.rootId, state: null, health: null });
    expect(nodes[0]?.counts).toEqual({ ok: 10, blocked: 0, error: 0, unknown: 0 });
    expect(nodes.filter((n) => n.kind === 'connection')).toHaveLength(10);
    expect(nodes.filter((n) => n.kind === 'folder')).toHaveLength(3);
    for (const node of nodes) expect(Object.keys(node)).toEqual(expect.arrayContaining(['kind', 'id', 'awsId', 'parentId', 'handle', 'title', 'state', 'health']));
  });

  it('streams NDJSON progress then the result with wait', async () => {
    const reply = await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: { wait: true } });
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toContain('application/x-ndjson');
    const lines = ndjsonLines(reply.text);
    const last = lines.at(-1);
    expect(last).toMatchObject({ type: 'result', run: { status: 'succeeded', summary: { applied: false } } });
    const phases = [...new Set(lines.filter((l) => l.type === 'progress').map((l) => l.phase))];
    expect(phases).toEqual(['assume', 'walk', 'probe', 'plan', 'apply']);
    expect(lines.some((l) => l.type === 'progress' && l.walk !== undefined)).toBe(true);
  });

  it('refuses a streamed sync while another process runs one (409 sync_in_progress)', async () => {
    const integration = await h.store.db.selectFrom('integrations').select('id').where('handle', '=', h.integrationHandle).executeTakeFirstOrThrow();
    const runId = newSyncRunId();
    await insertRun(h.store.db, {
      id: runId, tenantId: h.tenantId, integrationId: integration.id, trigger: 'schedule', status: 'running', autoApprove: false, approvesRunId: null, now: new Date(),
    });
    try {
      const reply = await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: { wait: true } });
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ code: 'sync_in_progress', details: { runId } });
    } finally {
      await h.store.db.deleteFrom('sync_runs').where('id', '=', runId).execute();
    }
  });

  it('streams when asked through the Accept header too', async () => {
    const reply = await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: {}, headers: { accept: 'application/x-ndjson' } });
    expect(ndjsonLines(reply.text).at(-1)?.type).toBe('result');
  });

  it('holds a large deletion for approval, then applies it on approve', async () => {
    const org = h.sandbox.world.organization;
    const members = [...(org?.childAccounts.values() ?? [])].flat().filter((id) => id !== h.sandbox.managementAccountId);
    for (const id of members.slice(0, 4)) removeAccountFromOrganization(h.sandbox.world, id);
    const held = ndjsonLines((await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: { wait: true } })).text).at(-1) as { run: { id: string; status: string } };
    expect(held.run.status).toBe('awaiting_approval');
    const approved = await h.call('POST', `/v1/tenants/${h.tenantId}/sync-runs/${held.run.id}/approve`, { token: h.ownerToken });
    expect(approved.status).toBe(200);
    expect(approved.body.run).toMatchObject({ status: 'succeeded', trigger: 'approval', approvesRunId: held.run.id });
    const again = await h.call('POST', `/v1/tenants/${h.tenantId}/sync-runs/${held.run.id}/approve`, { token: h.ownerToken });
    expect([again.status, again.body.code]).toEqual([409, 'sync_run_not_awaiting_approval']);
    const runs = await h.call('GET', `${base}/sync-runs?limit=2`, { token: h.ownerToken });
    expect(runs.body.items.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'superseded']);
  });

  it('sets custom handles on a folder and a discovered connection', async () => {
    const nodes = (await h.call('GET', `${base}/tree`, { token: h.ownerToken })).body.nodes as Array<{ kind: string; id: string; handle: string }>;
    const folder = nodes.find((n) => n.kind === 'folder' && n.id !== nodes[0]?.id);
    const [first, second] = nodes.filter((n) => n.kind === 'connection');
    const renamed = await h.call('PATCH', `/v1/tenants/${h.tenantId}/folders/${folder?.id}`, { token: h.ownerToken, body: { handle: 'my-workloads' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ handle: 'my-workloads', handleIsCustom: true });
    const set = await h.call('PUT', `/v1/tenants/${h.tenantId}/connections/${first?.id}/handle`, { token: h.ownerToken, body: { handle: 'billing-main' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ handle: 'billing-main', standalone: false });
    const clash = await h.call('PUT', `/v1/tenants/${h.tenantId}/connections/${second?.id}/handle`, { token: h.ownerToken, body: { handle: 'billing-main' } });
    expect([clash.status, clash.body.code]).toEqual([409, 'handle_taken']);
    const invalid = await h.call('PATCH', `/v1/tenants/${h.tenantId}/folders/${folder?.id}`, { token: h.ownerToken, body: { handle: 'Bad Handle' } });
    expect([invalid.status, invalid.body.field]).toEqual([400, 'handle']);
    const resync = ndjsonLines((await h.call('POST', `${base}/sync`, { token: h.ownerToken, body: { wait: true } })).text).at(-1) as { run: { summary: { applied: boolean } } };
    expect(resync.run.summary.applied).toBe(false);
    const after = (await h.call('GET', `${base}/tree`, { token: h.ownerToken })).body.nodes as Array<{ id: string; handle: string }>;
    expect(after.find((n) => n.id === first?.id)?.handle).toBe('billing-main');
  });

  it('lets a member read the tree but not start a sync; another tenant sees nothing', async () => {
    const member = await h.user(h.tenantId, 'member');
    expect((await h.call('GET', `${base}/tree`, { token: member.token })).status).toBe(200);
    const refused = await h.call('POST', `${base}/sync`, { token: member.token, body: { wait: true } });
    expect(refused.status).toBe(403);
    const other = await h.otherTenant();
    for (const [method, url] of [['GET', `${base}/tree`], ['POST', `${base}/sync`], ['GET', `${base}/sync-runs`], ['POST', `${base}/test`]] as const) {
      const reply = await h.call(method, url, { token: other.ownerToken, ...(method === 'POST' ? { body: {} } : {}) });
      expect([url, reply.status]).toEqual([url, 404]);
    }
  });

  it('publishes the routes in OpenAPI with operation ids', async () => {
    const spec = (await h.call('GET', '/openapi.json', { token: null })).body;
    const ids = Object.values(spec.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ids).toEqual(expect.arrayContaining(['syncIntegration', 'listSyncRuns', 'getSyncRun', 'approveSyncRun', 'testIntegration', 'getIntegrationTree', 'updateFolder', 'setConnectionHandle']));
  });
});
