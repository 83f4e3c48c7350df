import { defineConfig } from 'vitest/config';

// One runner for unit, integration and end-to-end tests. Integration suites start their
// own sandbox and databases, so they get generous timeouts; forks isolate PGlite's WASM heap.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
