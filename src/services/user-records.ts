/**
 * Users are installation-wide (one email, one user); tenants reach them through memberships.
 * Finding-or-creating by email lets a tenant owner and a later member invitation share a user.
 */
import { newId } from '../core/ids.js';
import type { User } from '../store/database.js';
import type { Db } from './context.js';

/** The public shape of a user. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

/** Maps a user row to its public shape. */
export function userView(row: User): UserView {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin };
}

/** Emails are compared case-insensitively, so they are stored lowercased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Returns the user with this email, creating it when new. */
export async function findOrCreateUser(
  trx: Db,
  input: { email: string; name: string },
  now: Date,
): Promise<{ user: User; created: boolean }> {
  const email = normalizeEmail(input.email);
  const existing = await trx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  if (existing) return { user: existing, created: false };
  const user = await trx
    .insertInto('users')
    .values({ id: newId('u'), email, name: input.name, is_admin: false, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { user, created: true };
}
