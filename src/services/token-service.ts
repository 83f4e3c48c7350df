/**
 * API tokens: created for a user (by the installation admin or the user themself), shown
 * once, stored only as a hash; revoked tokens stop authenticating at once.
 */
import { generateApiToken, hashApiToken } from '../core/api-token.js';
import { AuthenticationError, NotFoundError } from '../core/errors.js';
import type { ApiToken } from '../store/database.js';
import { writeAudit } from './audit-service.js';
import { type Actor, type Db, type ServiceDeps, inTransaction } from './context.js';

/** The public shape of a token (never its secret or hash). */
export interface TokenView {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function iso(value: Date | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** Maps a token row to its public shape. */
export function tokenView(row: ApiToken): TokenView {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

async function requireSelfOrAdmin(db: Db, actor: Actor, userId: string): Promise<void> {
  const notFound = new NotFoundError('user_not_found', `User '${userId}' not found`);
  if (!actor.isAdmin && actor.userId !== userId) throw notFound;
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound;
}

/** Inserts a token row for a user; the plaintext is returned to the caller only. */
export async function insertToken(trx: Db, userId: string, name: string, now: Date): Promise<{ row: ApiToken; token: string }> {
  const generated = generateApiToken();
  const row = await trx
    .insertInto('api_tokens')
    .values({ id: generated.id, user_id: userId, name, token_hash: generated.hash, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, token: generated.token };
}

/** Creates a token for a user; the plaintext token is in the result and nowhere else. */
export async function createToken(
  deps: ServiceDeps,
  actor: Actor,
  userId: string,
  input: { name: string },
): Promise<TokenView & { token: string }> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await requireSelfOrAdmin(trx, actor, userId);
    const { row, token } = await insertToken(trx, userId, input.name, now);
    const view = tokenView(row);
    await writeAudit(trx, actor, now, { tenantId: null, action: 'token.create', targetKind: 'api_token', targetId: row.id, before: null, after: view });
    return { ...view, token };
  });
}

/** Lists a user's tokens (metadata only). */
export async function listTokens(deps: Pick<ServiceDeps, 'db'>, actor: Actor, userId: string): Promise<TokenView[]> {
  await requireSelfOrAdmin(deps.db, actor, userId);
  const rows = await deps.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(tokenView);
}

/** Revokes a token; revoking twice keeps the first revocation time. */
export async function revokeToken(deps: ServiceDeps, actor: Actor, userId: string, tokenId: string): Promise<TokenView> {
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await requireSelfOrAdmin(trx, actor, userId);
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw new NotFoundError('token_not_found', `Token '${tokenId}' not found`);
    if (row.revoked_at !== null) return tokenView(row);
    const updated = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).returningAll().executeTakeFirstOrThrow();
    const before = tokenView(row);
    const after = tokenView(updated);
    await writeAudit(trx, actor, now, { tenantId: null, action: 'token.revoke', targetKind: 'api_token', targetId: row.id, before, after });
    return after;
  });
}

/** Resolves a bearer token to its Actor, or 401 (missing, unknown or revoked). */
export async function authenticate(deps: ServiceDeps, token: string | undefined): Promise<Actor> {
  if (token === undefined || token === '') {
    throw new AuthenticationError('missing_token', 'Send an API token as "Authorization: Bearer <token>"');
  }
  const row = await deps.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.revoked_at', 'users.is_admin'])
    .where('api_tokens.token_hash', '=', hashApiToken(token))
    .executeTakeFirst();
  if (!row) throw new AuthenticationError('invalid_token', 'The API token is not valid');
  if (row.revoked_at !== null) throw new AuthenticationError('token_revoked', 'The API token has been revoked');
  await deps.db.updateTable('api_tokens').set({ last_used_at: deps.clock() }).where('id', '=', row.id).execute();
  return { userId: row.user_id, tokenId: row.id, isAdmin: row.is_admin };
}
