//! Genesis presets of a sub-chain.
//!
//! * `development`: sub-chain 1, a committee of one (Alice), all development accounts funded,
//!   Alice is sudo.
//! * `local_testnet`: sub-chain 1 with a committee of four (Alice, Bob, Charlie, Dave), so
//!   GRANDPA keeps finalizing with one of them down; the same funded accounts; no sudo key:
//!   what changes the sub-chain's members and rules comes only from the parent's decisions,
//!   proven to the parent inbox, and from its members' votes.
//!
//! The node builds the specs of the other sub-chains with [`genesis`], which takes the
//! sub-chain's id: the id is part of the genesis state, so no two sub-chains share a genesis
//! hash.
//!
//! # Members and candidates from the paper
//!
//! Sub-chain `N` takes its ten members from group `(N - 1) % 10 + 1` of the paper's 100-node
//! table (section 4.2; nodes split by serial number into groups of ten). Every node of the
//! table is a generator with the table's attributes attested, and stands for biller with
//! them. The nodes are given development accounts in the order of their DBSCA score under
//! the paper's weights: the best node is Alice, then Bob, Charlie, Dave, Eve, Ferdie, and the
//! `//stash` accounts of Alice, Bob, Charlie and Dave. On sub-chain 1 these are the plain
//! development accounts; on sub-chain `N > 1` the accounts derived for it (`//Alice//sub-N`,
//! ...: [`presets::subchain_dev_account`]), since the parent registers each node in one
//! sub-chain. Every chain also funds all plain development accounts. The first `authorities`
//! members hold consensus keys (the plain well-known keys `--alice`, `--bob`, ... put in a
//! node's keystore) and form the first committee, so the genesis committee is exactly the one a
//! round would elect.

use crate::configs;
use alloc::{format, vec::Vec};
use dbm_primitives::{
	dbsca::{rank, ScoreWeights},
	membership::{MemberInfo, Role},
	metering::MeterKey,
	paper::{self, PaperNode},
	AccountId, SubchainId,
};
use dbm_runtime_common::presets::{self, AuthorityKeys};
use serde_json::{json, Value};
use sp_core::Pair;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;

/// The sub-chain the built-in presets describe.
pub const PRESET_SUBCHAIN: SubchainId = SubchainId(1);

/// Members of each sub-chain's genesis: one group of the paper's table.
pub const GROUP_SIZE: usize = 10;

/// Capacity each paper node declares (the table gives none): 5 kW, a rooftop installation.
pub const PAPER_NODE_CAPACITY_W: u32 = 5_000;

/// The development accounts the members of a group get, best score first.
pub fn member_keyrings() -> [Sr25519Keyring; GROUP_SIZE] {
	use Sr25519Keyring::*;
	[Alice, Bob, Charlie, Dave, Eve, Ferdie, AliceStash, BobStash, CharlieStash, DaveStash]
}

/// The paper's group for sub-chain `id`, best score first under the paper's weights.
pub fn paper_group(id: SubchainId) -> Vec<PaperNode> {
	let nodes = paper::parse_csv(paper::PAPER_CSV).unwrap_or_default();
	let groups = nodes.len().div_ceil(GROUP_SIZE).max(1);
	let group = (id.0.max(1) as usize - 1) % groups;
	let members: Vec<PaperNode> =
		nodes.into_iter().skip(group * GROUP_SIZE).take(GROUP_SIZE).collect();
	let weights = ScoreWeights::default();
	let order =
		rank(&members.iter().map(|n| (n.number, weights.score(&n.attributes))).collect::<Vec<_>>());
	order
		.iter()
		.filter_map(|(number, _)| members.iter().find(|n| n.number == *number).cloned())
		.collect()
}

/// The members of sub-chain `id` at genesis, best score first, with what their join vote
/// attested: the paper's nodes of its group, each a generator.
pub fn genesis_members(id: SubchainId) -> Vec<(AccountId, MemberInfo)> {
	member_keyrings()
		.into_iter()
		.map(|k| presets::subchain_dev_account(k, id))
		.zip(paper_group(id))
		.map(|(account, node)| {
			let info =
				MemberInfo { role: Role::Generator, attested: node.attributes, suspended: false };
			(account, info)
		})
		.collect()
}

