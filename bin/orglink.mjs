#!/usr/bin/env node
// Entry point for the `orglink` command. Runs the compiled JavaScript in dist/ when it was
// built from the sources as they are now (`npm run build`; `npm install` builds it too), and
// otherwise the TypeScript sources through tsx's loader. The loader costs tens of MB and
// seconds of start-up that a long-running server should not pay, and stale JavaScript must
// never run in an edited checkout: hence the fingerprint check (scripts/source-stamp.mjs).
// ORGLINK_FROM_SOURCE=1 forces the sources.
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../scripts/source-stamp.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.ORGLINK_FROM_SOURCE !== '1' && buildIsCurrent(root)) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
