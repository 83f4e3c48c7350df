/**
 * V8's heap policy for orglink's long-running processes. By default V8 sizes its heap for
 * the machine's RAM and lets garbage pile up until a limit far above what orglink keeps
 * alive: in the 10,000-account sync benchmark the heap reached 140–185 MB while 40 MB was
 * live. `--optimize-for-size` makes V8 collect sooner; syncs are bound by AWS's rate limits,
 * not CPU, so the extra collections cost nothing that shows (bench/README.md has the figures).
 */
import v8 from 'node:v8';

let applied = false;

/** Applies the configured heap policy (config `runtime.optimizeForSize`); call before the process does real work. */
export function applyProcessMemorySettings(settings: { optimizeForSize: boolean }): void {
  if (applied || !settings.optimizeForSize) return;
  v8.setFlagsFromString('--optimize-for-size');
  applied = true;
}
