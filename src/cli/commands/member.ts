/** `orglink member add`, `orglink token create` and `orglink whoami`: people and their API tokens. */
import type { Command } from 'commander';
import { clientAction, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';

type Row = Record<string, unknown>;

/** Registers `member`, `token` and `whoami`. */
export function registerMemberCommands(program: Command, io: CliIo): void {
  const member = program.command('member').description('Manage tenant and org members');
  member
    .command('add')
    .description('Add a member to the tenant, or to one org with --org (creates the user if new)')
    .requiredOption('--email <email>', 'e-mail address')
    .option('--name <name>', 'display name (defaults to the e-mail)')
    .requiredOption('--role <role>', 'owner, admin or member')
    .option('--org <orgId>', 'make the membership org-scoped (o_...)')
    .action(
      clientAction<{ email: string; name?: string; role: string; org?: string }>(io, async (ctx, o) => {
        const tenantId = await ctx.tenantId();
        const body = { email: o.email, name: o.name ?? o.email, role: o.role, ...(o.org === undefined ? {} : { orgId: o.org }) };
        ctx.out.detail(await ctx.api.post<Row>(`/v1/tenants/${seg(tenantId)}/members`, body));
      }),
    );

  const token = program.command('token').description('Manage API tokens');
  token
    .command('create')
    .description('Create an API token; the secret is shown once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--user <userId>', 'user to create it for (admins only; defaults to you)')
    .action(
      clientAction<{ name: string; user?: string }>(io, async (ctx, o) => {
        const userId = o.user ?? (await ctx.currentUserId());
        const created = await ctx.api.post<Row>(`/v1/users/${seg(userId)}/tokens`, { name: o.name });
        ctx.out.detail(created);
        ctx.out.note('The token is shown once: store it now (e.g. export ORGLINK_TOKEN=...).');
      }),
    );

  program
    .command('whoami')
    .description('Show the signed-in user and their memberships')
    .action(
      clientAction(io, async (ctx) => {
        const me = await ctx.api.get<{ user: Row; memberships: Row[] }>('/v1/me');
        if (ctx.out.json) return ctx.out.writeJson(me);
        ctx.out.detail({ user: me.user, memberships: me.memberships });
      }),
    );
}
