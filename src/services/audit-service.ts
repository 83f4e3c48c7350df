/**
 * The audit log: who did what, when, with the object before and after. Entries are written
 * inside the caller's transaction so a mutation and its record never diverge. Callers pass
 * public views (never rows), so secrets cannot reach the log.
 */
import type { Db, ServiceDeps, Actor } from './context.js';
import type { AuditEntry } from '../store/database.js';
import { ForbiddenError, InputError } from '../core/errors.js';
import { loadTenantAccess, requireTenantManager } from './access-control.js';

/** One mutation to record. */
export interface AuditRecord {
  tenantId: string | null;
  action: string;
  targetKind: string;
  targetId: string;
  before: unknown;
  after: unknown;
}

/** Appends an audit entry in the given transaction. */
export async function writeAudit(trx: Db, actor: Actor, at: Date, record: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      tenant_id: record.tenantId,
      actor_user_id: actor.userId,
      actor_token_id: actor.tokenId,
      action: record.action,
      target_kind: record.targetKind,
      target_id: record.targetId,
      before: record.before === null || record.before === undefined ? null : JSON.stringify(record.before),
      after: record.after === null || record.after === undefined ? null : JSON.stringify(record.after),
      request_id: actor.requestId ?? null,
      at,
    })
    .execute();
}

/** The public shape of an audit entry. */
export interface AuditView {
  id: string;
  tenantId: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  action: string;
  targetKind: string;
  targetId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: string;
}

/** Maps an audit row to its public shape. */
export function auditView(row: AuditEntry): AuditView {
  return {
    id: String(row.id),
    tenantId: row.tenant_id,
    actorUserId: row.actor_user_id,
    actorTokenId: row.actor_token_id,
    action: row.action,
    targetKind: row.target_kind,
    targetId: row.target_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
    at: new Date(row.at).toISOString(),
  };
}

export const AUDIT_MAX_LIMIT = 200;

function checkPage(page: { limit?: number; before?: string }): number {
  const limit = page.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_LIMIT) {
    throw new InputError('invalid_limit', `limit must be an integer from 1 to ${AUDIT_MAX_LIMIT}`, { field: 'limit' });
  }
  if (page.before !== undefined && !/^\d{1,18}$/.test(page.before)) {
    throw new InputError('invalid_cursor', 'before must be an audit entry id', { field: 'before' });
  }
  return limit;
}

async function readPage(
  db: ServiceDeps['db'],
  tenantId: string | null | undefined,
  page: { limit?: number; before?: string },
): Promise<AuditView[]> {
  const limit = checkPage(page);
  let query = db.selectFrom('audit_log').selectAll();
  if (tenantId === null) query = query.where('tenant_id', 'is', null);
  else if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
  if (page.before !== undefined) query = query.where('id', '<', page.before);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(auditView);
}

/** Newest-first page of a tenant's audit log; `before` is an entry id (exclusive cursor). */
export async function listAudit(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  tenantId: string,
  page: { limit?: number; before?: string },
): Promise<AuditView[]> {
  const access = await loadTenantAccess(deps.db, actor, tenantId);
  requireTenantManager(access, 'audit_requires_tenant_owner_or_admin', 'Reading the audit log');
  return readPage(deps.db, tenantId, page);
}

/**
 * The whole installation's audit log for the installation admin, including entries that
 * belong to no tenant (tokens, bootstrap); `tenantId: null` selects only those.
 */
export async function listInstallationAudit(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  page: { limit?: number; before?: string; tenantId?: string | null },
): Promise<AuditView[]> {
  if (!actor.isAdmin) {
    throw new ForbiddenError('audit_requires_installation_admin', 'The installation audit log is for the installation admin');
  }
  return readPage(deps.db, page.tenantId, page);
}
