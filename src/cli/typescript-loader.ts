/**
 * The sandbox package ships TypeScript sources only. When orglink itself runs as compiled
 * JavaScript (dist/), the commands that need the sandbox (`demo`, `sandbox`) register tsx's
 * loader just before loading it, so the server's own start never pays for the loader.
 */
let registered = false;

/** Makes `import('@orglink/sandbox')` work in this process, compiled or not. */
export async function ensureTypeScriptLoader(): Promise<void> {
  // Running from the sources: bin/orglink.mjs (or vitest) already transforms TypeScript.
  if (registered || import.meta.url.endsWith('.ts')) return;
  const { register } = await import('tsx/esm/api');
  register();
  registered = true;
}
