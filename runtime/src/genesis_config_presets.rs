//! Genesis presets of the parent chain.
//!
//! * `development`: one authority (Alice), all development accounts funded, Alice is sudo.
//! * `local_testnet`: four authorities (Alice, Bob, Charlie, Dave), so GRANDPA keeps
//!   finalizing with one of them down; the same funded accounts.
//!
//! In both the authorities are the registry's standing operators, with their keys as parent
//! keys: the registry's authority set and the Aura and GRANDPA genesis agree; and the
//! development relayers of sub-chains 1 to 16 (`//Relayer//sub-N`) are funded, so sub-chain
//! relays can pay for their parent transactions.

use crate::Runtime;
use alloc::vec::Vec;
use dbm_primitives::SubchainId;
use dbm_runtime_common::presets::{self, AuthorityKeys};
use frame_support::traits::Get;
use serde_json::{json, Value};
use sp_genesis_builder::PresetId;

/// The JSON of the preset `id`, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	presets::preset_json(id, parent_genesis)
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	presets::preset_names()
}

/// The shared development genesis for `authorities` authorities, which are also the
/// registry's operators.
fn parent_genesis(authorities: usize) -> Value {
	let mut genesis = presets::dev_genesis(authorities);
	let operators: Vec<Value> = presets::dev_keyrings(authorities)
		.into_iter()
		.map(|keyring| {
			let keys = AuthorityKeys::dev(keyring);
			json!([keyring.to_account_id(), { "aura": keys.aura, "grandpa": keys.grandpa }])
		})
		.collect();
	genesis["billerRegistry"] = json!({ "operators": operators });
	// The relays of sub-chains 1 to `MaxSubchains` pay for their parent transactions from
	// these accounts.
	if let Some(balances) = genesis["balances"]["balances"].as_array_mut() {
		let subchains = <Runtime as pallet_biller_registry::Config>::MaxSubchains::get();
		for id in 1..=subchains {
			let relayer = presets::subchain_relayer(SubchainId(id));
			balances.push(json!([relayer, presets::DEV_ENDOWMENT]));
		}
	}
	genesis
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{BillerRegistry, Runtime, RuntimeGenesisConfig};
	use sp_keyring::Sr25519Keyring;

	fn build(preset: &str) -> sp_io::TestExternalities {
		use sp_runtime::BuildStorage;
		let patch = get_preset(&preset.into()).expect("a known preset");
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
		presets::json_merge(&mut config, serde_json::from_slice(&patch).unwrap());
		let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
		config.build_storage().expect("the preset builds").into()
	}

	#[test]
	fn the_operators_are_the_genesis_authorities() {
		for (preset, n) in [("development", 1), ("local_testnet", 4)] {
			build(preset).execute_with(|| {
				let accounts: Vec<_> = presets::dev_keyrings(n)
					.into_iter()
					.map(Sr25519Keyring::to_account_id)
					.collect();
				let operators = pallet_biller_registry::Operators::<Runtime>::get();
				assert_eq!(operators.into_inner(), accounts, "{preset}");
				let authorities = pallet_biller_registry::Authorities::<Runtime>::get();
				assert_eq!(authorities.into_inner(), accounts, "{preset}");
				// The keys the registry would hand to consensus are the ones in force.
				let expected = BillerRegistry::expected_authorities();
				let aura: Vec<_> = expected.iter().map(|(_, k)| k.aura.clone()).collect();
				assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), aura);
				let grandpa: Vec<_> =
					expected.iter().map(|(_, k)| (k.grandpa.clone(), 1)).collect();
				assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities(), grandpa);
				BillerRegistry::do_try_state().expect("the registry's invariants hold");
				for id in [1, 16] {
					let relayer = presets::subchain_relayer(SubchainId(id));
					let balance = pallet_balances::Pallet::<Runtime>::free_balance(relayer);
					assert_eq!(balance, presets::DEV_ENDOWMENT, "relayer {id} is funded");
				}
			});
		}
	}

	#[test]
	fn the_parent_consensus_handler_changes_aura_and_schedules_grandpa() {
		use pallet_biller_registry::AuthorityHandler;
		build("local_testnet").execute_with(|| {
			let mut set = BillerRegistry::expected_authorities();
			set.truncate(3);
			set.reverse();
			crate::configs::ParentConsensus::apply(&set).expect("no change is pending");
			let aura: Vec<_> = set.iter().map(|(_, k)| k.aura.clone()).collect();
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), aura);
			let pending = pallet_grandpa::PendingChange::<Runtime>::get().expect("scheduled");
			assert_eq!(pending.delay, 0);
			assert_eq!(pending.next_authorities.len(), 3);
			assert_eq!(pallet_grandpa::CurrentSetId::<Runtime>::get(), 1);
			// GRANDPA takes one change at a time.
			assert!(crate::configs::ParentConsensus::apply(&set).is_err());
		});
	}

	#[test]
	fn the_authority_bound_fits_consensus() {
		use frame_support::traits::Get;
		let bound = pallet_biller_registry::MaxAuthoritiesOf::<Runtime>::get();
		assert!(bound <= <Runtime as pallet_aura::Config>::MaxAuthorities::get());
		assert!(bound <= <Runtime as pallet_grandpa::Config>::MaxAuthorities::get());
	}
}
