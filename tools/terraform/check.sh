#!/usr/bin/env bash
# Checks of the Terraform under terraform/, without AWS credentials and without provider downloads:
#   1. OpenTofu (built from its Go module, see install-tofu.sh): `tofu fmt -check -recursive` parses every file
#      and checks formatting.
#   2. `tofu validate` and `tofu plan` of both environments and of every module's example, with the offline
#      AWS provider (install-schema-provider.sh: the provider's schema, from its published bindings, served
#      over the plugin protocol; plan.sh runs one root). Validate checks every argument's name, type and
#      presence, every block's nesting and every reference; the plan evaluates every expression, count,
#      for_each, function call (filebase64sha256, jsonencode, ...), variable rule and precondition, with
#      computed values unknown. A self-test first proves that broken configurations fail validate.
#      The pipeline's variables.tf is also planned alone with good and bad sizings, to prove its validation
#      rules (parallelization factor 1, aggregator batches, prefixes) fail at plan time with their message.
#   3. checkov (from PyPI, see install-checkov.sh) over terraform/: zero failed checks; every skip is an
#      inline `#checkov:skip=ID:reason` beside the resource.
# What the offline plan cannot catch is listed in terraform/README.md. The wiring (apps, streams, handlers,
# IAM, references) is also checked by the Jest tests of the terraform project.
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

# validate and plan of every root, with the offline AWS provider (see install-schema-provider.sh).
step=$SECONDS
plugins="$(bash tools/terraform/install-schema-provider.sh)"
export TOFU="$tofu" SCHEMA_PROVIDER_PLUGINS="$plugins"
echo "check: offline AWS provider ready in $((SECONDS - step)) s"

# A configuration the schema rejects must fail validate with OpenTofu's own message: each case replaces
# main.tf of one scratch root; the first case is valid, so the others fail for their fault alone.
step=$SECONDS
mkdir -p "$work/broken"
cat >"$work/broken/versions.tf" <<'HCL'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}
HCL
(cd "$work/broken" && TF_DATA_DIR="$work/broken.data" "$tofu" init -input=false -no-color -plugin-dir="$plugins" >/dev/null)
expect_validate() { # <case> <expected: "valid" or a piece of the error> <main.tf>
  printf '%s\n' "$3" >"$work/broken/main.tf"
  local out rc
  set +e
  out="$(cd "$work/broken" && TF_DATA_DIR="$work/broken.data" "$tofu" validate -no-color 2>&1)"
  rc=$?
  set -e
  out="$(tr -s ' \n' ' ' <<<"$out")"
  if [[ ("$2" == valid && $rc -eq 0) || ("$2" != valid && $rc -ne 0 && "$out" == *"$2"*) ]]; then
    return 0
  fi
  echo "$out" >&2
  echo "check: validate case '$1' should have given: $2" >&2
  exit 1
}
lambda='resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/f"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "f.zip"'
expect_validate "a valid function and queue" valid "$lambda
  environment {
    variables = { QUEUE_URL = aws_sqs_queue.q.url }
  }
}
resource \"aws_sqs_queue\" \"q\" {
  delay_seconds = 5
}"
expect_validate "unknown argument" 'An argument named "nmae" is not expected here' \
  'resource "aws_sqs_queue" "q" { nmae = "q" }'
expect_validate "wrong type" 'Inappropriate value for attribute "delay_seconds": a number is required' \
  'resource "aws_sqs_queue" "q" { delay_seconds = "soon" }'
expect_validate "missing required argument" 'The argument "function_name" is required' \
  "$(sed '/function_name/d' <<<"$lambda")
}"
expect_validate "unknown nested argument" 'An argument named "varibles" is not expected here' "$lambda
  environment { varibles = {} }
}"
expect_validate "block given twice where one is allowed" 'Too many environment blocks' "$lambda
  environment {}
  environment {}
}"
expect_validate "computed-only attribute set" 'Invalid Configuration for Read-Only Attribute' "$lambda
  arn = \"arn:aws:lambda:eu-west-1:123456789012:function:f\"
}"
expect_validate "reference to an undeclared resource" 'Reference to undeclared resource' \
  'resource "aws_sqs_queue" "q" { name = aws_sqs_queue.missing.name }'
expect_validate "reference to an attribute the resource lacks" 'This object has no argument, nested block, or exported attribute named "queue_arn"' \
  'resource "aws_sqs_queue" "q" {}
resource "aws_sqs_queue_policy" "p" {
  queue_url = aws_sqs_queue.q.url
  policy    = aws_sqs_queue.q.queue_arn
}'
expect_validate "unknown resource type" 'The provider hashicorp/aws does not support resource type "aws_sqs_queues"' \
  'resource "aws_sqs_queues" "q" {}'
echo "check: validate rejected 9 broken configurations and accepted the valid one ($((SECONDS - step)) s)"

# The real roots: both environments (prod with the inputs it requires) and every module's example.
step=$SECONDS
bash tools/terraform/plan.sh environments/dev "$work/plan-dev"
bash tools/terraform/plan.sh environments/prod "$work/plan-prod" -var 'alarm_emails=["alarms@example.com"]' \
  -var 'opensearch_master_user_arn=arn:aws:iam::123456789012:role/opensearch-admin'
for example in terraform/modules/*/examples/*/; do
  rel="${example#terraform/}"
  bash tools/terraform/plan.sh "$rel" "$work/plan-$(tr / - <<<"${rel%/}")"
done
echo "check: validate and plan passed for every root ($((SECONDS - step)) s)"

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
