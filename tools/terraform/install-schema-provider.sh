#!/usr/bin/env bash
# Builds the offline AWS provider (tools/terraform/schema-provider: the AWS provider's schema served over the
# plugin protocol, see its main.go) into the tools cache (see cacheDir.sh) and prints a plugin directory for
# `tofu init -plugin-dir`. The schema comes from the provider bindings on the npm registry
# (@cdktn/provider-aws, generated from the provider's own schema), read by schema-provider/extractSchema.ts;
# the Go code from the Go module proxy. The build is keyed by the bindings' version and a hash of the
# provider's sources, so a change to either builds anew and every clone on the machine shares the result.
set -euo pipefail

AWS_BINDINGS_VERSION="${AWS_BINDINGS_VERSION:-25.7.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=cacheDir.sh
source "$HERE/cacheDir.sh"

key="$( (
  echo "$AWS_BINDINGS_VERSION"
  cd "$HERE" && sha256sum install-schema-provider.sh schema-provider/go.mod schema-provider/go.sum \
    schema-provider/*.go schema-provider/extractSchema.ts
) | sha256sum | cut -c1-12)"
DIR="$TOOLS_CACHE_DIR/aws-schema-provider-$AWS_BINDINGS_VERSION-$key"
PLUGINS="$DIR/plugins"

if [[ -f "$DIR/done" ]]; then
  echo "$PLUGINS"
  exit 0
fi
command -v go >/dev/null || { echo "install-schema-provider: the go toolchain is required" >&2; exit 1; }

mkdir -p "$DIR"
# One build at a time per key; whoever waited reuses the finished one.
exec 9>"$DIR.lock"
flock 9
if [[ -f "$DIR/done" ]]; then
  echo "$PLUGINS"
  exit 0
fi

started=$SECONDS
# The bindings tarball (46 MB) is kept apart from the build so that a change to the Go code does not fetch it
# again. Only the generated JavaScript is unpacked: it carries every attribute's name, type and flags.
bindings="$TOOLS_CACHE_DIR/npm/cdktn-provider-aws-$AWS_BINDINGS_VERSION.tgz"
if [[ ! -f "$bindings" ]]; then
  mkdir -p "$(dirname "$bindings")"
  tmp="$(mktemp -d "$(dirname "$bindings")/pack.XXXXXX")"
  (cd "$tmp" && npm pack --silent "@cdktn/provider-aws@$AWS_BINDINGS_VERSION" >/dev/null)
  mv "$tmp"/*.tgz "$bindings"
  rm -rf "$tmp"
fi
src="$DIR/src"
rm -rf "$src" "$PLUGINS"
mkdir -p "$src/bindings"
tar -xzf "$bindings" -C "$src/bindings" --wildcards 'package/package.json' 'package/lib/*.js'
provider_version="$(node -p 'require(process.argv[1]).cdktf.provider.version' "$src/bindings/package/package.json")"

cp "$HERE"/schema-provider/go.mod "$HERE"/schema-provider/go.sum "$HERE"/schema-provider/*.go "$src/"
(cd "$ROOT" && npx --no-install tsx tools/terraform/schema-provider/extractSchema.ts "$src/bindings/package" "$src/schema.json") >&2
schema_done=$SECONDS

# The layout `tofu init -plugin-dir` reads: <host>/<namespace>/<type>/<version>/<os>_<arch>/.
# OpenTofu resolves `hashicorp/aws` on its own registry host.
target="$PLUGINS/registry.opentofu.org/hashicorp/aws/$provider_version/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$target"
(
  cd "$src"
  # Its tests need the extracted schema, so they run here, once per build.
  CGO_ENABLED=0 go test ./... >&2
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$target/terraform-provider-aws_v$provider_version" .
)
rm -rf "$src"
touch "$DIR/done"
echo "install-schema-provider: built the offline AWS provider $provider_version (bindings $AWS_BINDINGS_VERSION) into $DIR in $((SECONDS - started)) s (schema $((schema_done - started)) s)" >&2
echo "$PLUGINS"
