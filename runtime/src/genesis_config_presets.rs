//! Genesis presets of the parent chain.
//!
//! * `development`: one authority (Alice), all development accounts funded, Alice is sudo.
//! * `local_testnet`: four authorities (Alice, Bob, Charlie, Dave), so GRANDPA keeps
//!   finalizing with one of them down; the same funded accounts; no sudo key: more than two
//!   thirds of the council decide what governance decides.
//!
//! In both the authorities are the registry's standing operators, with their keys as parent
//! keys: the registry's authority set, the Aura and GRANDPA genesis and the council agree; and the
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

/// The shared development genesis for `authorities` authorities (at most six: Alice to
/// Ferdie), which are also the registry's operators.
pub fn parent_genesis(authorities: usize) -> Value {
	let mut genesis = presets::dev_genesis(authorities);
	let operators: Vec<Value> = presets::dev_keyrings(authorities)
		.into_iter()
		.map(|keyring| {
			let keys = AuthorityKeys::dev(keyring);
			json!([keyring.to_account_id(), { "aura": keys.aura, "grandpa": keys.grandpa }])
		})
		.collect();
	genesis["billerRegistry"] = json!({ "operators": operators });
	// The council is the authorities (`configs::ParentConsensus` keeps it so).
	let mut council: Vec<_> = presets::dev_keyrings(authorities)
		.into_iter()
		.map(|keyring| keyring.to_account_id())
		.collect();
	council.sort();
	genesis["council"] = json!({ "members": council });
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
				let mut council = accounts.clone();
				council.sort();
				assert_eq!(
					pallet_collective::Members::<Runtime, crate::configs::CouncilInstance>::get(),
					council,
					"{preset}: the council is the authorities"
				);
				// The keys the registry would hand to consensus are the ones in force.
				let expected = BillerRegistry::expected_authorities();
				let aura: Vec<_> = expected.iter().map(|(_, k)| k.aura.clone()).collect();
				assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), aura);
				let grandpa: Vec<_> =
					expected.iter().map(|(_, k)| (k.grandpa.clone(), 1)).collect();
				assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities(), grandpa);
				BillerRegistry::do_try_state().expect("the registry's invariants hold");
				// Only the development chain of one authority has a sudo key; the testnet is
				// governed by its council alone.
				let sudo = (n == 1).then(|| Sr25519Keyring::Alice.to_account_id());
				assert_eq!(pallet_sudo::Key::<Runtime>::get(), sudo, "{preset}");
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
			// The council changed with them.
			let mut council: Vec<_> = set.iter().map(|(who, _)| who.clone()).collect();
			council.sort();
			assert_eq!(
				pallet_collective::Members::<Runtime, crate::configs::CouncilInstance>::get(),
				council
			);
			// GRANDPA takes one change at a time.
			assert!(crate::configs::ParentConsensus::apply(&set).is_err());
		});
	}

	#[test]
	fn two_thirds_of_the_council_decide_and_fewer_cannot() {
		use crate::{
			configs::{CouncilInstance, MaxCouncilProposalWeight},
			Council, RuntimeCall, RuntimeEvent, RuntimeOrigin,
		};
		use codec::Encode;
		use frame_support::{assert_noop, assert_ok};
		use sp_core::H256;
		use sp_runtime::{
			traits::{Dispatchable, Hash as _},
			DispatchError,
		};
		type CouncilError = pallet_collective::Error<Runtime, CouncilInstance>;
		type CouncilEvent = pallet_collective::Event<Runtime, CouncilInstance>;

		build("local_testnet").execute_with(|| {
			frame_system::Pallet::<Runtime>::set_block_number(1);
			let [alice, bob, charlie, eve] = [
				Sr25519Keyring::Alice,
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
				Sr25519Keyring::Eve,
			]
			.map(Sr25519Keyring::to_account_id);
			let signed = |who: &crate::AccountId| RuntimeOrigin::signed(who.clone());
			let register =
				RuntimeCall::BillerRegistry(pallet_biller_registry::Call::register_subchain {
					subchain: SubchainId(9),
					name: b"sub-9".to_vec(),
					location: b"here".to_vec(),
					genesis_hash: H256::repeat_byte(9),
					chain_spec_hash: H256::repeat_byte(1),
					boot_nodes: Vec::new(),
				});
			let len = register.encoded_size() as u32;
			let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&register);
			let registered =
				|| pallet_biller_registry::Subchains::<Runtime>::contains_key(SubchainId(9));
			let last_result = || {
				frame_system::Pallet::<Runtime>::events().into_iter().rev().find_map(|record| {
					match record.event {
						RuntimeEvent::Council(
							CouncilEvent::Executed { result, .. }
							| CouncilEvent::MemberExecuted { result, .. },
						) => Some(result),
						_ => None,
					}
				})
			};

			// One key signs: neither an authority's own origin nor a non-member's proposal.
			assert_noop!(
				register.clone().dispatch(signed(&alice)).map_err(|e| e.error),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Council::propose(signed(&eve), 3, Box::new(register.clone()), len),
				CouncilError::NotMember
			);
			// A member alone, executing directly: dispatched as one member, refused.
			assert_ok!(Council::execute(signed(&alice), Box::new(register.clone()), len));
			assert_eq!(last_result(), Some(Err(DispatchError::BadOrigin)));
			assert!(!registered());

			// Two of four, with the threshold of two the proposer chose: the motion passes the
			// council but its call is dispatched as two of four members, below two thirds.
			assert_ok!(Council::propose(signed(&alice), 2, Box::new(register.clone()), len));
			assert_ok!(Council::vote(signed(&alice), hash, 0, true));
			assert_ok!(Council::vote(signed(&bob), hash, 0, true));
			assert_ok!(Council::close(signed(&eve), hash, 0, MaxCouncilProposalWeight::get(), len));
			assert_eq!(last_result(), Some(Err(DispatchError::BadOrigin)));
			assert!(!registered());

			// Three of four: the registry takes the decision.
			assert_ok!(Council::propose(signed(&alice), 3, Box::new(register.clone()), len));
			assert_ok!(Council::vote(signed(&alice), hash, 1, true));
			assert_ok!(Council::vote(signed(&bob), hash, 1, true));
			assert_noop!(Council::vote(signed(&bob), hash, 1, true), CouncilError::DuplicateVote);
			// Two ayes of the three asked for: the motion stays open.
			assert_noop!(
				Council::close(signed(&eve), hash, 1, MaxCouncilProposalWeight::get(), len),
				CouncilError::TooEarly
			);
			assert_ok!(Council::vote(signed(&charlie), hash, 1, true));
			assert_ok!(Council::close(signed(&eve), hash, 1, MaxCouncilProposalWeight::get(), len));
			assert_eq!(last_result(), Some(Ok(())));
			assert!(registered());
			BillerRegistry::do_try_state().expect("the registry's invariants hold");
		});
	}

	#[test]
	fn an_upgraded_chain_gets_its_authorities_as_its_council() {
		use crate::configs::{CouncilInstance, InitializeCouncil};
		use frame_support::traits::OnRuntimeUpgrade;
		build("local_testnet").execute_with(|| {
			let members = pallet_collective::Members::<Runtime, CouncilInstance>::get();
			assert_eq!(members.len(), 4);
			// As a chain from before the council was.
			pallet_collective::Members::<Runtime, CouncilInstance>::kill();
			InitializeCouncil::on_runtime_upgrade();
			assert_eq!(pallet_collective::Members::<Runtime, CouncilInstance>::get(), members);
			// A council with members is left as it is.
			pallet_collective::Members::<Runtime, CouncilInstance>::put(vec![members[0].clone()]);
			InitializeCouncil::on_runtime_upgrade();
			assert_eq!(pallet_collective::Members::<Runtime, CouncilInstance>::get().len(), 1);
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
