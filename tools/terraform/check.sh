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
#      The dev root is also planned with good and bad `tuning` values, to prove the contract's limits
#      (parallelization factor 1, aggregator batches, mapping ranges) fail at plan time with their message.
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

# The contract's limits, enforced at plan time by the pipeline module's preconditions: the dev root is planned
# with each `tuning` below (what `npm run tune` writes to tuning.auto.tfvars.json), which must fail with the
# given message, or pass with the planned mapping settings given.
step=$SECONDS
expect_tuning() { # <case> <expected: "app=batch,window,factor" or a piece of the error> <tuning HCL>
  local dir="$work/rules-$(tr -c 'a-z0-9\n' - <<<"$1")" out rc
  set +e
  out="$(bash tools/terraform/plan.sh environments/dev "$dir" -var "tuning=$3" 2>&1)"
  rc=$?
  set -e
  if [[ "$2" == *=* && $rc -eq 0 ]]; then
    local app="${2%%=*}" got
    got="$(node -e '
      const plan = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
      const m = plan.resource_changes.find((r) => r.type === "aws_lambda_event_source_mapping" &&
        r.module_address === `module.pipeline.module.consumer["${process.argv[2]}"]`).change.after;
      console.log([m.batch_size, m.maximum_batching_window_in_seconds, m.parallelization_factor].join(","));
    ' "$dir/plan.json" "$app")"
    [[ "$app=$got" == "$2" ]] && return 0
    out="planned $app=$got"
  fi
  out="$(tr -s ' \n' ' ' <<<"$out")"
  if [[ "$2" != *=* && $rc -ne 0 && "$out" == *"$2"* ]]; then
    return 0
  fi
  echo "$out" >&2
  echo "check: tuning case '$1' should have given: $2" >&2
  exit 1
}
expect_tuning "tuned batch and factor" "opensearch-indexer=400,1,3" \
  '{ consumers = { opensearch-indexer = { batch_size = 400, parallelization_factor = 3 } } }'
for app in enrichment s3-archiver dynamodb-aggregator; do
  expect_tuning "$app scaled out" "$app parallelization_factor is 2, must be at most 1" \
    "{ consumers = { $app = { parallelization_factor = 2 } } }"
done
expect_tuning "aggregator at 500" "dynamodb-aggregator batch_size is 500, must be at least 1000" \
  '{ consumers = { dynamodb-aggregator = { batch_size = 500 } } }'
expect_tuning "batch over the mapping's maximum" "enrichment batch_size is 20000, must be" \
  '{ consumers = { enrichment = { batch_size = 20000 } } }'
expect_tuning "unknown stream mode" "mode must be PROVISIONED or ON_DEMAND" '{ streams = { raw = { mode = "FAST" } } }'
echo "check: the contract's limits held in 7 tuning cases ($((SECONDS - step)) s)"

step=$SECONDS
"$checkov" --directory terraform --framework terraform --quiet --compact --download-external-modules false \
  --skip-download --output cli
echo "check: checkov passed ($((SECONDS - step)) s)"
echo "check: all Terraform checks passed in $((SECONDS - started)) s"
