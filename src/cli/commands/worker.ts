/**
 * `orglink worker`: a sync worker on the shared PostgreSQL database. Run as many as you
 * like on as many machines as you like; the queue gives each job to exactly one of them
 * and never runs two syncs of one integration at once. `--scheduler` also queues the
 * periodic reconciles (several schedulers are safe). Timings come from the config's `jobs`
 * section; the flags override it. Runs until SIGINT/SIGTERM, then lets the syncs in hand
 * finish. The heavy modules load only when the command runs.
 */
import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { Output, type CliIo } from '../output.js';
import { listenForShutdown } from '../shutdown-signal.js';

/** The flags of `orglink worker`, as commander hands them over. */
export interface WorkerFlags {
  databaseUrl?: string;
  config?: string;
  concurrency?: string;
  scheduler?: boolean;
  tickSeconds?: string;
  jobExpireSeconds?: string;
  jobRetryDelaySeconds?: string;
  jobRetryLimit?: string;
  maintenanceSeconds?: string;
  pollSeconds?: string;
  shutdownTimeoutSeconds?: string;
}

/** Registers `worker`. */
export function registerWorkerCommand(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description('Run sync jobs from the shared PostgreSQL database (needs DATABASE_URL); run any number of them')
    .option('--database-url <url>', 'PostgreSQL server (env DATABASE_URL; required)')
    .option('--config <file>', 'YAML or JSON config file (env ORGLINK_CONFIG)')
    .option('--concurrency <n>', 'syncs this process runs at once (env ORGLINK_JOBS_CONCURRENCY, default 2)')
    .option('--scheduler', 'also queue the periodic reconciles (sync.intervalSeconds)')
    .option('--tick-seconds <s>', 'how often the scheduler looks for due integrations (env ORGLINK_JOBS_TICK_SECONDS, default 30)')
    .option('--job-expire-seconds <s>', 'a sync job still running after this long counts as dead and is retried (env ORGLINK_JOBS_EXPIRE_SECONDS, default 900)')
    .option('--job-retry-delay-seconds <s>', 'wait before retrying a failed or expired job (env ORGLINK_JOBS_RETRY_DELAY_SECONDS, default 30)')
    .option('--job-retry-limit <n>', 'retries of a failed or expired job (env ORGLINK_JOBS_RETRY_LIMIT, default 3)')
    .option('--maintenance-seconds <s>', 'how often to look for expired jobs of dead workers (env ORGLINK_JOBS_MAINTENANCE_SECONDS, default 60)')
    .option('--poll-seconds <s>', 'how often an idle worker looks for a job (env ORGLINK_JOBS_POLL_SECONDS, default 2)')
    .option('--shutdown-timeout-seconds <s>', 'on SIGINT/SIGTERM, wait this long for running syncs (env ORGLINK_JOBS_SHUTDOWN_TIMEOUT_SECONDS, default 30)')
    .action(async (flags: WorkerFlags, command: Command) => {
      const out = new Output(io, command.optsWithGlobals<{ json?: boolean }>().json === true);
      // Listen first: a signal during start-up must stop the worker cleanly, not kill it.
      const shutdown = listenForShutdown();
      const { startWorkerProcess } = await import('./worker-runner.js');
      let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
      try {
        worker = await startWorkerProcess({ env: io.env, flags });
      } catch (error) {
        shutdown.dispose();
        throw error;
      }
      const ready = { pid: process.pid, concurrency: worker.concurrency, scheduler: worker.scheduler, database: worker.database };
      if (out.json) out.writeJson({ ready: true, ...ready });
      else io.stdout.write(`orglink worker ${process.pid} running: ${worker.concurrency} sync(s) at once, scheduler ${worker.scheduler ? 'on' : 'off'}, ${worker.database}\n`);
      const signal = await shutdown.signal;
      out.note(`${signal}: finishing the syncs in hand, then stopping`);
      await worker.close();
    });
}

/** A positive integer flag, or a usage error naming it. */
export function integerFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw usageError('invalid_flag_value', `--${flag} must be an integer of at least ${min}, got '${value}'`, flag);
  }
  return Number(value);
}
