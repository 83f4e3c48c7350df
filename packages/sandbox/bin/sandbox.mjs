#!/usr/bin/env node
// Entry point for `orglink-sandbox`. The TypeScript sources run through tsx's loader,
// so there is no build step.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { runSandboxCli } = await import('../src/cli.ts');
process.exitCode = await runSandboxCli(process.argv.slice(2));
