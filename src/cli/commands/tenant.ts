/** `orglink tenant create|list|show`: tenants of the installation (creating one needs the admin token). */
import type { Command } from 'commander';
import { clientAction, compact, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';
import type { Column } from '../table.js';

type Row = Record<string, unknown>;

/** Table columns for tenants (also used by `demo`). */
export const TENANT_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => t.name },
  { header: 'PLAN', value: (t) => t.plan },
  { header: 'CREATED', value: (t) => t.createdAt },
];

/** Registers the `tenant` command group. */
export function registerTenantCommands(program: Command, io: CliIo): void {
  const tenant = program.command('tenant').description('Create and list tenants');

  tenant
    .command('create')
    .description('Create a tenant (installation admin only)')
    .requiredOption('--name <name>', 'display name')
    .option('--plan <plan>', 'standard or enterprise', 'standard')
    .option('--owner-email <email>', 'e-mail of the tenant owner (created if new)')
    .option('--owner-name <name>', 'name of the tenant owner')
    .action(
      clientAction<{ name: string; plan: string; ownerEmail?: string; ownerName?: string }>(io, async (ctx, o) => {
        const owner = o.ownerEmail === undefined ? undefined : { email: o.ownerEmail, name: o.ownerName ?? o.ownerEmail };
        const created = await ctx.api.post<Row>('/v1/tenants', compact({ name: o.name, plan: o.plan, owner }));
        ctx.out.detail(created);
      }),
    );

  tenant
    .command('list')
    .description('List the tenants you can see')
    .action(
      clientAction(io, async (ctx) => {
        const { items } = await ctx.api.get<{ items: Row[] }>('/v1/tenants');
        ctx.out.list(items, TENANT_COLUMNS, 'tenants');
      }),
    );

  tenant
    .command('show')
    .description('Show one tenant')
    .argument('<tenantId>', 'tenant id (t_...)')
    .action(
      clientAction(io, async (ctx, _o, [tenantId]) => {
        ctx.out.detail(await ctx.api.get<Row>(`/v1/tenants/${seg(tenantId ?? '')}`));
      }),
    );
}
