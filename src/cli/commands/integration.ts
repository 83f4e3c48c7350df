/** `orglink integration ...`: AWS Organization integrations at tenant or org level. */
import { MAX_SYNC_INTERVAL_SECONDS, MIN_SYNC_INTERVAL_SECONDS } from '../../core/sync-interval.js';
import { TEMPLATE_FORMATS } from '../../core/templates/render-template.js';
import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { clientAction, collectList, seg } from '../command-helpers.js';
import { integrationBody, parseSyncInterval, type IntegrationFlags } from '../integration-body.js';
import type { CommandContext } from '../context.js';
import type { CliIo } from '../output.js';
import { pick, type Column } from '../table.js';
import { addConnectionSettingOptions, addPolicyOptions } from './settings-options.js';
import { emitTemplate } from './template-output.js';

type Row = Record<string, unknown>;

const SYNC_INTERVAL_HELP =
  `seconds between scheduled syncs (${MIN_SYNC_INTERVAL_SECONDS} to ${MAX_SYNC_INTERVAL_SECONDS}), ` +
  "'default' (the server's sync.intervalSeconds) or 'off'";

const INTEGRATION_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'HANDLE', value: (i) => i.handle },
  { header: 'SCOPE', value: (i) => pick(i, 'orgId') ?? 'tenant' },
  { header: 'ROLE NAME', value: (i) => pick(i, 'discovery.roleName', 'roleName') },
  { header: 'EXTERNAL ID', value: (i) => pick(i, 'discovery.externalId', 'externalId') },
  { header: 'REGIONS', value: (i) => pick(i, 'connections.regions', 'regions') },
  { header: 'LAST SYNC', value: (i) => pick(i, 'sync.lastSyncedAt') },
  { header: 'SYNC STATUS', value: (i) => pick(i, 'sync.lastSyncStatus') },
];

/** The interval as the --sync-interval flag spells it, so people read back what they would type. */
function syncIntervalText(seconds: unknown): unknown {
  if (seconds === null) return 'default';
  return seconds === 0 ? 'off' : seconds;
}

/** Prints one integration: the API view with --json, else `key: value` lines with the interval in words. */
function showIntegration(ctx: CommandContext, view: Row): void {
  if (ctx.out.json) return ctx.out.detail(view);
  const sync = view.sync as Row | undefined;
  ctx.out.detail(sync === undefined ? view : { ...view, sync: { ...sync, intervalSeconds: syncIntervalText(sync.intervalSeconds) } });
}

