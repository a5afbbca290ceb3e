#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need on a fresh machine: Node packages (from the
# lock file) and the pinned Temporal binaries. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/@temporalio/worker ]; then
  echo "[setup] installing Node packages" >&2
  # `npm install`, not `npm ci`: the registry here lacks some other platforms' optional
  # @swc/core builds, which `npm ci` insists on; install still follows the lock file.
  npm install --no-audit --no-fund >&2
fi
bash scripts/setup-temporal.sh
