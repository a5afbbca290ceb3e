#!/usr/bin/env bash
# Builds the full Temporal server (`temporal-server`) and its schema tool (`temporal-sql-tool`) at
# the version docker-compose.yml runs, from the Go module proxy, into
# .tools/temporal-server/<version>/ (git-ignored), and copies the version's PostgreSQL schemas
# beside them. Idempotent: a built version is not rebuilt. Prints the directory.
#
# The first build downloads ~300 modules and compiles for several minutes on two cores (README
# "Tests"); later runs take a second. `go.temporal.io/server` has no `replace` directives, so
# `go install …@version` builds it as released. Its go.mod asks for Go 1.26.8: an older local Go
# fetches that toolchain from the module proxy (GOTOOLCHAIN=auto).
set -euo pipefail

# One version everywhere: docker-compose.yml's temporalio/server and admin-tools tags say the same
# (test/compose.test.ts checks it).
TEMPORAL_SERVER_VERSION=1.32.0

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.tools/temporal-server/$TEMPORAL_SERVER_VERSION"
say() { echo "[setup] $*" >&2; }
fail() { echo "[setup] ERROR: $*" >&2; exit 1; }

built() {
  [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ] && [ -f "$dir/schema/postgresql/v12/temporal/schema.sql" ]
}

if ! built; then
  command -v go >/dev/null || fail "Go is missing: install Go (any 1.21+ fetches the 1.26.8 toolchain the server needs) to build the Temporal server"
  say "building Temporal server $TEMPORAL_SERVER_VERSION and temporal-sql-tool from the Go module proxy (several minutes, once)"
  export GOTOOLCHAIN=auto CGO_ENABLED=0
  mkdir -p "$dir"
  GOBIN="$dir" go install "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" >&2
  mv "$dir/server" "$dir/temporal-server"
  mv "$dir/sql" "$dir/temporal-sql-tool"
  module=$(go mod download -json "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -d "$module/schema/postgresql" ] || fail "no PostgreSQL schemas in the downloaded module ($module)"
  rm -rf "$dir/schema" && mkdir -p "$dir/schema" && cp -R "$module/schema/postgresql" "$dir/schema/"
  chmod -R u+w "$dir/schema" # the module cache is read-only; the copy need not be
  built || fail "the build finished but $dir is incomplete"
fi
echo "$dir"
