#!/usr/bin/env bash
# `npm start`: installs what is missing, then runs the supervisor (src/main.ts) on the project's Node.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
bash scripts/ensure.sh
exec npx tsx src/main.ts "$@"
