/**
 * Summarizes a V8 .cpuprofile (from list-throughput-raw.ts --cpu-prof): self time by
 * function and by source file, and inclusive time of the sandbox's request-path functions,
 * as shares of the profiled time and as milliseconds per call when the call count is given.
 * Run: node --import tsx packages/sandbox/bench/cpu-profile-summary.ts <file> [calls] [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, callsArg, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [calls] [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const calls = Number(callsArg ?? 0);
const top = Number(topArg ?? 25);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/(packages\/|node_modules\/)/, '$1').replace(/\?.*$/, '');
const label = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const idle = (n: ProfileNode): boolean => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName);

const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const node = byId.get(id)!;
  selfByFunction.set(label(node), (selfByFunction.get(label(node)) ?? 0) + us);
  const where = idle(node) ? node.callFrame.functionName : shortUrl(node.callFrame.url) || '(native)';
  selfByFile.set(where, (selfByFile.get(where) ?? 0) + us);
  // Inclusive time: charge each sample once to every distinct function on its stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = byId.get(at)!.callFrame.functionName;
    if (name && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
}

const row = (name: string, us: number): string =>
  `${((100 * us) / total).toFixed(1).padStart(5)}%  ${calls > 0 ? `${(us / 1000 / calls).toFixed(4)} ms/call  ` : ''}${name}`;
const print = (title: string, map: Map<string, number>, filter: (name: string) => boolean = () => true): void => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].filter(([n]) => filter(n)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(row(name, us));
};
console.log(`profiled ${(total / 1e6).toFixed(2)} s${calls > 0 ? `, ${calls} calls` : ''}`);
print('self time by source file', selfByFile);
print('self time by function', selfByFunction);
const requestPath = /^(serve|readBody|send|write|handleAwsRequest|readSignature|resolveCaller|parseSignature|verifySignature|computeSignature|canonicalRequest|headerMap|routeJson|parseJsonInput|authorize|evaluate|success|jsonBody|randomUUID|record|decide|latencyMs|handler|list.*|page.*|parsePageToken|signToken|writeHead|end|parserOnIncoming|parserOnHeadersComplete|emit)$/;
print('inclusive time of request-path functions', inclusive, (name) => requestPath.test(name));
