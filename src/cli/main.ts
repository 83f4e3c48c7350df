/**
 * Process entry of the `orglink` command (bin/orglink.mjs imports this through tsx).
 * Everything else is in program.ts; this file only binds it to the real process.
 */
import { runCli } from './program.js';

// `orglink ... | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
// Exit explicitly: an idle keep-alive socket from fetch must not hold a finished command open.
// stdout/stderr writes to pipes and files are synchronous on Linux, so nothing is lost.
process.exit(code);
