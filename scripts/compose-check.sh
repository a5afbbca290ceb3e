#!/usr/bin/env bash
# Validates a Compose file with compose-go (the library Docker Compose v2 is built on), built once
# from the Go module proxy into .tools/bin. Usage: scripts/compose-check.sh [file]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin/compose-check"
src="$root/tools/compose-check"
if [ ! -x "$bin" ] || [ "$src/go.sum" -nt "$bin" ] || [ "$src/main.go" -nt "$bin" ]; then
  command -v go >/dev/null || { echo "[compose-check] ERROR: Go is missing: install Go 1.23+ to build the Compose validator" >&2; exit 2; }
  echo "[compose-check] building the validator (compose-go, pinned in tools/compose-check/go.mod)" >&2
  mkdir -p "$root/.tools/bin"
  (cd "$src" && CGO_ENABLED=0 go build -o "$bin" .)
fi
exec "$bin" "${1:-$root/docker-compose.yml}"
