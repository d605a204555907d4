#!/usr/bin/env bash
# Regenerates every weights file of the project with the node's own `benchmark pallet`,
# each against the runtime the weights are used in. Run it through `make weights`, on the
# machine whose speed the weights should describe.
#
#   STEPS=50 REPEAT=20 make weights      # the defaults
#   PALLETS="pallet_balances" make weights   # only some pallets
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

steps=${STEPS:-50}
repeat=${REPEAT:-20}

cargo build --release -p dbm-node
node="$CARGO_TARGET_DIR/release/dbm-node"

# Our own pallets get their `weights.rs` (trait, runtime impl, test impl) from the pallet
# template; the SDK's pallets (and the system's transaction extensions) get a runtime weights
# file from the CLI's default template.
#
# pallet                     chain       output file                                                  template
table=(
	"frame_system               parent-dev  runtime/src/weights/frame_system.rs                          -"
	"frame_system               sub-dev     parachain-sub/src/weights/frame_system.rs                    -"
	"frame_system_extensions    parent-dev  runtime/src/weights/frame_system_extensions.rs               -"
	"frame_system_extensions    sub-dev     parachain-sub/src/weights/frame_system_extensions.rs         -"
	"pallet_balances            parent-dev  runtime/src/weights/pallet_balances.rs                       -"
	"pallet_balances            sub-dev     parachain-sub/src/weights/pallet_balances.rs                 -"
	"pallet_timestamp           parent-dev  runtime/src/weights/pallet_timestamp.rs                      -"
	"pallet_timestamp           sub-dev     parachain-sub/src/weights/pallet_timestamp.rs                -"
	"pallet_transaction_payment parent-dev  runtime/src/weights/pallet_transaction_payment.rs            -"
	"pallet_transaction_payment sub-dev     parachain-sub/src/weights/pallet_transaction_payment.rs      -"
	"pallet_sudo                parent-dev  runtime/src/weights/pallet_sudo.rs                           -"
	"pallet_sudo                sub-dev     parachain-sub/src/weights/pallet_sudo.rs                     -"
	"pallet_collective          parent-dev  runtime/src/weights/pallet_collective.rs                     -"
	"pallet_subchain            sub-dev     pallets/sub/subchain/src/weights.rs                          scripts/pallet-weights.hbs"
	"pallet_dbsca               sub-dev     pallets/sub/dbsca/src/weights.rs                             scripts/pallet-weights.hbs"
	"pallet_energy_trade        sub-dev     pallets/sub/energy-trade/src/weights.rs                      scripts/pallet-weights.hbs"
	"pallet_biller_registry     parent-dev  pallets/parent/biller-registry/src/weights.rs                scripts/pallet-weights.hbs"
	"pallet_membership_voting   sub-dev     pallets/common/membership-voting/src/weights.rs              scripts/pallet-weights.hbs"
	"pallet_finality_recovery   parent-dev  pallets/common/finality-recovery/src/weights.rs              scripts/pallet-weights.hbs"
	"pallet_parent_inbox        sub-dev     pallets/sub/parent-inbox/src/weights.rs                      scripts/pallet-weights.hbs"
	"pallet_subchain_inbox      parent-dev  pallets/parent/subchain-inbox/src/weights.rs                 scripts/pallet-weights.hbs"
	"pallet_membership_voting   parent-dev  runtime/src/weights/pallet_membership_voting.rs              -"
)

for row in "${table[@]}"; do
	read -r pallet chain output template <<<"$row"
	if [ -n "${PALLETS:-}" ] && [[ " $PALLETS " != *" $pallet "* ]]; then
		continue
	fi
	echo "==> $pallet on $chain -> $output"
	mkdir -p "$(dirname "$output")"
	args=(benchmark pallet --chain "$chain" --pallet "$pallet" --extrinsic '*'
		--steps "$steps" --repeat "$repeat" --wasm-execution compiled
		--header scripts/weights-header.txt --output "$output")
	if [ "$template" != "-" ]; then
		args+=(--template "$template")
	fi
	"$node" "${args[@]}"
done
