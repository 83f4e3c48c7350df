/**
 * `orglink integration sync|test|runs|approve`: run a sync (queued, or followed with a
 * progress bar), test the connection, list runs, approve a run held by the delete guard.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { CliError, SilentExit, usageError } from '../cli-error.js';
import { clientAction, parseInteger, seg } from '../command-helpers.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../output.js';
import type { Column } from '../table.js';
import { formatHealthCounts, renderCheck, renderSyncResult } from './sync-render.js';
import { postNdjson } from './sync-stream.js';

type Row = Record<string, unknown>;

interface SyncFlags {
  dryRun?: boolean;
  autoApprove?: boolean;
  wait?: boolean;
}

const RUN_COLUMNS: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'TRIGGER', value: (r) => r.trigger },
  { header: 'STATUS', value: (r) => r.status },
  { header: 'CREATED', value: (r) => r.createdAt },
  { header: 'FINISHED', value: (r) => r.finishedAt },
  { header: 'CHANGES', value: (r) => changes(r) },
  { header: 'HEALTH', value: (r) => formatHealthCounts(((r.summary as Row | null)?.health as Row | undefined)?.counts) },
  { header: 'ERROR', value: (r) => (r.error as Row | null)?.code },
];

function changes(run: Row): string {
  const counts = ((run.summary as Row | null)?.counts ?? {}) as Record<string, number>;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return run.summary === null || run.summary === undefined ? '-' : String(total);
}

/** Progress for people: a bar on a terminal, plain phase lines otherwise; nothing with --json. */
class ProgressView {
  readonly #bar: cliProgress.SingleBar | null;
  #phase = '';
  #started = false;
  #last = '';

