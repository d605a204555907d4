#!/usr/bin/env bash
# Reruns the whole experiment set of docs/experiments/ and rewrites its data and plots:
#
#   1. `benchmark overhead` on both runtimes and `benchmark machine`; `benchmark storage` on
#      the state a short double-layer run leaves (`RUNS=storage`);
#   2. the load runs of `dbm-bench` (each starts its own nodes on 127.0.0.1);
#   3. the DBSCA election table of the paper's 100 nodes, in groups of 10 and as one group;
#   4. the plots and the results tables (scripts/plot-experiments.py).
#
# Run it through `make experiments` on a quiet machine: the nodes and the load generator share
# its cores, and anything else running skews the numbers.
#
#   DURATION=60 SETTLE=30 make experiments   # the defaults: seconds of load per run, and after
#   WEIGHTS=1 make experiments               # also regenerate every weights file first
#   RUNS="energy-sub transfer-6s" make experiments   # only some runs (the others' data stays)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

duration=${DURATION:-60}
settle=${SETTLE:-30}
docs=docs/experiments
data=$docs/data
mkdir -p "$data"

step() { printf '\n==> %s (%s)\n' "$*" "$(date +%T)"; }

# The same build as the tests (one feature set, so nothing is compiled twice).
step "build"
cargo test --release --workspace --no-run
node="$CARGO_TARGET_DIR/release/dbm-node"
bench="$CARGO_TARGET_DIR/release/dbm-bench"

if [ -n "${WEIGHTS:-}" ]; then
	step "weights of every pallet (scripts/benchmark-weights.sh)"
	scripts/benchmark-weights.sh
fi

wanted() { [ -z "${RUNS:-}" ] || [[ " $RUNS " == *" $1 "* ]]; }

if wanted overhead; then
	step "benchmark overhead and machine"
	for chain in parent-dev sub-dev; do
		"$node" benchmark overhead --chain "$chain" --repeat 10 --weight-path "$data" \
			--header scripts/weights-header.txt 2>&1 | tee "$data/overhead-$chain.txt"
		# The weight files are per run; keep them under the chain's name.
		for kind in block extrinsic; do
			mv "$data/${kind}_weights.rs" "$data/overhead-$chain-$kind.rs"
		done
	done
	"$node" benchmark machine --chain parent-dev --allow-fail 2>&1 | tee "$data/benchmark-machine.txt"
	uname -srm >"$data/machine.txt"
	lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket)' >>"$data/machine.txt" || true
	free -m | head -2 >>"$data/machine.txt"
fi

if wanted storage; then
	step "benchmark storage on a loaded state (the parent and a sub-chain after a double-layer run)"
	dbs=$(mktemp -d)
	"$bench" --layout double --subchains 2 --workload energy --rate max --duration "$duration" \
		--settle 10 --quiet --keep-databases "$dbs/db" >"$dbs/load.txt"
	for chain in parent-dev sub-1; do
		label=${chain%-dev}
		# One key per batch: every write pays its own storage root and commit, as a lone write
		# in a block does (a block of many writes pays less per write).
		"$node" benchmark storage --chain "$chain" --subchains 2 --base-path "$dbs/db/$label" \
			--state-version 1 --batch-size 1 --weight-path "$dbs" 2>&1 | tee "$data/storage-$chain.txt"
		mv "$dbs/paritydb_weights.rs" "$data/storage-$chain.rs"
	done
	rm -rf "$dbs"
fi

# name | dbm-bench arguments
runs=(
	"transfer-6s|--chain sub-dev-6s --workload transfer --rate max --backlog 4096"
	"transfer-sub|--chain sub-dev --workload transfer --rate max --backlog 4096"
	"energy-sub|--chain sub-dev --workload energy --rate max"
	"energy-6s|--chain sub-dev-6s --workload energy --rate max"
	"energy-sub-paced|--chain sub-dev --workload energy --rate 40"
	"energy-sub-paced-150|--chain sub-dev --workload energy --rate 150"
	"energy-local-4v-paced|--chain sub-1-local --validators 4 --workload energy --rate 40"
	"energy-single-10|--chain single-100 --workload energy --rate max --members 10"
	"energy-single-100|--chain single-100 --workload energy --rate max"
	"energy-single-100-paced|--chain single-100 --workload energy --rate 40"
	"energy-double-1-paced|--layout double --subchains 1 --workload energy --rate 40"
	"energy-double-2-paced|--layout double --subchains 2 --workload energy --rate 40"
	"energy-double-5-paced|--layout double --subchains 5 --workload energy --rate 40"
	"energy-double-10-paced|--layout double --subchains 10 --workload energy --rate 40"
	"energy-double-2|--layout double --subchains 2 --workload energy --rate max"
	"energy-double-5|--layout double --subchains 5 --workload energy --rate max"
	"energy-double-10|--layout double --subchains 10 --workload energy --rate max"
)
for run in "${runs[@]}"; do
	name=${run%%|*}
	args=${run#*|}
	wanted "$name" || continue
	step "load: $name ($args)"
	rm -rf "${data:?}/$name"
	# shellcheck disable=SC2086 # the arguments are split on purpose
	"$bench" $args --duration "$duration" --settle "$settle" --label "$name" --out "$data/$name" \
		| tee "$data/$name.txt"
	gzip -9f "$data/$name/txs.csv"
done

if wanted elections; then
	step "DBSCA election table (paper section 4.2)"
	"$node" election-table --group-size 10 >"$data/election-groups-of-10.md"
	"$node" election-table --group-size 100 >"$data/election-one-group.md"
fi

step "plots and tables"
python3 scripts/plot-experiments.py "$docs"
