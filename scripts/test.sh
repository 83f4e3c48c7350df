#!/usr/bin/env bash
# The one test command (README and .ci/run): install, check types, lint, then every test
# against the embedded database, the local PostgreSQL server and the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

bash scripts/ensure-postgres.sh
bash scripts/ensure-python-clients.sh || echo "warning: python clients unavailable; the independent-client smoke test will say so"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm ci refuses lockfiles written against this registry (it omits other platforms' optional
  # packages), so install from the lockfile with npm install, which keeps its versions.
  npm install --no-audit --no-fund
fi

echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx eslint . --max-warnings 0
# The CLI subprocess tests then run the compiled dist/ that `orglink` runs in production.
echo "== build"; node scripts/build.mjs
echo "== tests"
mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?
# A plain closing line that any CI reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".test-results/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
'
exit $status
