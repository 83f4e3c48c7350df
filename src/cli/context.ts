/**
 * What every client command needs: the global options resolved against the environment,
 * an API client, the output mode, and the tenant to act in.
 */
import type { Command } from 'commander';
import { CliError, usageError } from './cli-error.js';
import { EXIT } from './exit-codes.js';
import { ApiClient } from './http-client.js';
import { Output, type CliIo } from './output.js';

export const DEFAULT_URL = 'http://127.0.0.1:7480';
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Global options after flags and environment are merged (flags win). */
export interface GlobalOptions {
  url: string;
  token?: string;
  tenant?: string;
  json: boolean;
  timeoutMs: number;
}

/** Reads the global options of a command: flags first, then ORGLINK_* variables, then defaults. */
export function resolveGlobals(command: Command, env: NodeJS.ProcessEnv): GlobalOptions {
  const raw = command.optsWithGlobals<{ url?: string; token?: string; tenant?: string; json?: boolean; timeout?: string }>();
  const timeout = raw.timeout ?? env.ORGLINK_TIMEOUT_MS;
  const timeoutMs = timeout === undefined || timeout === '' ? DEFAULT_TIMEOUT_MS : Number(timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw usageError('invalid_timeout', `--timeout must be a positive number of milliseconds, got ${JSON.stringify(timeout)}`, 'timeout');
  }
  const token = raw.token ?? nonEmpty(env.ORGLINK_TOKEN);
  const tenant = raw.tenant ?? nonEmpty(env.ORGLINK_TENANT);
  return {
    url: raw.url ?? nonEmpty(env.ORGLINK_URL) ?? DEFAULT_URL,
    ...(token === undefined ? {} : { token }),
    ...(tenant === undefined ? {} : { tenant }),
    json: raw.json === true,
    timeoutMs,
  };
}

interface MeResponse {
  user?: { id?: string };
  memberships?: Array<{ tenantId?: string }>;
}

interface TenantList {
  items: Array<{ id: string; name?: string }>;
}

/** The per-invocation context handed to every client command. */
export class CommandContext {
  readonly api: ApiClient;
  readonly out: Output;

  constructor(
    readonly io: CliIo,
    readonly globals: GlobalOptions,
  ) {
    this.out = new Output(io, globals.json);
    this.api = new ApiClient({
      baseUrl: globals.url,
      timeoutMs: globals.timeoutMs,
      ...(globals.token === undefined ? {} : { token: globals.token }),
    });
  }

  /** The signed-in user's id (for `token create` without --user). */
  async currentUserId(): Promise<string> {
    const me = await this.api.get<MeResponse>('/v1/me');
    const id = me.user?.id;
    if (typeof id !== 'string') {
      throw new CliError(EXIT.unexpected, { code: 'malformed_response', message: 'GET /v1/me returned no user id' });
    }
    return id;
  }

  /**
   * The tenant to act in: --tenant / ORGLINK_TENANT, else the only tenant the user belongs to,
   * else (for an installation admin without memberships) the only tenant visible.
   */
  async tenantId(): Promise<string> {
    if (this.globals.tenant !== undefined) return this.globals.tenant;
    const me = await this.api.get<MeResponse>('/v1/me');
    const fromMemberships = [...new Set((me.memberships ?? []).map((m) => m.tenantId).filter((id): id is string => typeof id === 'string'))];
    if (fromMemberships.length === 1 && fromMemberships[0] !== undefined) return fromMemberships[0];
    let candidates = fromMemberships;
    if (candidates.length === 0) {
      const visible = await this.api.get<TenantList>('/v1/tenants');
      candidates = visible.items.map((t) => t.id);
      if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
    }
    const hint = candidates.length === 0 ? 'you belong to no tenant' : `you can act in ${candidates.length} tenants: ${candidates.join(', ')}`;
    throw usageError('tenant_required', `this command needs a tenant: pass --tenant t_... or set ORGLINK_TENANT (${hint})`, 'tenant');
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
