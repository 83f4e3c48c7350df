/** `orglink connection ...`: list and show every connection; create, update and delete standalone ones. */
import { Option, type Command } from 'commander';
import { usageError } from '../cli-error.js';
import { clientAction, seg, splitList } from '../command-helpers.js';
import { connectionBody, type ConnectionFlags } from '../integration-body.js';
import type { CliIo } from '../output.js';
import type { Column } from '../table.js';
import { addConnectionSettingOptions, addPolicyOptions } from './settings-options.js';
import { emitTemplate } from './template-output.js';

type Row = Record<string, unknown>;

const CONNECTION_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'HANDLE', value: (c) => c.handle },
  { header: 'ACCOUNTS', value: (c) => c.accountId ?? c.accountScope },
  { header: 'ROLE NAME', value: (c) => c.roleName },
  { header: 'REGIONS', value: (c) => c.regions },
  { header: 'SOURCE', value: (c) => (c.standalone === true ? 'standalone' : c.integrationId) },
  { header: 'HEALTH', value: (c) => c.health },
];

/** A standalone connection's role is a member role: only these capabilities apply to it. */
const MEMBER_CAPABILITIES = "the role's capabilities: read_only, security_audit, view_only";

/** Adds the mutually exclusive account flags. */
function addAccountOptions(command: Command): Command {
  return command
    .addOption(new Option('--account-id <id>', 'a single AWS account (12 digits)').conflicts(['accounts', 'allAccounts']))
    .addOption(new Option('--accounts <ids>', 'several accounts sharing one role (comma-separated)').argParser(splitList).conflicts(['allAccounts']))
    .option('--all-accounts', 'every account the role can reach');
}

/** Registers the `connection` command group. */
export function registerConnectionCommands(program: Command, io: CliIo): void {
  const connection = program.command('connection').description('Manage connections (standalone ones are created here)');
  const base = (tenantId: string) => `/v1/tenants/${seg(tenantId)}/connections`;

  const create = connection
    .command('create')
    .description('Create a standalone connection: --account-id, --accounts or --all-accounts')
    .requiredOption('--handle <handle>', 'unique connection handle in the tenant')
    .requiredOption('--role-name <name>', 'IAM role name in the account(s)')
    .option('--external-id <id>', 'External ID; generated when omitted')
    .option('--title <title>', 'display title')
    .option('--org <orgId>', 'the org that owns the connection (tenant-level when omitted)');
  addPolicyOptions(addConnectionSettingOptions(addAccountOptions(create)), MEMBER_CAPABILITIES).action(
    clientAction<ConnectionFlags>(io, async (ctx, o) => {
      if (o.accountId === undefined && o.accounts === undefined && o.allAccounts !== true) {
        throw usageError('account_required', 'say which accounts: --account-id <id>, --accounts <a,b> or --all-accounts', 'accountId');
      }
      ctx.out.detail(await ctx.api.post<Row>(base(await ctx.tenantId()), connectionBody(o)));
    }),
  );

  connection
    .command('list')
    .description('List the connections of the tenant')
    .option('--org <orgId>', 'only connections of this org')
    .option('--integration <integrationId>', 'only connections created by this integration')
    .option('--standalone', 'only standalone connections')
    .action(
      clientAction<{ org?: string; integration?: string; standalone?: boolean }>(io, async (ctx, o) => {
        const query = { orgId: o.org, integrationId: o.integration, standalone: o.standalone === true ? 'true' : undefined };
        const { items } = await ctx.api.get<{ items: Row[] }>(base(await ctx.tenantId()), query);
        ctx.out.list(items, CONNECTION_COLUMNS, 'connections');
      }),
    );

  connection
    .command('show')
    .description('Show one connection')
    .argument('<ref>', 'connection id or handle')
    .action(
      clientAction(io, async (ctx, _o, [ref]) => {
        ctx.out.detail(await ctx.api.get<Row>(`${base(await ctx.tenantId())}/${seg(ref ?? '')}`));
      }),
    );

  const update = connection
    .command('update')
    .description('Modify a standalone connection')
    .argument('<ref>', 'connection id or handle')
    .option('--handle <handle>', 'new handle')
    .option('--role-name <name>', 'new role name')
    .option('--external-id <id>', 'new External ID')
    .option('--title <title>', 'new title');
  addPolicyOptions(addConnectionSettingOptions(addAccountOptions(update)), MEMBER_CAPABILITIES).action(
    clientAction<ConnectionFlags>(io, async (ctx, o, [ref]) => {
      const body = connectionBody(o, 'update');
      if (Object.keys(body).length === 0) throw usageError('nothing_to_update', 'give at least one flag to change (see --help)');
      ctx.out.detail(await ctx.api.patch<Row>(`${base(await ctx.tenantId())}/${seg(ref ?? '')}`, body));
    }),
  );

  connection
    .command('delete')
    .description('Delete a standalone connection (cannot be undone)')
    .argument('<ref>', 'connection id or handle')
    .option('--confirm <handle>', "the connection's handle, typed back to confirm")
    .action(
      clientAction<{ confirm?: string }>(io, async (ctx, o, [ref]) => {
        if (o.confirm === undefined) {
          throw usageError('confirmation_required', "deleting cannot be undone: type the connection's handle back with --confirm <handle>", 'confirm');
        }
        const result = await ctx.api.delete<Row>(`${base(await ctx.tenantId())}/${seg(ref ?? '')}`, { confirm: o.confirm });
        if (ctx.out.json) return ctx.out.writeJson(result ?? { deleted: true });
        ctx.out.text(`Deleted connection ${ref ?? ''}.\n`);
      }),
    );

  connection
    .command('templates')
    .description("Render a standalone connection's member-account template")
    .argument('<ref>', 'connection id or handle')
    .option('--format <format>', 'template format: member-cloudformation, member-terraform', 'member-cloudformation')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(
      clientAction<{ format: string; output?: string }>(io, async (ctx, o, [ref]) => {
        const path = `${base(await ctx.tenantId())}/${seg(ref ?? '')}/templates/${seg(o.format)}`;
        await emitTemplate(ctx, path, { format: o.format, ...(o.output === undefined ? {} : { output: o.output }) });
      }),
    );
}
