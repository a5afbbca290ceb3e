#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need on a fresh machine: Node packages (from the
# lock file), the pinned Temporal binaries and, with --browser, Chromium. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/@temporalio/worker ]; then
  echo "[setup] installing Node packages" >&2
  # `npm ci`: exactly the lock file's versions, and it fails rather than change the lock.
  npm ci --no-audit --no-fund >&2
fi
bash scripts/setup-temporal.sh
# `--browser` (npm test): the Web UI test drives a real Chromium, Debian's package (puppeteer-core
# never downloads one). `npm start` does not need it.
if [ "${1:-}" = --browser ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] installing Chromium (apt-get install chromium)" >&2
    apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2
  else
    echo "[setup] Chromium is missing: the Web UI test needs it; install it (Debian: sudo apt-get install chromium)" >&2
    exit 1
  fi
fi
