#!/usr/bin/env bash
# Installs checkov from PyPI into a virtual environment under the tools cache and prints the binary's path.
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${SHARDLINE_TOOLS_CACHE:-$ROOT/.cache/tools}"
VENV="$CACHE_DIR/checkov-$CHECKOV_VERSION"
BIN="$VENV/bin/checkov"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "install-checkov: python3 is required" >&2; exit 1; }

started=$SECONDS
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2
echo "install-checkov: installed checkov $CHECKOV_VERSION in $((SECONDS - started)) s" >&2
echo "$BIN"
