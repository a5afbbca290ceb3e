#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need on a fresh machine: Node packages (from the
# lock file) and the pinned Temporal binaries. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/@temporalio/worker ]; then
  echo "[setup] installing Node packages" >&2
  # `npm ci`: exactly the lock file's versions, and it fails rather than change the lock.
  npm ci --no-audit --no-fund >&2
fi
bash scripts/setup-temporal.sh
