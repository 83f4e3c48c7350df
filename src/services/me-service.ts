/** The caller: their user record and memberships. */
import { NotFoundError } from '../core/errors.js';
import type { Actor, ServiceDeps } from './context.js';
import { type MembershipView, membershipView } from './member-service.js';
import { type UserView, userView } from './user-records.js';

/** The authenticated user and every membership they hold. */
export async function getMe(deps: Pick<ServiceDeps, 'db'>, actor: Actor): Promise<{ user: UserView; memberships: MembershipView[] }> {
  const user = await deps.db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirst();
  if (!user) throw new NotFoundError('user_not_found', 'The token belongs to no user');
  const rows = await deps.db.selectFrom('memberships').selectAll().where('user_id', '=', actor.userId).orderBy('id').execute();
  return { user: userView(user), memberships: rows.map(membershipView) };
}
