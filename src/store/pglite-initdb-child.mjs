// Creates an empty PGlite cluster in the directory given as the first argument, then exits;
// the optional second argument is PGlite's start parameters as JSON (the server's settings).
// Run by pglite-cluster.ts in a short-lived child process: PGlite's initdb needs several
// times the memory of running the database, and that peak should die with this process.
// Plain JavaScript so it runs under bare `node`, whatever loader the parent uses.
import { PGlite } from '@electric-sql/pglite';

const target = process.argv[2];
if (target === undefined || target === '') {
  process.stderr.write('usage: node pglite-initdb-child.mjs <empty directory> [start parameters as JSON]\n');
  process.exit(2);
}
const startParams = process.argv[3] === undefined ? undefined : JSON.parse(process.argv[3]);
const pglite = await PGlite.create({ dataDir: target, ...(startParams === undefined ? {} : { startParams }) });
await pglite.close();
process.stdout.write(`${JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
