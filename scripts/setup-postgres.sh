#!/usr/bin/env bash
# Makes PostgreSQL's server programs (initdb, pg_ctl, postgres) available to the evidence store's
# tests, which start a throwaway cluster per test file (test/helpers/postgres.ts) and remove it
# after. Links them into .tools/postgres/bin (git-ignored); idempotent. Where PostgreSQL is missing
# and this runs as root with apt-get, installs Debian's `postgresql` package, which also creates the
# `postgres` system user the tests run the server as (PostgreSQL refuses to run as root).
# `npm start` does not need any of this: it serves PGlite (src/evidence/pglite-server.ts).
#
#   POSTGRES_BIN_DIR  use the initdb, pg_ctl and postgres in this directory instead
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/postgres/bin"
say() { echo "[setup] $*" >&2; }
fail() { echo "[setup] ERROR: $*" >&2; exit 1; }

# The newest installed PostgreSQL's server programs: Debian keeps them off PATH, per major version.
installed_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && { echo "$dir"; return; }
  done
  if command -v pg_ctl >/dev/null 2>&1; then
    dir=$(dirname "$(realpath "$(command -v pg_ctl)")")
    [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && echo "$dir"
  fi
  return 0
}

if [ -n "${POSTGRES_BIN_DIR:-}" ]; then
  dir=$POSTGRES_BIN_DIR
  for program in initdb pg_ctl postgres; do
    [ -x "$dir/$program" ] || fail "POSTGRES_BIN_DIR=$dir has no executable $program"
  done
  say "using PostgreSQL in $dir"
else
  dir=$(installed_bin_dir)
  if [ -z "$dir" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing PostgreSQL (apt-get install postgresql)"
      apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 ||
        fail "apt-get install postgresql failed (are the Debian mirrors reachable?)"
      dir=$(installed_bin_dir)
      [ -n "$dir" ] || fail "the postgresql package is installed but no initdb, pg_ctl and postgres were found"
    else
      fail "PostgreSQL is missing: the evidence store's tests need it; install it (Debian: sudo apt-get install postgresql) or set POSTGRES_BIN_DIR"
    fi
  fi
fi

mkdir -p "$bin"
for program in initdb pg_ctl postgres; do ln -sf "$dir/$program" "$bin/$program"; done

# As root, the tests run the server as `postgres`; elsewhere as the user running them.
if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || fail "running as root, but there is no 'postgres' system user to run the server as (the Debian package creates it)"
  command -v runuser >/dev/null 2>&1 || fail "running as root, but runuser (util-linux) is missing"
fi
say "ready: $("$bin/postgres" --version)"
