#!/usr/bin/env bash
# Offline `tofu init`, `validate` and `plan` of one Terraform root, with the offline AWS provider
# (install-schema-provider.sh) in place of the registry's:
#   bash tools/terraform/plan.sh <root, relative to terraform/> <out dir> [tofu plan arguments...]
# e.g. `bash tools/terraform/plan.sh environments/dev /tmp/dev` or
#      `bash tools/terraform/plan.sh modules/queue/examples/basic /tmp/queue`.
# Writes <out dir>/plan.json (`tofu show -json` of the saved plan: every planned resource with its resolved
# arguments, computed values unknown) and prints one summary line. The root is planned in a copy of
# terraform/ under <out dir>, so the tree gets no .terraform, lock file or state; an S3 backend is replaced by
# a local one, refresh is off (nothing exists to read) and no credentials are used. The function packages
# the configuration hashes (dist/packages/<app>.zip) are empty stand-in zips, one per app under apps/: what a
# plan checks does not depend on the code inside.
set -euo pipefail

usage() {
  echo "usage: plan.sh <root relative to terraform/> <out dir> [tofu plan arguments...]" >&2
  exit 2
}
[[ $# -ge 2 ]] || usage
root_rel="${1%/}"
out="$2"
shift 2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -d "$ROOT/terraform/$root_rel" ]] || { echo "plan.sh: no directory terraform/$root_rel" >&2; usage; }

export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
tofu="${TOFU:-$(bash "$ROOT/tools/terraform/install-tofu.sh")}"
plugins="${SCHEMA_PROVIDER_PLUGINS:-$(bash "$ROOT/tools/terraform/install-schema-provider.sh")}"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
tree="$out/tree"
rm -rf "$tree"
mkdir -p "$tree/dist/packages"
cp -R "$ROOT/terraform" "$tree/"
# What the configuration reads from outside terraform/: the pipeline contract and the Node runtime setting.
mkdir -p "$tree/libs/contract"
cp "$ROOT/libs/contract/pipeline.json" "$tree/libs/contract/"
cp "$ROOT/.nvmrc" "$tree/"
for app_dir in "$ROOT"/apps/*/; do
  # The smallest valid zip: an end-of-central-directory record and nothing else.
  { printf 'PK\005\006'; head -c 18 /dev/zero; } >"$tree/dist/packages/$(basename "$app_dir").zip"
done
dir="$tree/terraform/$root_rel"
if grep -qs '^  backend "s3"' "$dir"/*.tf; then
  printf 'terraform {\n  backend "local" {\n    path = "%s"\n  }\n}\n' "$out/terraform.tfstate" >"$dir/backend_override.tf"
fi

step() { # <name> <command...>: runs in the root, shows the log only on failure
  local name="$1"
  shift
  if ! (cd "$dir" && TF_DATA_DIR="$out/data" "$@") >"$out/$name.log" 2>&1; then
    cat "$out/$name.log" >&2
    echo "plan.sh: tofu $name of terraform/$root_rel failed" >&2
    exit 1
  fi
}
step init "$tofu" init -input=false -no-color -plugin-dir="$plugins"
step validate "$tofu" validate -no-color
step plan "$tofu" plan -refresh=false -input=false -lock=false -no-color -out="$out/plan.bin" "$@"
(cd "$dir" && TF_DATA_DIR="$out/data" "$tofu" show -json "$out/plan.bin") >"$out/plan.json"
node -e '
const plan = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
const changes = plan.resource_changes ?? [];
const add = changes.filter((c) => c.change.actions.includes("create")).length;
const data = changes.filter((c) => c.mode === "data").length;
const other = changes.filter((c) => c.mode === "managed" && !c.change.actions.includes("create")).length;
if (other !== 0) throw new Error(`${process.argv[2]}: ${other} planned changes other than create on an empty state`);
console.log(`plan.sh: terraform/${process.argv[2]}: validate passed, plan: ${add} to add` + (data ? `, ${data} data sources read at apply` : ""));
' "$out/plan.json" "$root_rel"
