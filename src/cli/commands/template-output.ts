/** Downloads a rendered template and sends it to stdout or a file (shared by integrations and connections). */
import { writeFile } from 'node:fs/promises';
import type { CommandContext } from '../context.js';

/** GETs the template at `path` and prints it byte for byte, or writes it to `output`. */
export async function emitTemplate(
  ctx: CommandContext,
  path: string,
  options: { format: string; output?: string; query?: Record<string, string | undefined> },
): Promise<void> {
  const content = await ctx.api.getText(path, options.query);
  if (options.output !== undefined) {
    await writeFile(options.output, content);
    if (ctx.out.json) return ctx.out.writeJson({ format: options.format, output: options.output, bytes: Buffer.byteLength(content) });
    ctx.out.note(`Wrote the ${options.format} template to ${options.output}.`);
    return;
  }
  if (ctx.out.json) return ctx.out.writeJson({ format: options.format, content });
  ctx.out.text(content);
}
