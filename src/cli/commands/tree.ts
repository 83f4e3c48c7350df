/** `orglink tree <integration>`: the mirror of an integration, indented for people or as JSON for scripts. */
import type { Command } from 'commander';
import { clientAction, seg } from '../command-helpers.js';
import type { CliIo } from '../output.js';
import { renderTree } from './sync-render.js';

/** Registers the `tree` command. */
export function registerTreeCommand(program: Command, io: CliIo): void {
  program
    .command('tree')
    .description("Show an integration's mirror: folders with health counts, connections with state and health")
    .argument('<integration>', 'integration id or handle')
    .action(
      clientAction(io, async (ctx, _o, [ref]) => {
        const tree = await ctx.api.get<{ nodes: Array<Record<string, unknown>> }>(`/v1/tenants/${seg(await ctx.tenantId())}/integrations/${seg(ref ?? '')}/tree`);
        if (ctx.out.json) return ctx.out.writeJson(tree);
        ctx.out.text(renderTree(tree.nodes));
      }),
    );
}
