#!/usr/bin/env bash
# The project's whole test suite: formatting, clippy (warnings are errors), then every Rust
# test of the workspace in the release profile (the one the node is built with, so tests,
# node and benchmarks share one set of compiled dependencies).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "build (node, runtimes, tests)"
cargo test --release --workspace --no-run

step "cargo clippy -D warnings"
cargo clippy --release --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --release --workspace 2>&1 | tee /tmp/dbm-test-$$.log
passed=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed' /tmp/dbm-test-$$.log | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' /tmp/dbm-test-$$.log | awk '{s+=$1} END {print s+0}')
rm -f /tmp/dbm-test-$$.log
echo
echo "rust: $passed passed, $failed failed"
