/**
 * Benchmark (issue 4 §8): walking a 10,000-account, 1,000-OU organization (depth 5) with the
 * sandbox's AWS-like throttling on, the sandbox in its own process.
 *   - Organizations calls (the sandbox's counters) ÷ minimumWalkCost of the walked tree;
 *   - failed runs out of N walks (a run fails if it throws, is incomplete, or finds another tree);
 *   - wall time ÷ (calls ÷ the sandbox profile's Organizations rate), target ≤ 1.2;
 *   - planMirror of the walked tree against an empty mirror, timed on its own;
 *   - peak RSS of this process;
 *   - a naive sequential SDK walk (ListAccounts + ListParents per account, standard retries)
 *     on the same sandbox, capped and extrapolated: ratio of calls and of wall time.
 * Run: node --import tsx bench/walk-discovery.ts [walks=3] [naiveSeconds=240] [naiveAccounts=2000]
 */
import { createHash } from 'node:crypto';
import { createAwsClientFactory } from '../src/aws/aws-clients.js';
import { createCredentialCache, sessionNameFor } from '../src/aws/credential-cache.js';
import { walkOrganization } from '../src/aws/org-walker.js';
import { createRateLimiter } from '../src/aws/rate-limiter.js';
import { minimumWalkCost, pagesFor } from '../src/aws/walk-cost.js';
import { type DiscoveredTree, sortDiscoveredTree } from '../src/core/mirror/discovered-tree.js';
import { planMirror } from '../src/core/mirror/plan-mirror.js';
import { type BenchRow, log, machineInfo, peakRssMb, printResult, round, secondsSince, verdict } from './bench-report.js';
import { naiveSequentialWalk } from './naive-walk.js';
import { BENCH_ORG, organizationsCounters, startSandboxChild } from './sandbox-child.js';
import { applyProcessMemorySettings } from '../src/cli/process-memory.js';
import { benchConfig } from './bench-store.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The heap policy `orglink serve` and `orglink worker` run with (config runtime.optimizeForSize).
applyProcessMemorySettings(benchConfig.runtime);

const WALKS = Number(process.argv[2] ?? 3);
const NAIVE_SECONDS = Number(process.argv[3] ?? 240);
const NAIVE_ACCOUNTS = Number(process.argv[4] ?? 2000);
const ORG = BENCH_ORG;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number): string => n.toLocaleString('en-US');

function treeFingerprint(tree: DiscoveredTree): string {
  const t = sortDiscoveredTree(tree);
  return createHash('sha256').update(JSON.stringify([t.roots, t.ous, t.accounts])).digest('hex').slice(0, 16);
}

interface WalkRun {
  run: number;
  ok: boolean;
  reason: string | null;
  seconds: number;
  calls: number;
  throttled: number;
  minimum: number;
  limiter: { attempts: number; throttled: number; lowestRate: number };
  sandboxCpuSeconds: number;
}

