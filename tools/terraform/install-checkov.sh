#!/usr/bin/env bash
# Installs checkov from PyPI into a virtual environment in the tools cache outside the repository (see
# cacheDir.sh) and prints the binary's path; later runs, from any clone, reuse it.
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
# shellcheck source=cacheDir.sh
source "$(dirname "${BASH_SOURCE[0]}")/cacheDir.sh"
VENV="$TOOLS_CACHE_DIR/checkov-$CHECKOV_VERSION"
BIN="$VENV/bin/checkov"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null || { echo "install-checkov: python3 is required" >&2; exit 1; }

mkdir -p "$TOOLS_CACHE_DIR"
# The cache is shared by every clone: one install at a time, and whoever waited reuses the finished venv.
exec 9>"$VENV.lock"
flock 9
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

started=$SECONDS
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
# The binary is the marker of a finished install: a failed pip install leaves no bin/checkov behind.
"$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2 || { rm -rf "$VENV"; exit 1; }
echo "install-checkov: installed checkov $CHECKOV_VERSION into $VENV in $((SECONDS - started)) s" >&2
echo "$BIN"
