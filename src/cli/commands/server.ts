/**
 * `orglink serve`, `orglink demo` and `orglink sandbox`: the commands that run things
 * in-process instead of calling a server. Their heavy modules (Fastify, PGlite, the
 * sandbox) are imported only when one of them runs, so client commands start fast.
 */
import type { Command } from 'commander';
import { SilentExit } from '../cli-error.js';
import { Output, type CliIo } from '../output.js';
import { listenForShutdown } from '../shutdown-signal.js';
import { ensureTypeScriptLoader } from '../typescript-loader.js';

/** Registers `serve`, `demo` and `sandbox`. */
export function registerServerCommands(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the orglink API server (embedded database in ./.orglink unless DATABASE_URL is set)')
    .option('--data-dir <dir>', 'embedded database directory (env ORGLINK_DATA_DIR, default ./.orglink)')
    .option('--database-url <url>', 'PostgreSQL server instead of the embedded database (env DATABASE_URL)')
    .option('--host <host>', 'listen address (env ORGLINK_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (env ORGLINK_PORT, default 7480)')
    .option('--config <file>', 'YAML or JSON config file (env ORGLINK_CONFIG)')
    .action(async (options: { dataDir?: string; databaseUrl?: string; host?: string; port?: string; config?: string }, command: Command) => {
      const out = new Output(io, command.optsWithGlobals<{ json?: boolean }>().json === true);
      // Listen before printing anything: a script may send SIGTERM as soon as it reads the URL.
      const shutdown = listenForShutdown();
      const { startService } = await import('../service-runner.js');
      const service = await startService({ env: io.env, flags: options }).catch((error: unknown) => {
        shutdown.dispose();
        throw error;
      });
      const { config } = service.runtime;
      const database = service.store.dialect === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
      const adminToken = service.bootstrap.generatedToken;
      if (out.json) {
        out.writeJson({ url: service.url, database: service.store.dialect, ...(adminToken === undefined ? {} : { adminToken }) });
      } else {
        io.stdout.write(`orglink listening on ${service.url} (${database}); API docs at ${service.url}/docs\n`);
        if (adminToken !== undefined) {
          io.stdout.write(
            `\nA bootstrap admin token was generated. It is shown this once and only its hash is stored:\n\n` +
              `  export ORGLINK_TOKEN=${adminToken}\n\n`,
          );
        }
      }
      const signal = await shutdown.signal;
      out.note(`${signal}: shutting down`);
      await service.close();
    });

  program
    .command('demo')
    .description('Run the server with a sandbox AWS Organization and example data (idempotent)')
    .option('--data-dir <dir>', 'embedded database directory (default ./.orglink)')
    .option('--host <host>', 'listen address (default 127.0.0.1)')
    .option('--port <port>', 'listen port (default 7480)')
    .action(async (options: { dataDir?: string; host?: string; port?: string }, command: Command) => {
      const out = new Output(io, command.optsWithGlobals<{ json?: boolean }>().json === true);
      const shutdown = listenForShutdown();
      out.note('Starting orglink and the sandbox AWS Organization...');
      await ensureTypeScriptLoader();
      const { startDemo, renderDemoSummary } = await import('../demo-runner.js');
      const demo = await startDemo({ env: io.env, ...options }).catch((error: unknown) => {
        shutdown.dispose();
        throw error;
      });
      if (out.json) out.writeJson(demo.summary);
      else io.stdout.write(renderDemoSummary(demo.summary));
      const signal = await shutdown.signal;
      out.note(`${signal}: shutting down (the sandbox state is saved in the data dir)`);
      await demo.close();
    });

  program
    .command('sandbox')
    .description('Run the sandbox AWS (same as orglink-sandbox; see `orglink sandbox --help`)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]', 'arguments for the sandbox')
    .action(async (args: string[]) => {
      const code = await runSandbox(args, io);
      if (code !== 0) throw new SilentExit(code);
    });
}

/** Delegates to @orglink/sandbox's CLI; resolves with its exit code. */
export async function runSandbox(args: string[], io: CliIo): Promise<number> {
  await ensureTypeScriptLoader();
  const { runSandboxCli } = await import('@orglink/sandbox');
  return runSandboxCli(args, { stdout: io.stdout, stderr: io.stderr });
}
