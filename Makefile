# DB-Microgrid: every entry point runs the idempotent set-up first.
#
#   make run     the development network (the parent and its sub-chains), built with cargo
#   make test    formatting, lints and every test
#   make weights regenerate every weights file with `dbm-node benchmark pallet`
#   make experiments  rerun the experiments of docs/experiments/ (load runs with dbm-bench,
#                benchmark overhead, storage and machine, election tables) and redraw their
#                plots
#
# CARGO_TARGET_DIR is honoured; keep one persistent target directory for every build.

SHELL := /bin/bash
CARGO_ENV = eval "$$(scripts/setup.sh)"

.PHONY: setup run test lint weights experiments

setup:
	@scripts/setup.sh >/dev/null

run:
	@$(CARGO_ENV) && cargo run --release --bin dbm-node -- --dev

test:
	@$(CARGO_ENV) && scripts/test.sh

lint:
	@$(CARGO_ENV) && cargo fmt --all --check && cargo clippy --release --workspace --all-targets -- -D warnings

weights:
	@$(CARGO_ENV) && scripts/benchmark-weights.sh

experiments:
	@$(CARGO_ENV) && scripts/experiments.sh
