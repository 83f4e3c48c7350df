// Creates an empty PGlite cluster in the directory given as the only argument, then exits.
// Run by pglite-cluster.ts in a short-lived child process: PGlite's initdb needs several
// times the memory of running the database, and that peak should die with this process.
// Plain JavaScript so it runs under bare `node`, whatever loader the parent uses.
import { PGlite } from '@electric-sql/pglite';

const target = process.argv[2];
if (target === undefined || target === '') {
  process.stderr.write('usage: node pglite-initdb-child.mjs <empty directory>\n');
  process.exit(2);
}
const pglite = await PGlite.create({ dataDir: target });
await pglite.close();
process.stdout.write(`${JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