  constructor(private readonly io: CliIo, private readonly enabled: boolean) {
    const stream = io.stderr as unknown as NodeJS.WriteStream;
    this.#bar = enabled && stream.isTTY === true ? new cliProgress.SingleBar({ stream, format: ' {phase} [{bar}] {value}/{total} {message}', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  }

  update(event: Row): void {
    if (!this.enabled) return;
    const phase = String(event.phase);
    const message = String(event.message ?? '');
    const walk = event.walk as Row | undefined;
    const probe = event.probe as Row | undefined;
    const done = Number(walk?.listingsDone ?? probe?.done ?? 0);
    const total = Number(walk?.listingsQueued ?? probe?.total ?? 0);
    if (this.#bar !== null) {
      if (!this.#started) {
        this.#bar.start(Math.max(total, 1), done, { phase, message });
        this.#started = true;
      }
      this.#bar.setTotal(Math.max(total, 1));
      this.#bar.update(done, { phase, message });
      return;
    }
    if (phase !== this.#phase) {
      if (this.#last !== '') this.io.stderr.write(`  ${this.#last}\n`);
      this.io.stderr.write(`${phase}: ${message}\n`);
      this.#phase = phase;
      this.#last = '';
    } else {
      this.#last = message;
    }
  }

  stop(): void {
    if (this.#bar !== null && this.#started) this.#bar.stop();
    else if (this.enabled && this.#last !== '') this.io.stderr.write(`  ${this.#last}\n`);
  }
}

async function runSync(ctx: CommandContext, io: CliIo, ref: string, flags: SyncFlags): Promise<void> {
  const path = `/v1/tenants/${seg(await ctx.tenantId())}/integrations/${seg(ref)}/sync`;
  const body = { dryRun: flags.dryRun === true, autoApprove: flags.autoApprove === true };
  let result: Row | null = null;
  if (flags.wait === true) {
    const progress = new ProgressView(io, !ctx.out.json);
    try {
      await postNdjson(ctx.globals, path, { ...body, wait: true }, (line) => {
        if (line.type === 'progress') progress.update(line);
        else if (line.type === 'result') result = line;
        else if (line.type === 'error') throw streamError(line);
      });
    } finally {
      progress.stop();
    }
  } else {
    result = await ctx.api.post<Row>(path, body);
  }
  const final = (result ?? {}) as Row;
  const run = (final.run ?? {}) as Row;
  const plan = (final.plan ?? null) as Row | null;
  if (ctx.out.json) ctx.out.writeJson({ run, plan });
  else if (run.status === 'queued') ctx.out.text(`Sync queued: run ${String(run.id)}. Follow it with: orglink integration runs ${ref}\n`);
  else ctx.out.text(renderSyncResult(run, plan));
  if (run.status === 'failed') throw new SilentExit(EXIT.upstream);
}

/** An error line of the stream (the sync could not run) as the CLI's error. */
function streamError(line: Row): CliError {
  const error = (line.error ?? {}) as Row;
  const code = String(error.code ?? 'sync_failed');
  return new CliError(code === 'sync_in_progress' ? EXIT.conflict : EXIT.upstream, { code, message: String(error.message ?? 'the sync failed') });
}

/** Registers the sync commands under the existing `integration` group (created if absent). */
export function registerSyncCommands(program: Command, io: CliIo): void {
  const integration = program.commands.find((c) => c.name() === 'integration') ?? program.command('integration').description('Manage AWS Organization integrations');
  const base = async (ctx: CommandContext, ref: string) => `/v1/tenants/${seg(await ctx.tenantId())}/integrations/${seg(ref)}`;

  integration
    .command('sync')
    .description('Discover the organization and update the mirror (plan, then apply)')
    .argument('<handle>', 'integration id or handle')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--auto-approve', 'apply even when the plan deletes more than the guard allows')
    .option('--wait', 'run now and show progress until it ends')
    .action(clientAction<SyncFlags>(io, async (ctx, o, [ref]) => runSync(ctx, io, ref ?? '', o)));

  integration
    .command('test')
    .description('Test Connection: platform principal, discovery role, listing, a sample of member roles')
    .argument('<handle>', 'integration id or handle')
    .action(
      clientAction(io, async (ctx, _o, [ref]) => {
        const result = await ctx.api.post<Row>(`${await base(ctx, ref ?? '')}/test`, {});
        if (ctx.out.json) ctx.out.writeJson(result);
        else ctx.out.text(renderCheck(result));
        if (result.ok !== true) throw new SilentExit(EXIT.upstream);
      }),
    );

  integration
    .command('runs')
    .description("List an integration's sync runs, newest first")
    .argument('<handle>', 'integration id or handle')
    .option('--limit <n>', 'how many (default 50, at most 200)', parseInteger)
    .action(
      clientAction<{ limit?: number }>(io, async (ctx, o, [ref]) => {
        const { items } = await ctx.api.get<{ items: Row[] }>(`${await base(ctx, ref ?? '')}/sync-runs`, { limit: o.limit });
        ctx.out.list(items, RUN_COLUMNS, 'sync runs');
      }),
    );

  integration
    .command('approve')
    .description('Approve a run held by the delete guard (orglink discovers again and applies if the deletions are the approved ones)')
    .argument('<handle>', 'integration id or handle')
    .argument('<runId>', 'the run awaiting approval (sr_...)')
    .action(
      clientAction(io, async (ctx, _o, [ref, runId]) => {
        const tenant = seg(await ctx.tenantId());
        const integration = await ctx.api.get<Row>(await base(ctx, ref ?? ''));
        const run = await ctx.api.get<Row>(`/v1/tenants/${tenant}/sync-runs/${seg(runId ?? '')}`);
        if (run.integrationId !== integration.id) {
          throw usageError('sync_run_of_other_integration', `run ${runId ?? ''} belongs to another integration than ${ref ?? ''}`, 'runId');
        }
        const result = await ctx.api.post<Row>(`/v1/tenants/${tenant}/sync-runs/${seg(runId ?? '')}/approve`, {});
        const approved = (result.run ?? {}) as Row;
        if (ctx.out.json) ctx.out.writeJson(result);
        else ctx.out.text(renderSyncResult(approved, null));
        if (approved.status === 'failed') throw new SilentExit(EXIT.upstream);
      }),
    );
}