/** Registers the `integration` command group. */
export function registerIntegrationCommands(program: Command, io: CliIo): void {
  const integration = program.command('integration').description('Manage AWS Organization integrations');
  const base = (ctxTenant: string) => `/v1/tenants/${seg(ctxTenant)}/integrations`;

  const create = integration
    .command('create')
    .description('Create an integration (tenant-level, or org-level with --org)')
    .requiredOption('--handle <handle>', 'unique handle across the tenant')
    .requiredOption('--role-name <name>', 'IAM role name of the discovery and member roles')
    .option('--external-id <id>', 'External ID ({owner id}:{8 characters}); generated when omitted')
    .option('--role-arn <arn>', 'discovery role ARN in the management or delegated-admin account')
    .option('--handle-prefix <prefix>', 'prefix for the handles of created connections')
    .option('--permissions <mode>', 'which workspaces may use it: all, specific or none')
    .option('--workspace <workspaceId>', 'workspace for --permissions specific (repeatable)', collectList)
    .option('--sync-interval <seconds|default|off>', SYNC_INTERVAL_HELP, parseSyncInterval)
    .option('--org <orgId>', 'create an org-level integration in this org');
  addPolicyOptions(addConnectionSettingOptions(create)).action(
    clientAction<IntegrationFlags & { org?: string }>(io, async (ctx, o) => {
      const body = integrationBody(o);
      const path = o.org === undefined ? base(await ctx.tenantId()) : `/v1/orgs/${seg(o.org)}/integrations`;
      showIntegration(ctx, await ctx.api.post<Row>(path, body));
    }),
  );

  integration
    .command('list')
    .description('List the integrations of the tenant (including org-level ones)')
    .option('--org <orgId>', 'only the integrations of this org')
    .action(
      clientAction<{ org?: string }>(io, async (ctx, o) => {
        const { items } = await ctx.api.get<{ items: Row[] }>(base(await ctx.tenantId()), { orgId: o.org });
        ctx.out.list(items, INTEGRATION_COLUMNS, 'integrations');
      }),
    );

  integration
    .command('show')
    .description('Show one integration')
    .argument('<ref>', 'integration id or handle')
    .action(
      clientAction(io, async (ctx, _o, [ref]) => {
        showIntegration(ctx, await ctx.api.get<Row>(`${base(await ctx.tenantId())}/${seg(ref ?? '')}`));
      }),
    );

  const update = integration
    .command('update')
    .description('Change handle, handle prefix, credentials, connection settings, permissions or the sync interval')
    .argument('<ref>', 'integration id or handle')
    .option('--handle <handle>', 'new handle')
    .option('--role-name <name>', 'new role name')
    .option('--external-id <id>', 'new External ID')
    .option('--role-arn <arn>', 'new discovery role ARN')
    .option('--handle-prefix <prefix>', 'new handle prefix')
    .option('--no-handle-prefix', 'remove the handle prefix')
    .option('--permissions <mode>', 'all, specific or none')
    .option('--workspace <workspaceId>', 'workspace for --permissions specific (repeatable)', collectList)
    .option('--sync-interval <seconds|default|off>', SYNC_INTERVAL_HELP, parseSyncInterval);
  addPolicyOptions(addConnectionSettingOptions(update)).action(
    clientAction<IntegrationFlags>(io, async (ctx, o, [ref]) => {
      const body = integrationBody(o);
      if (Object.keys(body).length === 0) throw usageError('nothing_to_update', 'give at least one flag to change (see --help)');
      showIntegration(ctx, await ctx.api.patch<Row>(`${base(await ctx.tenantId())}/${seg(ref ?? '')}`, body));
    }),
  );

  integration
    .command('delete')
    .description('Delete an integration and everything it created (cannot be undone)')
    .argument('<ref>', 'integration id or handle')
    .option('--confirm <handle>', "the integration's handle, typed back to confirm")
    .action(
      clientAction<{ confirm?: string }>(io, async (ctx, o, [ref]) => {
        if (o.confirm === undefined) {
          throw usageError('confirmation_required', "deleting cannot be undone: type the integration's handle back with --confirm <handle>", 'confirm');
        }
        const path = `${base(await ctx.tenantId())}/${seg(ref ?? '')}`;
        const result = await ctx.api.delete<Row>(path, { confirm: o.confirm });
        if (ctx.out.json) return ctx.out.writeJson(result ?? { deleted: true, ref });
        ctx.out.text(`Deleted integration ${ref ?? ''}.\n`);
      }),
    );

  integration
    .command('templates')
    .description('Render the onboarding template for an integration')
    .argument('<ref>', 'integration id or handle')
    .requiredOption('--format <format>', `template format: ${TEMPLATE_FORMATS.join(', ')}`)
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--ous <ouIds>', 'StackSet formats: deploy to these OUs (comma-separated) instead of the whole organization')
    .action(
      clientAction<{ format: string; output?: string; ous?: string }>(io, async (ctx, o, [ref]) => {
        const path = `${base(await ctx.tenantId())}/${seg(ref ?? '')}/templates/${seg(o.format)}`;
        await emitTemplate(ctx, path, { format: o.format, ...(o.output === undefined ? {} : { output: o.output }), query: { ous: o.ous } });
      }),
    );
}
