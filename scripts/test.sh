#!/usr/bin/env bash
# The project's whole test suite: formatting, the build, clippy (warnings are errors), every
# Rust test of the workspace in the release profile (the profile the node is built with, so
# tests, node and benchmarks share one set of compiled dependencies), the README's own commands
# (scripts/readme-smoke.py: `make run` and the other documented invocations), then the
# polkadot.js suite in e2e/ against a freshly started `dbm-node --dev` network.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# Each step's wall time, printed as a table at the end (the budget in docs/testing.md).
times=()
step_name=""
step_start=0
end_step() {
	if [ -n "$step_name" ]; then
		times+=("$(printf '%6d s  %s' "$(($(date +%s) - step_start))" "$step_name")")
	fi
	step_name=""
}
step() {
	end_step
	step_name="$*"
	step_start=$(date +%s)
	printf '\n==> %s (%s)\n' "$*" "$(date +%T)"
}

step "cargo fmt --check"
cargo fmt --all --check

step "build: node, runtimes, tests"
# --timings writes cargo's per-crate report to $CARGO_TARGET_DIR/cargo-timings/.
cargo test --release --workspace --no-run --timings

step "cargo clippy -D warnings"
cargo clippy --release --workspace --all-targets -- -D warnings

step "cargo test"
rust_rc=0
# The node's tests note their own times (node/tests/node/common: TestTimer).
export DBM_TEST_TIMES="$logs/test-times"
cargo test --release --workspace --no-fail-fast 2>&1 | tee "$logs/rust.log" || rust_rc=$?
rust_passed=$(grep -E '^test result: ' "$logs/rust.log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
rust_failed=$(grep -E '^test result: ' "$logs/rust.log" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')

step "the README's commands (scripts/readme-smoke.py)"
readme_rc=0
SMOKE_EXPECT_BUILT=1 python3 scripts/readme-smoke.py 2>&1 | tee "$logs/readme.log" || readme_rc=$?
readme_passed=$(grep -E '^# pass ' "$logs/readme.log" | awk '{s+=$3} END {print s+0}')
readme_failed=$(grep -E '^# fail ' "$logs/readme.log" | awk '{s+=$3} END {print s+0}')

step "polkadot.js suite (e2e/)"
js_rc=0
(cd e2e && npm test 2>&1) | tee "$logs/js.log" || js_rc=$?
js_passed=$(grep -E '^# pass ' "$logs/js.log" | awk '{s+=$3} END {print s+0}')
js_failed=$(grep -E '^# fail ' "$logs/js.log" | awk '{s+=$3} END {print s+0}')

end_step
echo
echo "step times:"
printf '%s\n' "${times[@]}"
echo "slowest test binaries:"
python3 scripts/ci-times.py binaries "$logs/rust.log" | head -n 8 || true
if [ -f "$DBM_TEST_TIMES" ]; then
	echo "slowest node tests:"
	sort -rn "$DBM_TEST_TIMES" | head -n 8
fi
echo "polkadot.js files:"
python3 scripts/ci-times.py files "$logs/js.log" || true
echo "rust: $rust_passed passed, $rust_failed failed"
echo "README commands: $readme_passed passed, $readme_failed failed"
echo "polkadot.js: $js_passed passed, $js_failed failed"
echo "total: $((rust_passed + readme_passed + js_passed)) passed, $((rust_failed + readme_failed + js_failed)) failed"
if [ "$rust_rc" -ne 0 ] || [ "$readme_rc" -ne 0 ] || [ "$js_rc" -ne 0 ]; then
	exit 1
fi
