/**
 * First start: create the installation admin and its token. With ORGLINK_ADMIN_TOKEN the
 * given token is registered (by hash) instead, idempotently; a changed value is added
 * alongside the old one. A generated token is returned in plaintext once, for `serve` to print.
 */
import { sql, type Kysely } from 'kysely';
import { hashApiToken } from '../core/api-token.js';
import { newId } from '../core/ids.js';
import type { Database } from '../store/database.js';
import { writeAudit } from './audit-service.js';
import { insertToken } from './token-service.js';

/** The email of the installation admin user created on first start. */
export const ADMIN_EMAIL = 'admin@orglink.local';

/** Arbitrary constant: serializes bootstraps of processes that start at once. */
const BOOTSTRAP_LOCK_KEY = 7_480_002;

export interface BootstrapResult {
  userId: string;
  /** The plaintext token, only when this call generated it. */
  generatedToken?: string;
  /** True when this call registered ORGLINK_ADMIN_TOKEN for the first time. */
  adminTokenAdded: boolean;
}

/** Ensures the admin user and a usable admin token exist. */
export async function bootstrapAdmin(options: {
  db: Kysely<Database>;
  adminToken?: string;
  clock?: () => Date;
}): Promise<BootstrapResult> {
  const now = (options.clock ?? (() => new Date()))();
  return options.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`.execute(trx);
    let admin = await trx.selectFrom('users').selectAll().where('is_admin', '=', true).orderBy('created_at').executeTakeFirst();
    if (!admin) {
      admin = await trx
        .insertInto('users')
        .values({ id: newId('u'), email: ADMIN_EMAIL, name: 'Installation admin', is_admin: true, created_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    const actor = { userId: admin.id, tokenId: null, isAdmin: true };
    if (options.adminToken !== undefined && options.adminToken !== '') {
      const hash = hashApiToken(options.adminToken);
      const known = await trx.selectFrom('api_tokens').select('id').where('token_hash', '=', hash).executeTakeFirst();
      if (known) return { userId: admin.id, adminTokenAdded: false };
      const id = newId('tok');
      await trx.insertInto('api_tokens').values({ id, user_id: admin.id, name: 'ORGLINK_ADMIN_TOKEN', token_hash: hash, created_at: now }).execute();
      await writeAudit(trx, actor, now, { tenantId: null, action: 'token.bootstrap', targetKind: 'api_token', targetId: id, before: null, after: { id, name: 'ORGLINK_ADMIN_TOKEN' } });
      return { userId: admin.id, adminTokenAdded: true };
    }
    const usable = await trx.selectFrom('api_tokens').select('id').where('user_id', '=', admin.id).where('revoked_at', 'is', null).executeTakeFirst();
    if (usable) return { userId: admin.id, adminTokenAdded: false };
    const { row, token } = await insertToken(trx, admin.id, 'bootstrap', now);
    await writeAudit(trx, actor, now, { tenantId: null, action: 'token.bootstrap', targetKind: 'api_token', targetId: row.id, before: null, after: { id: row.id, name: row.name } });
    return { userId: admin.id, generatedToken: token, adminTokenAdded: false };
  });
}
