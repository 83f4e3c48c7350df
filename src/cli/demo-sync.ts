/**
 * The demo's first sync, through the API like any client: queue it, then follow the run
 * until it ends, so the printed summary describes a mirror that is already there.
 */
import type { ApiClient } from './http-client.js';

/** What the demo prints about its mirror. */
export interface DemoSyncResult {
  runId: string;
  status: string;
  ous: number;
  accounts: number;
  health: Record<string, number>;
  error?: string;
}

interface RunBody {
  id: string;
  status: string;
  summary: { discovered: { ous: number; accounts: number }; health: { counts: Record<string, number> } } | null;
  error: { code: string; message: string } | null;
}

const FINISHED = new Set(['succeeded', 'failed', 'awaiting_approval', 'superseded']);

/** Syncs the demo integration and waits (bounded) for its run to finish. */
export async function syncDemoIntegration(api: ApiClient, tenantId: string, integrationId: string, timeoutMs = 120_000): Promise<DemoSyncResult> {
  const tenant = `/v1/tenants/${encodeURIComponent(tenantId)}`;
  let { run } = await api.post<{ run: RunBody }>(`${tenant}/integrations/${encodeURIComponent(integrationId)}/sync`, {});
  const deadline = Date.now() + timeoutMs;
  while (!FINISHED.has(run.status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    run = await api.get<RunBody>(`${tenant}/sync-runs/${encodeURIComponent(run.id)}`);
  }
  return {
    runId: run.id,
    status: run.status,
    ous: run.summary?.discovered.ous ?? 0,
    accounts: run.summary?.discovered.accounts ?? 0,
    health: run.summary?.health.counts ?? {},
    ...(run.error === null ? {} : { error: `${run.error.code}: ${run.error.message}` }),
  };
}