/// The meters of sub-chain `id`'s genesis members, in the same order: each member's own
/// development meter key ([`presets::subchain_dev_meter`]).
pub fn genesis_meters(id: SubchainId) -> Vec<(AccountId, MeterKey)> {
	member_keyrings()
		.into_iter()
		.take(genesis_members(id).len())
		.map(|k| {
			(presets::subchain_dev_account(k, id), presets::subchain_dev_meter(k, id).public())
		})
		.collect()
}

/// The genesis committee of sub-chain `id` with `authorities` members, the biller first, with
/// the consensus keys each holds.
pub fn genesis_committee(id: SubchainId, authorities: usize) -> Vec<(AccountId, AuthorityKeys)> {
	let size = authorities.min(paper_group(id).len());
	member_keyrings()
		.into_iter()
		.take(size)
		.map(|k| (presets::subchain_dev_account(k, id), AuthorityKeys::dev(k)))
		.collect()
}

/// The genesis patch of sub-chain `id` with a committee of `authorities` (the best-ranked
/// members, holding the development keys of Alice, Bob, ...), the members and every plain
/// development account funded.
pub fn genesis(id: SubchainId, authorities: usize) -> Value {
	let mut patch = presets::dev_genesis(authorities);
	let group = paper_group(id);
	let members: Vec<(AccountId, MemberInfo)> = genesis_members(id);
	let committee = genesis_committee(id, authorities);
	// Aura's list follows the committee's authoring order: the biller holds extra slots.
	let order = pallet_dbsca::Pallet::<crate::Runtime>::authoring_order(committee.len() as u32);
	let aura: Vec<_> = order
		.iter()
		.filter_map(|&i| committee.get(i as usize).map(|(_, keys)| keys.aura.clone()))
		.collect();
	patch["aura"] = json!({ "authorities": aura });
	patch["subchain"] = json!({
		"subchainId": id,
		"members": members.iter().map(|(account, info)| json!([account, info])).collect::<Vec<_>>(),
		"meters": genesis_meters(id)
			.iter()
			.map(|(account, meter)| json!([account, meter]))
			.collect::<Vec<_>>(),
	});
	patch["energyTrade"] = json!({
		"feedInTariff": configs::GENESIS_FEED_IN_TARIFF,
		"gridPrice": configs::GENESIS_GRID_PRICE,
	});
	// The grid account exists from genesis, so it can be paid any grid purchase; members with
	// accounts derived for this sub-chain are funded too.
	if let Some(balances) = patch["balances"]["balances"].as_array_mut() {
		balances.push(json!([configs::GridAccount::get(), presets::DEV_ENDOWMENT]));
		balances.push(json!([configs::EndowmentAccount::get(), presets::DEV_ENDOWMENT]));
		// The sub-chain's relayer pays for the parent headers it brings.
		balances.push(json!([presets::subchain_relayer(id), presets::DEV_ENDOWMENT]));
		let plain = presets::dev_accounts();
		for (account, _) in members.iter().filter(|(a, _)| !plain.contains(a)) {
			balances.push(json!([account, presets::DEV_ENDOWMENT]));
		}
	}
	patch["dbsca"] = json!({
		"committeeSize": committee.len().max(1),
		"candidates": members
			.iter()
			.zip(group.iter())
			.map(|((account, _), node)| json!({
				"account": account,
				"attributes": node.attributes,
				"capacityW": PAPER_NODE_CAPACITY_W,
				"location": format!("sub-chain {id}, paper node {}", node.number).into_bytes(),
			}))
			.collect::<Vec<_>>(),
		"keys": committee
			.iter()
			.map(|(account, keys)| json!([account, { "aura": keys.aura, "grandpa": keys.grandpa }]))
			.collect::<Vec<_>>(),
		"committee": committee.iter().map(|(account, _)| account).collect::<Vec<_>>(),
	});
	patch["parentGrandpa"] = json!({ "initData": parent_light_client(authorities) });
	patch
}

