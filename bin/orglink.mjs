#!/usr/bin/env node
// Entry point for the `orglink` command. The TypeScript sources run through tsx's loader,
// so a fresh clone needs only `npm ci` — there is no separate build step.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/cli/main.ts');
