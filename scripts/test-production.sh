#!/usr/bin/env bash
# `npm run test:production`: the API tests of four processes and the two-worker failover on the
# full Temporal server (the compose file's version, built once into .tools/) with PostgreSQL
# persistence and visibility (deploy/temporal/config.yaml), on a throwaway PostgreSQL cluster.
# Ends with the plain line "N passed, M failed on Temporal server V on PostgreSQL".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
bash scripts/ensure.sh
bash scripts/setup-postgres.sh
began=$SECONDS
server_dir=$(bash scripts/setup-temporal-server.sh)
echo "[test:production] Temporal server $(basename "$server_dir") ready in $((SECONDS - began)) s (built once, then cached in .tools/)"
mkdir -p .test-results
report=.test-results/vitest-production.json
rm -f "$report"
status=0
npx vitest run --config vitest.production.config.mts --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
[ -f "$report" ] || { echo "[test:production] vitest wrote no report"; exit 1; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed on Temporal server ${process.argv[2]} on PostgreSQL`);
  if (r.numTotalTests === 0) { console.error("[test:production] no test ran"); process.exit(1); }
' "$report" "$(basename "$server_dir")"
exit "$status"
