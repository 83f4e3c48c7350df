/** `orglink workspace create|list`: workspaces inside an org. */
import type { Command } from 'commander';
import { clientAction, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';
import type { Column } from '../table.js';

type Row = Record<string, unknown>;

const WORKSPACE_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (w) => w.id },
  { header: 'HANDLE', value: (w) => w.handle },
  { header: 'NAME', value: (w) => w.name },
  { header: 'ORG', value: (w) => w.orgId },
  { header: 'CREATED', value: (w) => w.createdAt },
];

/** Registers the `workspace` command group. */
export function registerWorkspaceCommands(program: Command, io: CliIo): void {
  const workspace = program.command('workspace').description('Create and list workspaces in an org');

  workspace
    .command('create')
    .description('Create a workspace in an org')
    .requiredOption('--org <orgId>', 'org id (o_...)')
    .requiredOption('--handle <handle>', 'workspace handle')
    .option('--name <name>', 'display name (defaults to the handle)')
    .action(
      clientAction<{ org: string; handle: string; name?: string }>(io, async (ctx, o) => {
        const body = { handle: o.handle, name: o.name ?? o.handle };
        ctx.out.detail(await ctx.api.post<Row>(`/v1/orgs/${seg(o.org)}/workspaces`, body));
      }),
    );

  workspace
    .command('list')
    .description('List the workspaces of an org')
    .requiredOption('--org <orgId>', 'org id (o_...)')
    .action(
      clientAction<{ org: string }>(io, async (ctx, o) => {
        const { items } = await ctx.api.get<{ items: Row[] }>(`/v1/orgs/${seg(o.org)}/workspaces`);
        ctx.out.list(items, WORKSPACE_COLUMNS, 'workspaces');
      }),
    );
}
