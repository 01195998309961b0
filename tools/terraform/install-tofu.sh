#!/usr/bin/env bash
# Builds OpenTofu from its Go module (served by the Go module proxy) into the tools cache outside the
# repository (see cacheDir.sh) and prints the binary's path; later runs, from any clone, reuse the build.
# No release binaries are downloaded: the module is fetched with `go mod download` and built as the main
# module, which is required because its go.mod carries a replace directive (a fork of hcl/v2) that
# `go install pkg@version` refuses.
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
# shellcheck source=cacheDir.sh
source "$(dirname "${BASH_SOURCE[0]}")/cacheDir.sh"
DIR="$TOOLS_CACHE_DIR/tofu-$TOFU_VERSION"
BIN="$DIR/tofu"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { echo "install-tofu: the go toolchain is required" >&2; exit 1; }

mkdir -p "$DIR"
# The cache is shared by every clone: one build at a time, and whoever waited reuses the finished binary.
exec 9>"$DIR.lock"
flock 9
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

started=$SECONDS
module_dir="$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$module_dir" ]] || { echo "install-tofu: go mod download gave no directory" >&2; exit 1; }

# The module cache is read-only; build from a writable copy.
src="$DIR/src"
rm -rf "$src"
mkdir -p "$src"
cp -R "$module_dir/." "$src/"
chmod -R u+w "$src"
(
  cd "$src"
  GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$BIN.tmp" ./cmd/tofu
)
mv "$BIN.tmp" "$BIN"
rm -rf "$src"
echo "install-tofu: built OpenTofu $TOFU_VERSION into $DIR in $((SECONDS - started)) s" >&2
echo "$BIN"