/// Where the light client of the parent starts: the parent's first GRANDPA authority set
/// (set 0: the development keys of the parent's `authorities` first authorities, as the parent
/// preset with as many authorities has them, so a one-authority `sub-N` follows `parent-dev`
/// and a four-authority `sub-N-local` follows `parent-local`). A sub-chain's genesis cannot name a parent
/// header (the parent's genesis registers the sub-chain's genesis hash), so the light client
/// starts from the authority set alone, at a placeholder header 0 that no proof can be checked
/// against: the first parent header it finalizes is one that set signed.
pub fn parent_light_client(authorities: usize) -> Value {
	use sp_runtime::traits::Header as _;
	let placeholder = dbm_primitives::Header::new(
		0,
		Default::default(),
		Default::default(),
		Default::default(),
		Default::default(),
	);
	let authority_list: sp_consensus_grandpa::AuthorityList = presets::dev_keyrings(authorities)
		.into_iter()
		.map(|keyring| (AuthorityKeys::dev(keyring).grandpa, 1))
		.collect();
	let init = bp_header_chain::InitializationData {
		header: alloc::boxed::Box::new(placeholder),
		authority_list,
		set_id: 0,
		operating_mode: bp_runtime::BasicOperatingMode::Normal,
	};
	serde_json::to_value(init)
		.expect("initialization data of headers, keys and numbers is always valid JSON; qed")
}

