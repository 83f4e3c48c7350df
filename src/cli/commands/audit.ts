/** `orglink audit list`: the tenant's audit log, newest first. */
import type { Command } from 'commander';
import { clientAction, parseInteger, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';
import type { Column } from '../table.js';

type Row = Record<string, unknown>;

const AUDIT_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (a) => a.id },
  { header: 'AT', value: (a) => a.at },
  { header: 'ACTION', value: (a) => a.action },
  { header: 'TARGET', value: (a) => [a.targetKind, a.targetId].filter((v) => v !== undefined && v !== null).join(' ') },
  { header: 'ACTOR', value: (a) => a.actorUserId ?? a.actorTokenId },
];

/** Registers the `audit` command group. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('Read the audit log');
  audit
    .command('list')
    .description('List audit entries of the tenant, newest first')
    .option('--limit <n>', 'how many entries', parseInteger)
    .option('--before <id>', 'only entries older than this entry id (paging)')
    .action(
      clientAction<{ limit?: number; before?: string }>(io, async (ctx, o) => {
        const tenantId = await ctx.tenantId();
        const { items } = await ctx.api.get<{ items: Row[] }>(`/v1/tenants/${seg(tenantId)}/audit`, { limit: o.limit, before: o.before });
        ctx.out.list(items, AUDIT_COLUMNS, 'audit entries');
      }),
    );
}
