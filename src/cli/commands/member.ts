/** `orglink member add|list`, `orglink token create|list|revoke` and `orglink whoami`: people and their API tokens. */
import type { Command } from 'commander';
import { clientAction, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';
import { pick, type Column } from '../table.js';

type Row = Record<string, unknown>;

const MEMBER_COLUMNS: Column<Row>[] = [
  { header: 'USER', value: (m) => pick(m, 'user.id') },
  { header: 'EMAIL', value: (m) => pick(m, 'user.email') },
  { header: 'NAME', value: (m) => pick(m, 'user.name') },
  { header: 'ROLE', value: (m) => pick(m, 'membership.role') },
  { header: 'SCOPE', value: (m) => `${String(pick(m, 'membership.scopeKind'))} ${String(pick(m, 'membership.scopeId'))}` },
];

const TOKEN_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  { header: 'CREATED', value: (t) => t.createdAt },
  { header: 'LAST USED', value: (t) => t.lastUsedAt },
  { header: 'REVOKED', value: (t) => t.revokedAt },
];

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

  member
    .command('list')
    .description('List the members of the tenant and its orgs')
    .action(
      clientAction(io, async (ctx) => {
        const { items } = await ctx.api.get<{ items: Row[] }>(`/v1/tenants/${seg(await ctx.tenantId())}/members`);
        ctx.out.list(items, MEMBER_COLUMNS, 'members');
      }),
    );

  const token = program.command('token').description('Manage API tokens');
  token
    .command('create')
    .description('Create an API token; the secret is shown once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--user <userId>', 'user to create it for (installation admin only; defaults to you)')
    .action(
      clientAction<{ name: string; user?: string }>(io, async (ctx, o) => {
        const userId = o.user ?? (await ctx.currentUserId());
        ctx.out.detail(await ctx.api.post<Row>(`/v1/users/${seg(userId)}/tokens`, { name: o.name }));
        ctx.out.note('The token is shown once: store it now (e.g. export ORGLINK_TOKEN=...).');
      }),
    );

  token
    .command('list')
    .description("List a user's API tokens (never their secrets)")
    .option('--user <userId>', 'whose tokens (defaults to you)')
    .action(
      clientAction<{ user?: string }>(io, async (ctx, o) => {
        const userId = o.user ?? (await ctx.currentUserId());
        const { items } = await ctx.api.get<{ items: Row[] }>(`/v1/users/${seg(userId)}/tokens`);
        ctx.out.list(items, TOKEN_COLUMNS, 'tokens');
      }),
    );

  token
    .command('revoke')
    .description('Revoke an API token')
    .argument('<tokenId>', 'token id (tok_...)')
    .option('--user <userId>', 'whose token (defaults to you)')
    .action(
      clientAction<{ user?: string }>(io, async (ctx, o, [tokenId]) => {
        const userId = o.user ?? (await ctx.currentUserId());
        ctx.out.detail(await ctx.api.delete<Row>(`/v1/users/${seg(userId)}/tokens/${seg(tokenId ?? '')}`) ?? {});
      }),
    );

  program
    .command('whoami')
    .description('Show the signed-in user and their memberships')
    .action(
      clientAction(io, async (ctx) => {
        const me = await ctx.api.get<{ user: Row; memberships: Row[] }>('/v1/me');
        if (ctx.out.json) return ctx.out.writeJson(me);
        ctx.out.detail(me.user);
        for (const m of me.memberships) ctx.out.text(`membership: ${String(m.role)} of ${String(m.scopeKind)} ${String(m.scopeId)}\n`);
      }),
    );
}