/// The JSON of the preset `id`, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	presets::preset_json(id, |authorities| genesis(PRESET_SUBCHAIN, authorities))
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	presets::preset_names()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{Runtime, RuntimeGenesisConfig};
	use frame_support::traits::Hooks;
	use sp_runtime::BuildStorage;

	fn build(id: u32, authorities: usize) -> sp_io::TestExternalities {
		let patch = genesis(SubchainId(id), authorities);
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
		presets::json_merge(&mut config, patch);
		let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
		config.build_storage().unwrap().into()
	}

	#[test]
	fn the_light_client_starts_from_the_parents_first_authority_set() {
		for authorities in [1, presets::LOCAL_TESTNET_AUTHORITIES] {
			build(2, authorities).execute_with(|| {
				let set = pallet_bridge_grandpa::CurrentAuthoritySet::<Runtime>::get();
				assert_eq!(set.set_id, 0);
				let expected: Vec<_> = presets::dev_keyrings(authorities)
					.into_iter()
					.map(|k| (AuthorityKeys::dev(k).grandpa, 1))
					.collect();
				assert_eq!(set.authorities.into_inner(), expected);
				let best = pallet_bridge_grandpa::BestFinalized::<Runtime>::get().unwrap();
				assert_eq!(best.number(), 0);
				// The placeholder's state root is zero: nothing can be proven against it.
				assert_eq!(
					<crate::configs::LightClientHeaders as pallet_parent_inbox::FinalizedParent>::state_root(&best.hash()),
					Some(Default::default())
				);
				assert_eq!(
					pallet_bridge_grandpa::PalletOperatingMode::<Runtime>::get(),
					bp_runtime::BasicOperatingMode::Normal
				);
				// No account owns the light client, and only the development chain of one
				// authority has a sudo key: nobody can re-initialise it or halt it.
				assert!(pallet_bridge_grandpa::PalletOwner::<Runtime>::get().is_none());
				let sudo = (authorities == 1).then(|| Sr25519Keyring::Alice.to_account_id());
				assert_eq!(pallet_sudo::Key::<Runtime>::get(), sudo);
				assert!(pallet_balances::Pallet::<Runtime>::free_balance(
					crate::configs::EndowmentAccount::get()
				) > 0);
			});
		}
	}

	#[test]
	fn sub_chain_one_takes_the_first_group_of_the_paper_best_first() {
		let group = paper_group(SubchainId(1));
		assert_eq!(group.len(), 10);
		assert_eq!(group[0].number, 1, "the paper's biller of group 1 is node 1");
		assert!(group.iter().all(|n| (1..=10).contains(&n.number)));
		assert_eq!(paper_group(SubchainId(9))[0].number, 85);
		assert_eq!(paper_group(SubchainId(11))[0].number, 1, "ids past 10 wrap around");
	}

	#[test]
	fn the_local_testnet_genesis_has_the_ranked_committee_as_authorities() {
		build(3, 4).execute_with(|| {
			let alice = presets::subchain_dev_account(Sr25519Keyring::Alice, SubchainId(3));
			let committee = pallet_dbsca::Committee::<Runtime>::get().into_inner();
			let accounts: Vec<_> = member_keyrings()[..4]
				.iter()
				.map(|k| presets::subchain_dev_account(*k, SubchainId(3)))
				.collect();
			assert_eq!(committee, accounts);
			let listed: Vec<_> =
				genesis_committee(SubchainId(3), 4).into_iter().map(|(a, _)| a).collect();
			assert_eq!(listed, accounts);
			let ranking = pallet_dbsca::Pallet::<Runtime>::ranking();
			assert_eq!(ranking.len(), 10);
			assert_eq!(ranking[0].account, alice);
			let electable: Vec<_> =
				ranking.iter().filter(|c| c.electable).map(|c| c.account.clone()).collect();
			assert_eq!(electable, committee, "the genesis committee is what a round would elect");
			// Aura follows the authoring order: Alice, Bob, Alice, Charlie, Dave.
			let aura = pallet_aura::Authorities::<Runtime>::get();
			let expected: Vec<_> = [0usize, 1, 0, 2, 3]
				.iter()
				.map(|&i| AuthorityKeys::dev(member_keyrings()[i]).aura)
				.collect();
			assert_eq!(aura.into_inner(), expected);
			assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		});
	}

	#[test]
	fn the_market_opens_with_its_price_bounds_funded_members_and_a_funded_grid_account() {
		use frame_support::traits::fungible::Inspect;
		build(1, 1).execute_with(|| {
			let prices = pallet_energy_trade::Pallet::<Runtime>::prices();
			assert_eq!(prices.feed_in_tariff, configs::GENESIS_FEED_IN_TARIFF);
			assert_eq!(prices.grid_price, configs::GENESIS_GRID_PRICE);
			assert_eq!(prices.reference, configs::GENESIS_FEED_IN_TARIFF, "nothing demanded yet");
			let grid = configs::GridAccount::get();
			assert_eq!(pallet_balances::Pallet::<Runtime>::balance(&grid), presets::DEV_ENDOWMENT);
			for member in member_keyrings() {
				let who = member.to_account_id();
				assert!(pallet_subchain::Members::<Runtime>::contains_key(&who));
				assert!(pallet_balances::Pallet::<Runtime>::balance(&who) > 0, "{member:?} funded");
			}
			pallet_energy_trade::Pallet::<Runtime>::do_try_state().unwrap();
		});
	}

	#[test]
	fn every_genesis_member_has_its_own_meter_key() {
		for id in [1, 2] {
			build(id, 1).execute_with(|| {
				let members = genesis_members(SubchainId(id));
				let mut keys = Vec::new();
				for (who, _) in &members {
					let meter = pallet_subchain::Meters::<Runtime>::get(who)
						.unwrap_or_else(|| panic!("{who} has a meter on sub-chain {id}"));
					assert_eq!(meter.last_interval, None);
					assert_ne!(
						&meter.key.0,
						AsRef::<[u8; 32]>::as_ref(who),
						"a meter key is not the account key"
					);
					keys.push(meter.key);
				}
				keys.sort();
				keys.dedup();
				assert_eq!(keys.len(), members.len(), "no two members share a meter");
				let first = presets::subchain_dev_meter(member_keyrings()[0], SubchainId(id));
				assert_eq!(
					pallet_subchain::MeterOwners::<Runtime>::get(first.public()),
					Some(members[0].0.clone())
				);
			});
		}
	}

	#[test]
	fn sub_chains_share_no_member_and_fund_their_derived_accounts() {
		use frame_support::traits::fungible::Inspect;
		let one: Vec<_> = genesis_members(SubchainId(1)).into_iter().map(|(a, _)| a).collect();
		let two: Vec<_> = genesis_members(SubchainId(2)).into_iter().map(|(a, _)| a).collect();
		assert_eq!(one, member_keyrings().map(|k| k.to_account_id()).to_vec());
		assert_eq!(two.len(), 10);
		assert!(two.iter().all(|a| !one.contains(a)), "no node in two sub-chains");
		build(2, 1).execute_with(|| {
			for who in &two {
				assert!(pallet_subchain::Members::<Runtime>::contains_key(who));
				assert_eq!(
					pallet_balances::Pallet::<Runtime>::balance(who),
					presets::DEV_ENDOWMENT
				);
			}
			// The plain development accounts are funded on every chain, and are not members.
			let alice = Sr25519Keyring::Alice.to_account_id();
			assert_eq!(pallet_balances::Pallet::<Runtime>::balance(&alice), presets::DEV_ENDOWMENT);
			assert!(!pallet_subchain::Members::<Runtime>::contains_key(&alice));
			assert_eq!(pallet_dbsca::Committee::<Runtime>::get().into_inner(), two[..1].to_vec());
			// The biller signs blocks with the plain development key the node holds.
			let aura = pallet_aura::Authorities::<Runtime>::get().into_inner();
			assert_eq!(aura, vec![AuthorityKeys::dev(Sr25519Keyring::Alice).aura]);
		});
	}

	#[test]
	fn the_development_genesis_has_alice_alone() {
		build(1, 1).execute_with(|| {
			let committee = pallet_dbsca::Committee::<Runtime>::get().into_inner();
			assert_eq!(committee, vec![Sr25519Keyring::Alice.to_account_id()]);
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
			assert_eq!(pallet_subchain::Members::<Runtime>::count(), 10);
		});
	}

	#[test]
	fn a_committee_enacted_in_the_runtime_changes_aura_and_schedules_grandpa() {
		use codec::Encode;
		use dbm_primitives::dbsca::ElectionStatement;
		build(1, 4).execute_with(|| {
			frame_system::Pallet::<Runtime>::set_block_number(1);
			let alice = Sr25519Keyring::Alice.to_account_id();
			let root = crate::RuntimeOrigin::root();
			assert!(crate::Dbsca::request_election(root.clone(), Some(alice)).is_ok());
			let round = pallet_dbsca::CurrentRound::<Runtime>::get().unwrap();
			let committee: Vec<AccountId> =
				round.committee.iter().map(|(a, _)| a.clone()).collect();
			let expected: Vec<_> =
				member_keyrings()[1..4].iter().map(|k| k.to_account_id()).collect();
			assert_eq!(
				committee, expected,
				"Alice excluded, and only Bob, Charlie, Dave have keys"
			);
			let statement = ElectionStatement::new(
				frame_system::Pallet::<Runtime>::block_hash(0),
				SubchainId(1),
				round.index,
				round.members,
				committee.clone(),
				round.voters.to_vec(),
			);
			assert_eq!(
				Some(statement.signing_payload()),
				crate::Dbsca::confirmation_payload(round.index),
				"the statement names the genesis hash and the members the round counted"
			);
			for keyring in member_keyrings().into_iter().take(round.needed as usize) {
				let signature: dbm_primitives::Signature = keyring.sign(&statement.encode()).into();
				let origin = crate::RuntimeOrigin::signed(keyring.to_account_id());
				assert!(crate::Dbsca::confirm(
					origin,
					round.index,
					committee[0].clone(),
					signature
				)
				.is_ok());
			}
			assert!(crate::Dbsca::enact(root, round.index).is_ok());
			let aura = pallet_aura::Authorities::<Runtime>::get().into_inner();
			let bob = AuthorityKeys::dev(Sr25519Keyring::Bob).aura;
			assert_eq!(aura.len(), 4);
			assert_eq!((&aura[0], &aura[2]), (&bob, &bob), "the biller holds two slots of four");
			let pending = pallet_grandpa::PendingChange::<Runtime>::get().unwrap();
			assert_eq!(pending.next_authorities.len(), 3);
			assert_eq!(pending.delay, 0);
			pallet_dbsca::Pallet::<Runtime>::on_initialize(2);
		});
	}

	#[test]
	fn suspended_committee_members_leave_aura_and_grandpa_one_a_block() {
		build(1, 4).execute_with(|| {
			frame_system::Pallet::<Runtime>::set_block_number(1);
			let root = crate::RuntimeOrigin::root();
			let [alice, bob, charlie, dave] = [0, 1, 2, 3].map(|i| member_keyrings()[i]);
			let suspend = |keyring: Sr25519Keyring| {
				let who = keyring.to_account_id();
				let info = pallet_subchain::Members::<Runtime>::get(&who).unwrap();
				let info = pallet_dbsca::MemberInfo { suspended: true, ..info };
				assert!(crate::Subchain::update_member(root.clone(), who, info).is_ok());
			};
			let accounts = |keyrings: &[Sr25519Keyring]| -> Vec<AccountId> {
				keyrings.iter().map(|k| k.to_account_id()).collect()
			};
			let authors = |keyrings: &[Sr25519Keyring]| -> Vec<_> {
				keyrings.iter().map(|k| AuthorityKeys::dev(*k).aura).collect()
			};
			let voters = |keyrings: &[Sr25519Keyring]| -> Vec<_> {
				keyrings.iter().map(|k| (AuthorityKeys::dev(*k).grandpa, 1)).collect()
			};
			let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
			suspend(bob);
			suspend(charlie);
			assert_eq!(
				pallet_dbsca::Leaving::<Runtime>::get().into_inner(),
				accounts(&[bob, charlie])
			);
			// Block 2 takes Bob out: Aura at once (Alice, Alice, Charlie, Dave: the biller's
			// two slots of each rotation, as before), GRANDPA by a change without delay.
			frame_system::Pallet::<Runtime>::set_block_number(2);
			crate::Dbsca::on_initialize(2);
			let committee = pallet_dbsca::Committee::<Runtime>::get().into_inner();
			assert_eq!(committee, accounts(&[alice, charlie, dave]));
			let aura = pallet_aura::Authorities::<Runtime>::get().into_inner();
			assert_eq!(aura, authors(&[alice, alice, charlie, dave]));
			let pending = pallet_grandpa::PendingChange::<Runtime>::get().unwrap();
			assert_eq!(pending.next_authorities.into_inner(), voters(&[alice, charlie, dave]));
			assert_eq!(pending.delay, 0);
			assert_eq!(pallet_grandpa::CurrentSetId::<Runtime>::get(), set_id + 1);
			// Charlie waits while that change is pending (the block's end puts it in force),
			// and follows in block 3.
			type Adapter = pallet_dbsca::AuraGrandpa<Runtime>;
			assert!(<Adapter as pallet_dbsca::CommitteeHandler<
				AccountId,
				crate::opaque::SessionKeys,
			>>::busy());
			assert_eq!(pallet_dbsca::Leaving::<Runtime>::get().into_inner(), accounts(&[charlie]));
			crate::Grandpa::on_finalize(2);
			assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());
			assert_eq!(
				pallet_grandpa::Pallet::<Runtime>::grandpa_authorities(),
				voters(&[alice, charlie, dave])
			);
			frame_system::Pallet::<Runtime>::set_block_number(3);
			crate::Dbsca::on_initialize(3);
			assert_eq!(
				pallet_dbsca::Committee::<Runtime>::get().into_inner(),
				accounts(&[alice, dave])
			);
			assert_eq!(
				pallet_aura::Authorities::<Runtime>::get().into_inner(),
				authors(&[alice, alice, dave])
			);
			let pending = pallet_grandpa::PendingChange::<Runtime>::get().unwrap();
			assert_eq!(pending.next_authorities.into_inner(), voters(&[alice, dave]));
			assert_eq!(pallet_grandpa::CurrentSetId::<Runtime>::get(), set_id + 2);
			assert!(pallet_dbsca::Leaving::<Runtime>::get().is_empty());
		});
	}

	#[test]
	fn the_consensus_adapter_refuses_an_authoring_order_it_cannot_apply() {
		use pallet_dbsca::{CommitteeHandler, Error};
		build(1, 4).execute_with(|| {
			let committee: Vec<_> = member_keyrings()[..2]
				.iter()
				.map(|k| {
					(
						k.to_account_id(),
						pallet_dbsca::Keys::<Runtime>::get(k.to_account_id()).unwrap(),
					)
				})
				.collect();
			type Adapter = pallet_dbsca::AuraGrandpa<Runtime>;
			// A position outside the committee, and more slots than Aura takes.
			assert_eq!(
				Adapter::apply(&committee, &[0, 2]),
				Err(Error::<Runtime>::AuthoringOrderTooLong.into())
			);
			let too_long = vec![0; Adapter::max_authorities() as usize + 1];
			assert_eq!(
				Adapter::apply(&committee, &too_long),
				Err(Error::<Runtime>::AuthoringOrderTooLong.into())
			);
			assert_eq!(Adapter::apply(&committee, &[0, 1, 0]), Ok(()));
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
		});
	}

	#[test]
	fn the_parents_price_and_committee_size_decisions_change_the_sub_chains_rules() {
		use dbm_primitives::{dbsca::MAX_COMMITTEE_SIZE, membership::Message};
		use pallet_parent_inbox::ParentDecisions as _;
		type Decisions = configs::ParentDecisions;
		build(1, 4).execute_with(|| {
			frame_system::Pallet::<Runtime>::set_block_number(1);
			let prices = Message::SetPrices { feed_in_tariff: 100, grid_price: 250 };
			assert!(Decisions::has_room(&prices));
			assert_eq!(Decisions::apply(&prices), Ok(()));
			let now = pallet_energy_trade::Pallet::<Runtime>::prices();
			assert_eq!((now.feed_in_tariff, now.grid_price), (100, 250));
			// A message the parent would never send is refused here too, and changes nothing.
			let inverted = Message::SetPrices { feed_in_tariff: 251, grid_price: 250 };
			assert_eq!(
				Decisions::apply(&inverted),
				Err(pallet_energy_trade::Error::<Runtime>::InvalidPriceBounds.into())
			);
			assert_eq!(pallet_energy_trade::Pallet::<Runtime>::prices().grid_price, 250);

			// A meter replaced as both layers voted; a key another member's meter has is
			// refused here, whatever the parent sent.
			let alice = Sr25519Keyring::Alice.to_account_id();
			let bob = Sr25519Keyring::Bob.to_account_id();
			let new_key = sp_core::ed25519::Public::from_raw([42; 32]);
			let replaced = Message::SetMeter { who: alice.clone(), meter: Some(new_key) };
			assert_eq!(Decisions::apply(&replaced), Ok(()));
			assert_eq!(
				pallet_subchain::Meters::<Runtime>::get(&alice).map(|m| m.key),
				Some(new_key)
			);
			let bobs = pallet_subchain::Meters::<Runtime>::get(&bob).map(|m| m.key);
			assert_eq!(
				Decisions::apply(&Message::SetMeter { who: alice.clone(), meter: bobs }),
				Err(pallet_subchain::Error::<Runtime>::MeterInUse.into())
			);
			assert_eq!(
				Decisions::apply(&Message::SetMeter { who: alice.clone(), meter: None }),
				Ok(())
			);
			assert_eq!(pallet_subchain::Meters::<Runtime>::get(&alice), None);

			// An admission with the new member's meter: the member and its meter; with a meter
			// key another member's meter took meanwhile, the member without a meter.
			let info = MemberInfo {
				role: dbm_primitives::membership::Role::Consumer,
				attested: Default::default(),
				suspended: false,
			};
			let (newcomer, second) = (AccountId::from([0xAA; 32]), AccountId::from([0xBB; 32]));
			let meter = sp_core::ed25519::Public::from_raw([0xAA; 32]);
			let admit = |who: &AccountId| Message::AdmitWithMeter {
				who: who.clone(),
				info,
				endowment: 0,
				meter,
			};
			assert_eq!(Decisions::apply(&admit(&newcomer)), Ok(()));
			assert_eq!(
				pallet_subchain::Meters::<Runtime>::get(&newcomer).map(|m| m.key),
				Some(meter)
			);
			assert_eq!(Decisions::apply(&admit(&second)), Ok(()));
			assert!(pallet_subchain::Members::<Runtime>::contains_key(&second));
			assert_eq!(pallet_subchain::Meters::<Runtime>::get(&second), None);

			// The network charge: at most the feed-in tariff.
			let charge = Message::SetNetworkCharge { per_kwh: 100 };
			assert_eq!(Decisions::apply(&charge), Ok(()));
			assert_eq!(pallet_energy_trade::Pallet::<Runtime>::prices().network_charge, 100);
			assert_eq!(
				Decisions::apply(&Message::SetNetworkCharge { per_kwh: 101 }),
				Err(pallet_energy_trade::Error::<Runtime>::NetworkChargeAboveFeedInTariff.into())
			);
			assert_eq!(pallet_energy_trade::Pallet::<Runtime>::prices().network_charge, 100);

			let size = Message::SetCommitteeSize { size: MAX_COMMITTEE_SIZE };
			assert_eq!(Decisions::apply(&size), Ok(()));
			assert_eq!(pallet_dbsca::CommitteeSize::<Runtime>::get(), MAX_COMMITTEE_SIZE);
			assert_eq!(
				Decisions::apply(&Message::SetCommitteeSize { size: MAX_COMMITTEE_SIZE + 1 }),
				Err(pallet_dbsca::Error::<Runtime>::InvalidCommitteeSize.into())
			);
			assert_eq!(pallet_dbsca::CommitteeSize::<Runtime>::get(), MAX_COMMITTEE_SIZE);
			// Applying either costs no more than the weight the inbox charges for a message.
			use frame_support::weights::Weight;
			let charged = Decisions::apply_weight();
			type Energy = pallet_energy_trade::weights::SubstrateWeight<Runtime>;
			type Dbsca = pallet_dbsca::weights::SubstrateWeight<Runtime>;
			let set_prices: Weight = <Energy as pallet_energy_trade::WeightInfo>::set_prices();
			let set_size: Weight = <Dbsca as pallet_dbsca::WeightInfo>::set_committee_size();
			let set_charge: Weight =
				<Energy as pallet_energy_trade::WeightInfo>::set_network_charge();
			assert!(
				set_prices.all_lte(charged)
					&& set_size.all_lte(charged)
					&& set_charge.all_lte(charged)
			);
		});
	}

	#[test]
	fn an_upgrade_the_parent_authorized_takes_only_its_code() {
		use dbm_primitives::membership::Message;
		use pallet_parent_inbox::ParentDecisions as _;
		type Decisions = configs::ParentDecisions;
		build(1, 4).execute_with(|| {
			frame_system::Pallet::<Runtime>::set_block_number(1);
			let code = b"not a runtime".to_vec();
			let code_hash = sp_io::hashing::blake2_256(&code).into();
			assert_eq!(Decisions::apply(&Message::AuthorizeUpgrade { code_hash }), Ok(()));
			let authorized =
				frame_system::Pallet::<Runtime>::authorized_upgrade().expect("authorized");
			assert_eq!(*authorized.code_hash(), code_hash);
			// Other code than authorized: refused, the authorization kept.
			let other = frame_system::Pallet::<Runtime>::apply_authorized_upgrade(
				crate::RuntimeOrigin::none(),
				b"other code".to_vec(),
			);
			assert_eq!(
				other.map_err(|e| e.error),
				Err(frame_system::Error::<Runtime>::Unauthorized.into())
			);
			assert!(frame_system::Pallet::<Runtime>::authorized_upgrade().is_some());
			// Authorizing costs no more than the inbox charges for a message.
			type System = <Runtime as frame_system::Config>::SystemWeightInfo;
			let authorize = <System as frame_system::WeightInfo>::authorize_upgrade();
			assert!(authorize.all_lte(Decisions::apply_weight()));
		});
	}
}
