/**
 * The example data `orglink demo` creates through the REST API, idempotently: each object is
 * looked up by name or handle first, so a re-run finds what the last run made.
 */
import type { ApiClient } from './http-client.js';

export const DEMO_TENANT_NAME = 'Example Enterprise';
export const DEMO_ORG_NAME = 'Example Team';
export const DEMO_WORKSPACE_HANDLE = 'demo';
export const DEMO_INTEGRATION_HANDLE = 'aws-sandbox';

type Row = Record<string, unknown> & { id: string };

/** The ids of the example tenant, org and workspace. */
export interface DemoTenancy {
  tenantId: string;
  orgId: string;
  workspaceId: string;
}

/** The discovery settings that match the sandbox organization. */
export interface DemoDiscovery {
  roleName: string;
  externalId: string;
  roleArn: string;
}

/** Finds or creates the enterprise tenant, the team-plan org and the workspace. */
export async function ensureDemoTenancy(api: ApiClient): Promise<DemoTenancy> {
  const tenants = await api.get<{ items: Row[] }>('/v1/tenants');
  const tenant =
    tenants.items.find((t) => t.name === DEMO_TENANT_NAME) ??
    (await api.post<Row>('/v1/tenants', { name: DEMO_TENANT_NAME, plan: 'enterprise' }));
  const orgs = await api.get<{ items: Row[] }>(`/v1/tenants/${tenant.id}/orgs`);
  const org = orgs.items.find((o) => o.name === DEMO_ORG_NAME) ?? (await api.post<Row>(`/v1/tenants/${tenant.id}/orgs`, { name: DEMO_ORG_NAME, plan: 'team' }));
  const workspaces = await api.get<{ items: Row[] }>(`/v1/orgs/${org.id}/workspaces`);
  const workspace =
    workspaces.items.find((w) => w.handle === DEMO_WORKSPACE_HANDLE) ??
    (await api.post<Row>(`/v1/orgs/${org.id}/workspaces`, { handle: DEMO_WORKSPACE_HANDLE, name: 'Demo workspace' }));
  return { tenantId: tenant.id, orgId: org.id, workspaceId: workspace.id };
}

/**
 * Finds or creates the org-level integration pointing at the sandbox; when the sandbox was
 * regenerated since (new External ID or role ARN), the integration is updated to match.
 */
export async function ensureDemoIntegration(api: ApiClient, tenancy: DemoTenancy, discovery: DemoDiscovery): Promise<Row> {
  const existing = await api.get<{ items: Row[] }>(`/v1/tenants/${tenancy.tenantId}/integrations`, { orgId: tenancy.orgId });
  const found = existing.items.find((i) => i.handle === DEMO_INTEGRATION_HANDLE);
  if (found === undefined) {
    return api.post<Row>(`/v1/orgs/${tenancy.orgId}/integrations`, {
      handle: DEMO_INTEGRATION_HANDLE,
      discovery,
      connections: { handlePrefix: 'sbx_', regions: ['us-east-1', 'eu-west-1'] },
      capabilities: ['discovery', 'read_only'],
      permissions: { mode: 'all' },
    });
  }
  const current = found.discovery as Partial<DemoDiscovery> | undefined;
  if (current?.externalId === discovery.externalId && current.roleArn === discovery.roleArn && current.roleName === discovery.roleName) return found;
  return api.patch<Row>(`/v1/tenants/${tenancy.tenantId}/integrations/${found.id}`, { discovery });
}
