#!/usr/bin/env bash
# Installs the locked dependencies when a fresh clone has none yet, so `npm start` and `npm test` work as the
# first commands on a new machine. A no-op once node_modules matches the lockfile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
fi
