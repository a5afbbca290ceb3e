#!/usr/bin/env bash
# `npm test`: installs the pinned Temporal binaries if needed, checks types and lint, runs every
# test, and ends with the plain line "N passed, M failed". Fails when a test fails or none ran.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
echo "[test] Node $(node --version)"
bash scripts/ensure.sh --browser
# The evidence store runs its tests on PGlite and on a throwaway PostgreSQL cluster.
bash scripts/setup-postgres.sh
echo "[test] type check"; npx tsc -p tsconfig.json --noEmit
echo "[test] lint"; npx eslint .
echo "[test] format (Prettier, 120 columns; npm run format fixes it)"; npx prettier --check . --log-level warn
mkdir -p .test-results
report=.test-results/vitest.json
rm -f "$report"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
[ -f "$report" ] || { echo "[test] vitest wrote no report"; exit 1; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (r.numTotalTests === 0) { console.error("[test] no test ran"); process.exit(1); }
' "$report"
exit "$status"
