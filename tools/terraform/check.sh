#!/usr/bin/env bash
# Static checks of the Terraform under terraform/, without AWS credentials and without provider downloads:
#   1. OpenTofu (built from its Go module, see install-tofu.sh): `tofu fmt -check -recursive` parses every file
#      and checks formatting; then, per environment, `tofu init -backend=false` against an empty plugin
#      directory loads and decodes the whole module tree (language blocks, module calls, variables and their
#      validation rules, outputs, version constraints) and must stop only at provider installation, the first
#      step that needs the registry. `tofu validate` needs the provider's schema, so it cannot run here.
#   2. checkov (from PyPI, see install-checkov.sh) over terraform/: zero failed checks; every skip is an
#      inline `#checkov:skip=ID:reason` beside the resource.
# The wiring (apps, streams, handlers, IAM, references) is checked by the Jest tests of the terraform project.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
started=$SECONDS

# A missing ~/.terraformrc makes OpenTofu warn on every command; an empty configuration is what we mean.
export TF_CLI_CONFIG_FILE=/dev/null
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1

tofu="$(bash tools/terraform/install-tofu.sh)"
checkov="$(bash tools/terraform/install-checkov.sh)"
echo "check: tools ready in $((SECONDS - started)) s ($("$tofu" version | head -n1))"

step=$SECONDS
"$tofu" fmt -check -recursive -diff terraform
echo "check: tofu fmt -check passed ($((SECONDS - step)) s)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/empty-plugins"
for env_dir in terraform/environments/*/; do
  env_name="$(basename "$env_dir")"
  # TF_DATA_DIR keeps .terraform out of the tree.
  log="$work/$env_name.init.log"
  set +e
  (cd "$ROOT/$env_dir" && TF_DATA_DIR="$work/$env_name.data" "$tofu" init -backend=false -input=false -no-color \
    -plugin-dir="$work/empty-plugins") >"$log" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 ]] || ! grep -q 'Failed to query available provider packages' "$log" ||
    [[ $(grep -c '^Error: ' "$log") -ne 1 ]] || ! grep -q '^Initializing provider plugins' "$log"; then
    cat "$log"
    echo "check: tofu init of $env_name failed before provider installation" >&2
    exit 1
  fi
  modules=$(grep -c '^- pipeline' "$log")
  echo "check: tofu init -backend=false loaded $env_name with $modules module calls; stopped at provider installation as expected"
done

step=$SECONDS
"$checkov" --directory terraform --framework terraform --quiet --compact --download-external-modules false \
  --skip-download --output cli
echo "check: checkov passed ($((SECONDS - step)) s)"
echo "check: all Terraform checks passed in $((SECONDS - started)) s"
