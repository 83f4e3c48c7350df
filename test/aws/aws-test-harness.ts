/**
 * Shared setup for the AWS-layer tests: a real sandbox over HTTP, the endpoint given to the
 * SDK through AWS_ENDPOINT_URL (as in production), its control API, and the organization
 * as the sandbox's world holds it (the truth a walk is compared with).
 */
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../packages/sandbox/src/start-sandbox.js';
import type { DiscoveredTree } from '../../src/core/mirror/discovered-tree.js';

export interface OperationCounter {
  calls: number;
  throttled: number;
  faulted: number;
  errors: number;
}

export interface Counters {
  operations: Record<string, OperationCounter>;
  totals: OperationCounter;
}

/** The sandbox's control API (GET/POST /_sandbox/...). */
export interface SandboxControl {
  counters(): Promise<Counters>;
  resetCounters(): Promise<void>;
  realism(update: unknown): Promise<unknown>;
  advanceTime(seconds: number): Promise<Date>;
}

async function call(endpoint: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${endpoint}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A control API client for the sandbox at `endpoint`. */
export function sandboxControl(endpoint: string): SandboxControl {
  return {
    counters: async () => (await call(endpoint, 'GET', '/_sandbox/counters')) as Counters,
    resetCounters: async () => {
      await call(endpoint, 'POST', '/_sandbox/counters/reset');
    },
    realism: (update) => call(endpoint, 'PATCH', '/_sandbox/realism', update),
    advanceTime: async (seconds) => new Date(((await call(endpoint, 'POST', '/_sandbox/time/advance', { seconds })) as { now: string }).now),
  };
}

/** Starts a sandbox and points the SDK at it through AWS_ENDPOINT_URL, as an operator would. */
export async function startTestSandbox(options: StartSandboxOptions): Promise<{ sandbox: RunningSandbox; control: SandboxControl }> {
  const sandbox = await startSandbox(options);
  process.env.AWS_ENDPOINT_URL = sandbox.endpoint;
  return { sandbox, control: sandboxControl(sandbox.endpoint) };
}

/** Calls per Organizations operation, from counters (keys are `organizations:<Operation>`). */
export function organizationsCalls(counters: Counters): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, counter] of Object.entries(counters.operations)) {
    if (key.startsWith('organizations:')) result[key.slice('organizations:'.length)] = counter.calls;
  }
  return result;
}

/** The organization exactly as the sandbox holds it, in DiscoveredTree form, sorted by id. */
export function worldTree(sandbox: RunningSandbox): Pick<DiscoveredTree, 'organizationId' | 'managementAccountId' | 'roots' | 'ous' | 'accounts'> {
  const org = sandbox.world.organization;
  if (org === null) throw new Error('the sandbox has no organization');
  const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const accounts = [...org.childAccounts.entries()].flatMap(([parentId, ids]) =>
    ids.map((id) => {
      const a = sandbox.world.accounts.get(id);
      if (a === undefined) throw new Error(`account ${id} is listed but missing`);
      return { id, name: a.name, email: a.email, state: a.state, parentId, joinedTimestamp: a.joinedTimestamp };
    }),
  );
  return {
    organizationId: org.id,
    managementAccountId: org.managementAccountId,
    roots: [{ id: org.rootId, name: 'Root' }],
    ous: [...org.ous.values()].map((o) => ({ id: o.id, name: o.name, parentId: o.parentId })).sort(byId),
    accounts: accounts.sort(byId),
  };
}
