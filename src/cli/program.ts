/**
 * The `orglink` command tree and the one function that runs it. `runCli` never calls
 * process.exit: it returns the exit code (see exit-codes.ts), so main.ts owns the process.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { SilentExit, toCliError, usageError } from './cli-error.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerConnectionCommands } from './commands/connection.js';
import { registerIntegrationCommands } from './commands/integration.js';
import { registerMemberCommands } from './commands/member.js';
import { registerOrgCommands } from './commands/org.js';
import { registerServerCommands, runSandbox } from './commands/server.js';
import { registerSyncCommands } from './commands/sync.js';
import { registerTreeCommand } from './commands/tree.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerTenantCommands } from './commands/tenant.js';
import { registerWorkspaceCommands } from './commands/workspace.js';
import { DEFAULT_URL } from './context.js';
import { EXIT } from './exit-codes.js';
import { Output, type CliIo } from './output.js';

/** Builds the full command tree writing to `io`; commander errors are thrown, never exit the process. */
export function buildProgram(io: CliIo, options: { jsonErrors?: boolean } = {}): Command {
  const json = options.jsonErrors === true;
  const program = new Command('orglink')
    .description('orglink: connect a platform to its customers\u2019 AWS accounts (thin client of the orglink REST API)')
    .version(readVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // With --json, runCli prints usage errors as JSON instead.
      outputError: (text, write) => (json ? undefined : write(text)),
    })
    .showHelpAfterError(json ? false : '(run with --help for usage)')
    .addOption(new Option('--url <url>', `orglink server URL (env ORGLINK_URL, default ${DEFAULT_URL})`))
    .addOption(new Option('--token <token>', 'API token (env ORGLINK_TOKEN)'))
    .addOption(new Option('--tenant <tenantId>', 'tenant to act in (env ORGLINK_TENANT; optional when you belong to one)'))
    .addOption(new Option('--timeout <ms>', 'HTTP timeout in milliseconds (env ORGLINK_TIMEOUT_MS, default 30000)'))
    .option('--json', 'print stable JSON on stdout (errors as JSON on stderr)');

  registerServerCommands(program, io);
  registerWorkerCommand(program, io);
  registerTenantCommands(program, io);
  registerOrgCommands(program, io);
  registerWorkspaceCommands(program, io);
  registerMemberCommands(program, io);
  registerIntegrationCommands(program, io);
  registerSyncCommands(program, io);
  registerTreeCommand(program, io);
  registerConnectionCommands(program, io);
  registerAuditCommands(program, io);
  return program;
}

/** Runs one CLI invocation (argv without node and script) and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // The sandbox parses its own flags: hand it everything after `sandbox`, untouched.
  if (argv[0] === 'sandbox') return runSandbox(argv.slice(1), io);
  const json = argv.includes('--json');
  const out = new Output(io, json);
  const program = buildProgram(io, { jsonErrors: json });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with exit code 0; every other commander error is a usage error.
      if (error.exitCode === 0) return EXIT.ok;
      if (json) out.error(usageError(commanderCode(error.code), error.message.replace(/^error: /, '')));
      return EXIT.usage;
    }
    if (error instanceof SilentExit) return error.exitCode;
    const cliError = toCliError(error);
    out.error(cliError);
    return cliError.exitCode;
  }
}

/** `commander.unknownOption` → `unknown_option`: stable snake_case codes like the API's. */
function commanderCode(code: string): string {
  return code.replace(/^commander\./, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function readVersion(): string {
  // src/cli/ in the sources, dist/src/cli/ when compiled: the repository's package.json is two or three levels up.
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'orglink') return pkg.version ?? '0.0.0';
    } catch {
      // not here: try the next level
    }
  }
  return '0.0.0';
}
