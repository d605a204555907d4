//! The built-in chain specs, checked without starting a node: ids, layers, extensions, the
//! development parent's registry of the development sub-chains, genesis differences.

use dbm_primitives::SubchainId;
use dbm_service::chain_spec::{
	dev_area, dev_registration, genesis_hash, load, parent_development, parse_sub, single_layer,
	sub, sub_slow_slots, ChainSpec, Extensions, Layer, MAX_DEV_SUBCHAINS, SLOW_SLOT_MILLIS,
};
use sc_service::ChainType;

#[test]
fn unknown_chain_id_names_the_choices() {
	for id in ["nonsense", "sub-0", "sub-21", "sub-x", "sub-2-remote"] {
		let err = load(id, 0).err().unwrap_or_default();
		assert!(err.contains(&format!("unknown chain `{id}`")), "{err}");
		assert!(err.contains("parent-dev"), "{err}");
	}
}

#[test]
fn malformed_chain_spec_file_is_refused_with_the_parse_error() {
	let dir = std::env::temp_dir().join(format!("dbm-spec-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let file = dir.join("broken.json");
	std::fs::write(&file, b"{ \"name\": ").unwrap();
	let err = load(file.to_str().unwrap(), 0).err().unwrap_or_default();
	std::fs::remove_dir_all(&dir).ok();
	assert!(err.starts_with("invalid chain-spec file"), "{err}");
	assert!(err.contains("Error parsing spec file"), "{err}");
}

#[test]
fn sub_chain_ids_parse() {
	assert_eq!(parse_sub("sub-3"), Some((SubchainId(3), 1)));
	assert_eq!(parse_sub("sub-3-dev"), Some((SubchainId(3), 1)));
	assert_eq!(parse_sub("sub-20-local"), Some((SubchainId(20), 4)));
	assert_eq!(parse_sub("sub-"), None);
}

#[test]
fn built_in_specs_carry_their_layer_and_id() {
	let parent = load("parent-dev", 0).unwrap();
	assert_eq!(parent.id(), "parent-dev");
	assert_eq!(Extensions::of(&*parent), Extensions::default());
	let sub = load("sub-2-local", 0).unwrap();
	assert_eq!(sub.id(), "sub-2-local");
	assert_eq!(sub.chain_type(), ChainType::Local);
	assert_eq!(
		Extensions::of(&*sub),
		Extensions { layer: Layer::Sub, subchain_id: Some(SubchainId(2)), ..Default::default() }
	);
}

#[test]
fn grandpa_gossip_comes_from_the_spec_with_a_default_and_a_floor() {
	use dbm_service::chain_spec::{DEFAULT_GRANDPA_GOSSIP_MILLIS, MIN_GRANDPA_GOSSIP_MILLIS};
	use std::time::Duration;
	let built_in = Extensions::of(&*load("sub-1", 0).unwrap());
	assert_eq!(built_in.grandpa_gossip_millis, None);
	assert_eq!(
		built_in.grandpa_gossip_duration(),
		Duration::from_millis(DEFAULT_GRANDPA_GOSSIP_MILLIS)
	);
	// A spec file may ask for another gossip duration, e.g. for validators far apart.
	let json = sub(SubchainId(1), 4).unwrap().as_json(false).unwrap();
	let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
	value["grandpaGossipMillis"] = 250.into();
	let spec = ChainSpec::from_json_bytes(value.to_string().into_bytes()).unwrap();
	assert_eq!(Extensions::of(&spec).grandpa_gossip_duration(), Duration::from_millis(250));
	// Below the floor it is raised to the floor, not taken.
	value["grandpaGossipMillis"] = 1.into();
	let spec = ChainSpec::from_json_bytes(value.to_string().into_bytes()).unwrap();
	assert_eq!(
		Extensions::of(&spec).grandpa_gossip_duration(),
		Duration::from_millis(MIN_GRANDPA_GOSSIP_MILLIS)
	);
}

#[test]
fn extensions_round_trip_through_a_spec_file() {
	let json = sub(SubchainId(5), 1).unwrap().as_json(false).unwrap();
	let value: serde_json::Value = serde_json::from_str(&json).unwrap();
	assert_eq!(value["layer"], "sub");
	assert_eq!(value["subchainId"], 5);
	let back = ChainSpec::from_json_bytes(json.into_bytes()).unwrap();
	assert_eq!(back.extensions().subchain_id, Some(SubchainId(5)));
}

#[test]
fn the_slow_chain_has_six_second_slots_and_the_others_half_a_second() {
	use sp_runtime::BuildStorage;
	let slot = |spec: ChainSpec| {
		sp_io::TestExternalities::new(spec.build_storage().unwrap())
			.execute_with(|| dbm_runtime_common::MinimumPeriod::get() * 2)
	};
	assert_eq!(slot(sub_slow_slots().unwrap()), SLOW_SLOT_MILLIS);
	assert_eq!(slot(sub(SubchainId(1), 1).unwrap()), dbm_primitives::time::SLOT_DURATION);
	// The slow chain is not sub-chain 1 as the development parent registers it.
	let slow = sub_slow_slots().unwrap().build_storage().unwrap();
	let state_version = dbm_sub_runtime::VERSION.state_version();
	assert_ne!(
		genesis_hash(slow, state_version),
		dev_registration(SubchainId(1)).unwrap().genesis_hash
	);
	// A JSON spec of it keeps the longer slots.
	let json = sub_slow_slots().unwrap().as_json(true).unwrap();
	assert_eq!(slot(ChainSpec::from_json_bytes(json.into_bytes()).unwrap()), SLOW_SLOT_MILLIS);
}

#[test]
fn the_development_parent_registers_the_development_sub_chains() {
	use sp_runtime::BuildStorage;
	let spec = parent_development(2).unwrap();
	let mut ext = sp_io::TestExternalities::new(spec.build_storage().unwrap());
	ext.execute_with(|| {
		type Registry = pallet_biller_registry::Pallet<dbm_parent_runtime::Runtime>;
		let listed = Registry::subchains();
		assert_eq!(listed.len(), 2);
		for (id, info) in listed {
			let expected = dev_registration(id).unwrap();
			assert_eq!(info.genesis_hash, expected.genesis_hash);
			assert_eq!(info.location.to_vec(), dev_area(id).into_bytes());
			let members = Registry::members(id);
			assert_eq!(members.len(), 10, "sub-chain {id}");
			let committee =
				pallet_biller_registry::Elections::<dbm_parent_runtime::Runtime>::get(id)
					.expect("the genesis committee is confirmed")
					.committee
					.into_inner();
			assert_eq!(committee, expected.committee);
		}
		assert_ne!(
			dev_registration(SubchainId(1)).unwrap().genesis_hash,
			dev_registration(SubchainId(2)).unwrap().genesis_hash
		);
		Registry::do_try_state().expect("the registry's invariants hold");
	});
	assert!(parent_development(MAX_DEV_SUBCHAINS + 1).is_err());
	// As many as the registry takes.
	use sp_core::Get;
	let most: u32 =
		<dbm_parent_runtime::Runtime as pallet_biller_registry::Config>::MaxSubchains::get();
	assert_eq!(MAX_DEV_SUBCHAINS, most);
	let full = parent_development(MAX_DEV_SUBCHAINS).unwrap().build_storage().unwrap();
	sp_io::TestExternalities::new(full).execute_with(|| {
		type Registry = pallet_biller_registry::Pallet<dbm_parent_runtime::Runtime>;
		assert_eq!(Registry::subchains().len(), MAX_DEV_SUBCHAINS as usize);
	});
}

#[test]
fn two_sub_chains_never_share_a_genesis() {
	let storage = |id| {
		use sp_runtime::BuildStorage;
		sub(SubchainId(id), 1).unwrap().build_storage().unwrap()
	};
	assert_ne!(storage(1).top, storage(2).top);
}

#[test]
fn the_single_layer_has_all_hundred_paper_nodes_and_one_biller() {
	use sp_runtime::BuildStorage;
	type Runtime = dbm_sub_runtime::Runtime;
	let storage = single_layer().unwrap().build_storage().unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		let members: Vec<_> = pallet_subchain::Members::<Runtime>::iter_keys().collect();
		assert_eq!(members.len(), 100);
		// The same accounts as in the ten sub-chains, every one funded.
		for n in 1..=10 {
			for (account, _) in
				dbm_sub_runtime::genesis_config_presets::genesis_members(SubchainId(n))
			{
				assert!(members.contains(&account), "sub-chain {n}'s member");
				let free = pallet_balances::Pallet::<Runtime>::free_balance(&account);
				assert_eq!(free, dbm_runtime_common::presets::DEV_ENDOWMENT);
			}
		}
		assert_eq!(pallet_dbsca::Candidates::<Runtime>::count(), 32);
	});
}
