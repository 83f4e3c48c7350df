/** `orglink org create|list|show`: orgs inside the current tenant. */
import type { Command } from 'commander';
import { clientAction, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';
import type { Column } from '../table.js';

type Row = Record<string, unknown>;

const ORG_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (o) => o.id },
  { header: 'NAME', value: (o) => o.name },
  { header: 'PLAN', value: (o) => o.plan },
  { header: 'CREATED', value: (o) => o.createdAt },
];

/** Registers the `org` command group. */
export function registerOrgCommands(program: Command, io: CliIo): void {
  const org = program.command('org').description('Create and list orgs in a tenant');

  org
    .command('create')
    .description('Create an org in the tenant')
    .requiredOption('--name <name>', 'display name')
    .option('--plan <plan>', 'free, team or enterprise', 'free')
    .action(
      clientAction<{ name: string; plan: string }>(io, async (ctx, o) => {
        const tenantId = await ctx.tenantId();
        ctx.out.detail(await ctx.api.post<Row>(`/v1/tenants/${seg(tenantId)}/orgs`, { name: o.name, plan: o.plan }));
      }),
    );

  org
    .command('list')
    .description('List the orgs of the tenant')
    .action(
      clientAction(io, async (ctx) => {
        const tenantId = await ctx.tenantId();
        const { items } = await ctx.api.get<{ items: Row[] }>(`/v1/tenants/${seg(tenantId)}/orgs`);
        ctx.out.list(items, ORG_COLUMNS, 'orgs');
      }),
    );

  org
    .command('show')
    .description('Show one org')
    .argument('<orgId>', 'org id (o_...)')
    .action(
      clientAction(io, async (ctx, _o, [orgId]) => {
        ctx.out.detail(await ctx.api.get<Row>(`/v1/orgs/${seg(orgId ?? '')}`));
      }),
    );
}
