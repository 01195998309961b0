#!/usr/bin/env bash
# `npm test`: lint, type checks, unit and integration tests of the whole workspace, the Terraform checks and the
# generator end to end (`e2e`).
# Integration tests share one local stack (kinesalite, DynamoDB Local, fauxqs, OpenSearch) started here and
# stopped on exit; run alone, each test file starts the services it needs itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rm -rf tmp/test-results
mkdir -p tmp
state="$PWD/tmp/local-stack.json"
rm -f "$state"

started=$SECONDS
# tsx itself, not through npx: npx does not pass the SIGTERM of the cleanup on, and the stack would outlive the run.
node_modules/.bin/tsx tools/local-stack/serve.ts --quiet --state-file "$state" >tmp/local-stack.log 2>&1 &
stack_pid=$!
cleanup() {
  kill -TERM "$stack_pid" 2>/dev/null || true
  wait "$stack_pid" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  [ -f "$state" ] && break
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "the local stack failed to start:" >&2
    cat tmp/local-stack.log >&2
    exit 1
  fi
  sleep 0.5
done
[ -f "$state" ] || { echo "the local stack did not start within 120 s" >&2; cat tmp/local-stack.log >&2; exit 1; }
echo "local stack up in $((SECONDS - started)) s: $(tr -d '\n' <"$state" | head -c 400)"
export SHARDLINE_LOCAL_STACK="$state"

status=0
npx nx run-many -t lint typecheck test check e2e --parallel=2 --output-style=static "$@" || status=$?

node -e '
const fs = require("node:fs");
const dir = "tmp/test-results";
let passed = 0, failed = 0, skipped = 0;
for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
  passed += r.passed; failed += r.failed; skipped += r.skipped;
}
console.log(`\nTests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
exit "$status"
