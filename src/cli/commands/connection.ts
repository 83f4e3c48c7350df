/** `orglink connection create|list|show`: standalone connections (one account, several, or all). */
import { Option, type Command } from 'commander';
import { clientAction, seg, splitList } from '../command-helpers.js';
import { connectionBody, type ConnectionFlags } from '../integration-body.js';
import type { CliIo } from '../output.js';
import { pick, type Column } from '../table.js';
import { addSettingsOptions } from './settings-options.js';

type Row = Record<string, unknown>;

const CONNECTION_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'HANDLE', value: (c) => c.handle },
  { header: 'ACCOUNTS', value: (c) => pick(c, 'accountId', 'awsAccountId') ?? pick(c, 'accountScope') },
  { header: 'ROLE NAME', value: (c) => c.roleName },
  { header: 'REGIONS', value: (c) => c.regions },
  { header: 'INTEGRATION', value: (c) => c.integrationId },
  { header: 'HEALTH', value: (c) => c.health },
];

/** Registers the `connection` command group. */
export function registerConnectionCommands(program: Command, io: CliIo): void {
  const connection = program.command('connection').description('Manage connections (standalone ones are created here)');
  const base = (tenantId: string) => `/v1/tenants/${seg(tenantId)}/connections`;

  const create = connection
    .command('create')
    .description('Create a standalone connection: one account, a list of accounts, or all accounts')
    .requiredOption('--handle <handle>', 'unique connection handle in the tenant')
    .addOption(new Option('--account-id <id>', 'the single AWS account (12 digits)').conflicts(['accounts', 'allAccounts']))
    .addOption(new Option('--accounts <ids>', 'several accounts sharing one role (comma-separated)').argParser(splitList).conflicts(['allAccounts']))
    .option('--all-accounts', 'every account the role can reach')
    .requiredOption('--role-name <name>', 'IAM role name in the account(s)')
    .option('--external-id <id>', 'External ID; generated when omitted')
    .option('--title <title>', 'display title')
    .option('--org <orgId>', 'scope the connection to this org');
  addSettingsOptions(create).action(
    clientAction<ConnectionFlags>(io, async (ctx, o) => {
      ctx.out.detail(await ctx.api.post<Row>(base(await ctx.tenantId()), connectionBody(o)));
    }),
  );

  connection
    .command('list')
    .description('List the connections of the tenant')
    .action(
      clientAction(io, async (ctx) => {
        const { items } = await ctx.api.get<{ items: Row[] }>(base(await ctx.tenantId()));
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
}