const machineAtStart = machineInfo();
log(`starting the sandbox child: ${fmt(ORG.accounts)} accounts, ${fmt(ORG.ous)} OUs, depth ${ORG.depth}, AWS-like throttling`);
const sandbox = await startSandboxChild({ ...ORG, throttle: true });
try {
  const throttling = await sandbox.throttling();
  const orgBucket = throttling.buckets.organizations;
  if (!throttling.enabled || orgBucket === undefined) throw new Error('the sandbox child does not throttle Organizations');
  const rate = orgBucket.rate;
  const { info } = sandbox;
  const factory = createAwsClientFactory({
    region: info.region,
    endpoint: info.endpoint,
    credentials: { accessKeyId: info.platform.accessKeyId, secretAccessKey: info.platform.secretAccessKey },
  });
  const cache = createCredentialCache({ sts: factory.sts({ limiter: createRateLimiter({ rate: 50 }) }) });
  const credentials = cache.provider({ roleArn: info.discoveryRoleArn, externalId: info.externalId, sessionName: sessionNameFor('bench') });
  await credentials(); // assume once up front: the walk is what is timed

  const runs: WalkRun[] = [];
  let firstTree: DiscoveredTree | null = null;
  let firstFingerprint: string | null = null;
  for (let run = 1; run <= WALKS; run += 1) {
    await sleep(3_000); // let the sandbox's bucket refill, so every run starts alike
    await sandbox.resetCounters();
    const limiter = createRateLimiter({ rate });
    const cpuBefore = sandbox.cpuSeconds();
    const started = performance.now();
    let tree: DiscoveredTree | null = null;
    let reason: string | null = null;
    try {
      tree = await walkOrganization({
        organizations: factory.organizations({ credentials, limiter }),
        sts: factory.sts({ credentials, limiter }),
        concurrency: 8,
      });
    } catch (error) {
      reason = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    const seconds = secondsSince(started);
    const counters = organizationsCounters(await sandbox.counters());
    const stats = limiter.stats();
    let minimum = 0;
    if (tree !== null) {
      minimum = minimumWalkCost(tree).total;
      const fingerprint = treeFingerprint(tree);
      if (!tree.complete) reason = `incomplete: ${tree.failures.length} failed listing(s), first ${JSON.stringify(tree.failures[0])}`;
      else if (tree.accounts.length !== ORG.accounts || tree.ous.length !== ORG.ous) reason = `found ${tree.accounts.length} accounts, ${tree.ous.length} OUs`;
      else if (firstFingerprint !== null && fingerprint !== firstFingerprint) reason = 'found a different tree than run 1';
      firstFingerprint ??= fingerprint;
      firstTree ??= tree;
    }
    const result: WalkRun = {
      run,
      ok: reason === null,
      reason,
      seconds,
      calls: counters.totals.calls,
      throttled: counters.totals.throttled,
      minimum,
      limiter: { attempts: stats.attempts, throttled: stats.throttled, lowestRate: round(stats.lowestRate, 3) },
      sandboxCpuSeconds: round(sandbox.cpuSeconds() - cpuBefore, 2),
    };
    runs.push(result);
    log(`walk ${run}: ${JSON.stringify(result)}`);
  }
  if (firstTree === null) throw new Error('no walk produced a tree');

  // Plan the first sync's mirror: the walked tree against an empty snapshot.
  const planStarted = performance.now();
  const plan = planMirror({ folders: [], connections: [] }, firstTree, { handlePrefix: 'acme-', takenHandles: { folders: new Set(), connections: new Set() } });
  const planSeconds = secondsSince(planStarted, 3);
  log(`plan: ${plan.ops.length} ops in ${planSeconds} s`);
  const rssAfterWalkAndPlan = peakRssMb();

  // The naive walk, on the same sandbox and credentials, with the SDK's standard retries only.
  await sleep(3_000);
  await sandbox.resetCounters();
  const naiveFactory = createAwsClientFactory({
    region: info.region,
    endpoint: info.endpoint,
    credentials: { accessKeyId: info.platform.accessKeyId, secretAccessKey: info.platform.secretAccessKey },
    retryMode: 'standard',
  });
  log(`naive walk: capped at ${NAIVE_ACCOUNTS} accounts or ${NAIVE_SECONDS} s`);
  const naive = await naiveSequentialWalk({ organizations: naiveFactory.organizations({ credentials }), maxAccounts: NAIVE_ACCOUNTS, maxSeconds: NAIVE_SECONDS });
  const naiveCounters = organizationsCounters(await sandbox.counters());
  log(`naive: ${JSON.stringify(naive)} sandbox ${JSON.stringify(naiveCounters.totals)}`);

  // Extrapolation to the whole organization, from the rates this run measured.
  const succeededWalk = runs.filter((r) => r.ok);
  const walkSeconds = succeededWalk.reduce((s, r) => s + r.seconds, 0) / Math.max(1, succeededWalk.length);
  const walkCalls = succeededWalk.reduce((s, r) => s + r.calls, 0) / Math.max(1, succeededWalk.length);
  const minimum = minimumWalkCost(firstTree).total;
  const naiveNeeded = pagesFor(ORG.accounts) + ORG.accounts; // ListAccounts pages + one ListParents per account
  const naiveSucceeded = naive.listAccountsPages + naive.parentsResolved;
  const attemptsPerCall = naiveCounters.totals.calls / Math.max(1, naiveSucceeded + naive.failedCalls);
  const secondsPerParent = (naive.seconds - naive.listAccountsSeconds) / Math.max(1, naive.parentsAttempted);
  const listSeconds = naive.listAccountsFinished ? naive.listAccountsSeconds : (naive.listAccountsSeconds / Math.max(1, naive.listAccountsPages)) * pagesFor(ORG.accounts);
  const naiveSecondsExtrapolated = listSeconds + secondsPerParent * ORG.accounts;
  const failureShare = naive.failedCalls / Math.max(1, naiveSucceeded + naive.failedCalls);

  const ratios = runs.filter((r) => r.minimum > 0).map((r) => round(r.calls / r.minimum, 3));
  const timeRatios = succeededWalk.map((r) => round(r.seconds / (r.calls / rate), 3));
  const peakRss = peakRssMb();
  const rows: BenchRow[] = [
    {
      metric: 'Organizations calls ÷ minimumWalkCost (sandbox counters, throttled answers included)',
      target: '1.00',
      measured: `${ratios.join(', ')} (calls ${runs.map((r) => fmt(r.calls)).join(', ')}; minimum ${fmt(minimum)}; throttled ${runs.map((r) => r.throttled).join(', ')})`,
      verdict: verdict(ratios.length === runs.length && ratios.every((r) => r <= 1.0)),
    },
    {
      metric: `failed walks out of ${WALKS}`,
      target: '0',
      measured: `${runs.filter((r) => !r.ok).length}${runs.some((r) => !r.ok) ? ` (${runs.filter((r) => !r.ok).map((r) => `run ${r.run}: ${r.reason}`).join('; ')})` : ''}`,
      verdict: verdict(runs.every((r) => r.ok)),
    },
    {
      metric: `walk wall time ÷ (calls ÷ ${rate}/s, the profile's Organizations rate)`,
      target: '≤ 1.2',
      measured: `${timeRatios.join(', ')} (${succeededWalk.map((r) => `${r.seconds} s`).join(', ')})`,
      verdict: verdict(timeRatios.length > 0 && timeRatios.every((r) => r <= 1.2)),
    },
    {
      metric: 'planMirror of the walked tree against an empty mirror (first sync plan)',
      target: 'info',
      measured: `${fmt(plan.ops.length)} ops in ${planSeconds} s`,
      verdict: 'info',
    },
    {
      metric: 'peak RSS of the walking process (3 walks + plan + naive walk)',
      target: '< 300 MB',
      measured: `${peakRss} MB (${rssAfterWalkAndPlan} MB after the walks and the plan); sandbox child ${sandbox.rssMb()} MB, not included`,
      verdict: verdict(peakRss < 300),
    },
    {
      metric: 'naive sequential walk ÷ orglink walk: calls (full org, successful calls)',
      target: 'report',
      measured: `${round(naiveNeeded / minimum, 2)}× (${fmt(naiveNeeded)} vs ${fmt(minimum)}); with retries, extrapolated ${round((naiveNeeded * attemptsPerCall) / walkCalls, 2)}× (${round(attemptsPerCall, 2)} attempts per naive call measured)`,
      verdict: 'info',
    },
    {
      metric: 'naive sequential walk ÷ orglink walk: wall time (naive EXTRAPOLATED from its capped run)',
      target: 'report',
      measured: `${round(naiveSecondsExtrapolated / walkSeconds, 2)}× (≈ ${Math.round(naiveSecondsExtrapolated)} s extrapolated vs ${round(walkSeconds, 1)} s measured)`,
      verdict: 'info',
    },
    {
      metric: 'naive sequential walk: calls that failed after the SDK\'s standard retries',
      target: 'report',
      measured: `${naive.failedCalls} of ${fmt(naiveSucceeded + naive.failedCalls)} (${round(failureShare * 100, 1)} %)${naive.firstFailure ? `; first at call ${naive.firstFailure.call} (${naive.firstFailure.code}): a peer would have stopped there` : ''}`,
      verdict: 'info',
    },
  ];
  printResult({
    benchmark: 'walk-discovery',
    machine: { ...machineAtStart, loadAverage: `${machineAtStart.loadAverage} at start, ${machineInfo().loadAverage} at end` },
    rows,
    details: {
      organization: ORG,
      organizationsRate: rate,
      organizationsBurst: orgBucket.burst,
      runs,
      minimumWalkCost: minimumWalkCost(firstTree),
      plan: { ops: plan.ops.length, counts: plan.counts, seconds: planSeconds },
      naive: { ...naive, sandbox: naiveCounters.totals, byOperation: naiveCounters.byOperation, neededCalls: naiveNeeded, attemptsPerCall: round(attemptsPerCall, 3), secondsPerParent: round(secondsPerParent, 3), secondsExtrapolated: Math.round(naiveSecondsExtrapolated) },
      peakRssMb: peakRss,
    },
  });
} finally {
  await sandbox.stop();
}
