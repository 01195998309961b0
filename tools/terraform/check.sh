#!/usr/bin/env bash
# Static checks of the Terraform under terraform/, without AWS credentials and without provider downloads:
#   1. OpenTofu (built from its Go module, see install-tofu.sh): `tofu fmt -check -recursive` parses every file
#      and checks formatting; then, per environment, `tofu init -backend=false` against an empty plugin
#      directory loads and decodes the whole module tree (language blocks, module calls, variables and their
#      validation rules, outputs, version constraints) and must stop only at provider installation, the first
#      step that needs the registry. `tofu validate` needs the provider's schema, so it cannot run here.
#      The pipeline's variables.tf is also planned alone with good and bad sizings, to prove its validation
#      rules (parallelization factor 1, aggregator batches, prefixes) fail at plan time with their message.
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

# The pipeline's input rules, evaluated by OpenTofu itself: its variables.tf and sizing.tf alone (no
# resources, so no provider) are planned with each case below, which must pass or fail with the given
# message; the sizing a passing case resolves to is compared too.
step=$SECONDS
mkdir -p "$work/rules"
cp terraform/modules/pipeline/variables.tf terraform/modules/pipeline/sizing.tf "$work/rules/"
cat >"$work/rules/outputs.tf" <<'HCL'
output "sizing" {
  value = { for app, c in local.consumers : app => [c.batch_size, c.maximum_batching_window_in_seconds, c.parallelization_factor] }
}
HCL
(cd "$work/rules" && "$tofu" init -backend=false -input=false -no-color >/dev/null)
sizing() { # <enrichment> <s3-archiver> <dynamodb-aggregator> <opensearch-indexer>: one consumers map
  printf 'environment = "dev"\npackages_dir = "dist/packages"\nconsumers = {\n  enrichment = %s\n  s3-archiver = %s\n  dynamodb-aggregator = %s\n  opensearch-indexer = %s\n}\n' "$@"
}
expect_plan() { # <case> <expected: a JSON sizing {app: [batch, window, factor]} or a piece of the error> <tfvars>
  printf '%s' "$3" >"$work/rules/case.tfvars"
  local out rc
  set +e
  # Nothing but outputs to apply: the state is a file in the scratch directory.
  out="$(cd "$work/rules" && "$tofu" apply -auto-approve -input=false -no-color -var-file=case.tfvars 2>&1 &&
    "$tofu" output -no-color -json sizing)"
  rc=$?
  set -e
  if [[ "$2" == "{"* && $rc -eq 0 ]]; then
    # The last line of the output is the sizing JSON.
    if node -e 'const [a, b] = process.argv.slice(1).map((j) => JSON.stringify(JSON.parse(j), Object.keys(JSON.parse(j)).sort()));
      process.exit(a === b ? 0 : 1)' "$(tail -n1 <<<"$out")" "$2"; then
      return 0
    fi
  fi
  out="$(tr -s ' \n' ' ' <<<"$out")"
  if [[ "$2" != "{"* && $rc -ne 0 && "$out" == *"$2"* ]]; then
    return 0
  fi
  echo "$out" >&2
  echo "check: input rule case '$1' should have given: $2" >&2
  exit 1
}
ok='{}'
defaults='{"enrichment":[500,1,1],"s3-archiver":[500,1,1],"dynamodb-aggregator":[1000,5,1],"opensearch-indexer":[500,1,1]}'
expect_plan "defaults" "$defaults" 'environment = "dev"
packages_dir = "dist/packages"'
expect_plan "every app named, nothing sized" "$defaults" "$(sizing "$ok" "$ok" "$ok" "$ok")"
expect_plan "indexer scaled out, aggregator at 10,000" \
  '{"enrichment":[500,1,1],"s3-archiver":[500,1,1],"dynamodb-aggregator":[10000,5,1],"opensearch-indexer":[500,0,4]}' \
  "$(sizing "$ok" "$ok" '{ batch_size = 10000 }' '{ parallelization_factor = 4, maximum_batching_window_in_seconds = 0 }')"
for app in enrichment s3-archiver dynamodb-aggregator; do
  args=("$ok" "$ok" "$ok" "$ok")
  case $app in
    enrichment) args[0]='{ parallelization_factor = 2 }' ;;
    s3-archiver) args[1]='{ parallelization_factor = 2 }' ;;
    dynamodb-aggregator) args[2]='{ parallelization_factor = 2, batch_size = 1000 }' ;;
  esac
  expect_plan "$app scaled out" "need parallelization_factor 1" "$(sizing "${args[@]}")"
done
expect_plan "aggregator at 500" "dynamodb-aggregator needs batch_size >= 1000" "$(sizing "$ok" "$ok" '{ batch_size = 500 }' "$ok")"
expect_plan "aggregator without a window" "dynamodb-aggregator needs batch_size >= 1000" \
  "$(sizing "$ok" "$ok" '{ batch_size = 1000, maximum_batching_window_in_seconds = 0 }' "$ok")"
expect_plan "batch over the mapping's maximum" "batch_size must be from 100 to 10000" "$(sizing '{ batch_size = 20000 }' "$ok" "$ok" "$ok")"
expect_plan "archive prefix over quarantine overflow" "not under quarantine-overflow/" 'environment = "dev"
packages_dir = "dist/packages"
archive_prefix = "quarantine-overflow/events"'
# The tuning layer npm run tune writes wins over the declared sizing, under the same rules.
expect_plan "tuned over declared" \
  '{"enrichment":[400,1,1],"s3-archiver":[500,1,1],"dynamodb-aggregator":[1000,5,1],"opensearch-indexer":[500,1,3]}' \
  "$(sizing '{ batch_size = 100 }' "$ok" "$ok" "$ok")
tuning = { consumers = { enrichment = { batch_size = 400 }, opensearch-indexer = { parallelization_factor = 3 } } }"
expect_plan "tuned archiver scaled out" "need parallelization_factor 1" 'environment = "dev"
packages_dir = "dist/packages"
tuning = { consumers = { s3-archiver = { parallelization_factor = 2 } } }'
echo "check: the pipeline's input rules held in 12 cases ($((SECONDS - step)) s)"

step=$SECONDS
"$checkov" --directory terraform --framework terraform --quiet --compact --download-external-modules false \
  --skip-download --output cli
echo "check: checkov passed ($((SECONDS - step)) s)"
echo "check: all Terraform checks passed in $((SECONDS - started)) s"
