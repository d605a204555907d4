//! The built-in chain specifications of both layers and the loading of chain-spec files.
//!
//! Every spec says which layer it is for in its `layer` extension (`"parent"` or `"sub"`); the
//! node picks the runtime APIs to serve from it. A sub-chain spec also names its sub-chain id
//! (`subchainId`), which its genesis carries too.
//!
//! The development parent (`parent-dev`) registers the development sub-chains `sub-1` ...
//! `sub-N` (`--subchains N`, default 2) in its genesis: the node builds each sub-chain's spec,
//! computes its genesis hash and the hash of its raw spec, and puts them with the sub-chain's
//! members and genesis committee in the registry's genesis, so the parent knows the sub-chains
//! `--dev` runs from block 0.

use dbm_primitives::{currency, AccountId, SubchainId};
use sc_chain_spec::ChainSpecExtension;
use sc_service::ChainType;
use serde::{Deserialize, Serialize};
use sp_core::H256;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_runtime::StateVersion;
use std::path::PathBuf;

/// The two layers of the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
	/// The parent (relay-like) chain.
	#[default]
	Parent,
	/// A sub-chain of one part of the microgrid.
	Sub,
}

/// What a DB-Microgrid chain spec carries besides the genesis: its layer and, for a sub-chain,
/// its id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ChainSpecExtension)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Extensions {
	/// Which runtime the spec is for. Specs without it are parent specs.
	#[serde(default)]
	pub layer: Layer,
	/// The sub-chain's id (sub-chains only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub subchain_id: Option<SubchainId>,
}

impl Extensions {
	/// The extensions of the spec `spec`.
	pub fn of(spec: &dyn sc_service::ChainSpec) -> Extensions {
		sc_chain_spec::get_extension::<Extensions>(spec.extensions()).cloned().unwrap_or_default()
	}
}

/// A chain specification of either layer (genesis as a runtime preset or raw storage).
pub type ChainSpec = sc_service::GenericChainSpec<Extensions>;

/// The highest sub-chain id of the built-in specs (the paper's 100 nodes form 10 groups;
/// twice that leaves room).
pub const MAX_BUILT_IN_SUBCHAIN: u32 = 20;

/// Token symbol, decimals and address format, as wallets read them.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), currency::SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::DECIMALS.into());
	properties.insert(
		"ss58Format".into(),
		<dbm_runtime_common::SS58Prefix as sp_core::Get<u16>>::get().into(),
	);
	properties
}

fn wasm(layer: Layer) -> Result<&'static [u8], String> {
	match layer {
		Layer::Parent => dbm_parent_runtime::WASM_BINARY,
		Layer::Sub => dbm_sub_runtime::WASM_BINARY,
	}
	.ok_or_else(|| {
		format!("the {layer:?} runtime's wasm was not built (the binary was built with SKIP_WASM_BUILD)")
	})
}

/// The most development sub-chains `parent-dev` registers: the parent registry's
/// `MaxSubchains`.
pub const MAX_DEV_SUBCHAINS: u32 = 16;

/// How many development sub-chains `--dev` runs, and `parent-dev` registers, by default.
pub const DEFAULT_DEV_SUBCHAINS: u32 = 2;

/// The location area the development parent registers sub-chain `id` under: `DEV-<id>`.
pub fn dev_area(id: SubchainId) -> String {
	format!("DEV-{id}")
}

/// The hash of the genesis block whose state is `storage`, as a client computes it.
pub fn genesis_hash(storage: sp_core::storage::Storage, state_version: StateVersion) -> H256 {
	use sp_runtime::traits::Block as _;
	let state = sp_state_machine::InMemoryBackend::<sp_runtime::traits::BlakeTwo256>::from((
		storage,
		state_version,
	));
	sc_chain_spec::construct_genesis_block::<dbm_primitives::Block>(*state.root(), state_version)
		.hash()
}

/// The genesis state of sub-chain `id` with `authorities` authorities, as its spec's genesis
/// builder makes it (the preset applied to the default config, plus the runtime's code), but
/// built with the node's native copy of the runtime: milliseconds instead of a run of the
/// wasm runtime per sub-chain.
pub fn sub_genesis_storage(
	id: SubchainId,
	authorities: usize,
) -> Result<sp_core::storage::Storage, String> {
	use sp_runtime::BuildStorage;
	let mut config = serde_json::to_value(dbm_sub_runtime::RuntimeGenesisConfig::default())
		.map_err(|e| e.to_string())?;
	dbm_runtime_common::presets::json_merge(
		&mut config,
		dbm_sub_runtime::genesis_config_presets::genesis(id, authorities),
	);
	let config: dbm_sub_runtime::RuntimeGenesisConfig =
		serde_json::from_value(config).map_err(|e| format!("sub-chain {id}'s genesis: {e}"))?;
	let mut storage = config.build_storage()?;
	storage
		.top
		.insert(sp_core::storage::well_known_keys::CODE.to_vec(), wasm(Layer::Sub)?.to_vec());
	Ok(storage)
}

/// What the development parent's genesis registers of development sub-chain `id`: the genesis
/// hash of `sub-<id>`, the blake2-256 hash of its spec as `build-spec --chain sub-<id>` writes
/// it, its name, area, members and genesis committee; no boot nodes (a dev node's network key
/// is new each run).
pub fn dev_registration(
	id: SubchainId,
) -> Result<pallet_biller_registry::GenesisSubchain<AccountId>, String> {
	use dbm_sub_runtime::genesis_config_presets as sub_presets;
	let spec = sub(id, 1)?;
	let genesis_hash =
		genesis_hash(sub_genesis_storage(id, 1)?, dbm_sub_runtime::VERSION.state_version());
	let chain_spec_hash = H256(sp_io::hashing::blake2_256(spec.as_json(false)?.as_bytes()));
	Ok(pallet_biller_registry::GenesisSubchain {
		id,
		name: spec.name().as_bytes().to_vec(),
		location: dev_area(id).into_bytes(),
		genesis_hash,
		chain_spec_hash,
		boot_nodes: Vec::new(),
		members: sub_presets::genesis_members(id),
		committee: sub_presets::genesis_committee(id, 1).into_iter().map(|(a, _)| a).collect(),
	})
}

/// The parent chain with one authority (Alice), for development, with the development
/// sub-chains 1 to `subchains` registered (the runtime's preset funds their relayers).
pub fn parent_development(subchains: u32) -> Result<ChainSpec, String> {
	if subchains > MAX_DEV_SUBCHAINS {
		return Err(format!("at most {MAX_DEV_SUBCHAINS} development sub-chains"));
	}
	let preset = dbm_parent_runtime::genesis_config_presets::get_preset(&DEV_RUNTIME_PRESET.into())
		.ok_or("the parent runtime has no development preset")?;
	let mut patch: serde_json::Value =
		serde_json::from_slice(&preset).map_err(|e| format!("the development preset: {e}"))?;
	let registrations =
		(1..=subchains).map(|n| dev_registration(SubchainId(n))).collect::<Result<Vec<_>, _>>()?;
	patch["billerRegistry"]["subchains"] =
		serde_json::to_value(registrations).map_err(|e| e.to_string())?;
	Ok(ChainSpec::builder(wasm(Layer::Parent)?, Extensions::default())
		.with_name("DB-Microgrid Parent Development")
		.with_id("parent-dev")
		.with_protocol_id("dbm-parent-dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(patch)
		.with_properties(properties())
		.build())
}

/// The parent chain with four authorities (Alice, Bob, Charlie, Dave) on one machine.
pub fn parent_local() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm(Layer::Parent)?, Extensions::default())
		.with_name("DB-Microgrid Parent Local Testnet")
		.with_id("parent-local")
		.with_protocol_id("dbm-parent-local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// Sub-chain `id` with `authorities` development authorities (1: Alice, for development; 4:
/// Alice, Bob, Charlie, Dave, a local testnet that survives one dead validator).
pub fn sub(id: SubchainId, authorities: usize) -> Result<ChainSpec, String> {
	let (kind, chain_type) = if authorities == 1 {
		("dev", ChainType::Development)
	} else {
		("local", ChainType::Local)
	};
	let extensions = Extensions { layer: Layer::Sub, subchain_id: Some(id) };
	Ok(ChainSpec::builder(wasm(Layer::Sub)?, extensions)
		.with_name(&format!("DB-Microgrid Sub-chain {id}"))
		.with_id(&format!("sub-{id}-{kind}"))
		.with_protocol_id(&format!("dbm-sub-{id}-{kind}"))
		.with_chain_type(chain_type)
		.with_genesis_config_patch(dbm_sub_runtime::genesis_config_presets::genesis(
			id,
			authorities,
		))
		.with_properties(properties())
		.build())
}

/// The slot duration of `sub-dev-6s`, in milliseconds.
pub const SLOW_SLOT_MILLIS: u64 = 6_000;

/// `sub-dev-6s`: sub-chain 1 for development with six-second slots instead of three, set in its
/// genesis storage ([`dbm_runtime_common::slot_duration_storage`]). The throughput benchmarks
/// compare a sub-chain's energy trading with plain balance transfers on a chain with the slots
/// of a typical Substrate chain; the block weight limit is the same, so a block holds as much.
pub fn sub_slow_slots() -> Result<ChainSpec, String> {
	use sp_runtime::BuildStorage;
	let extensions = Extensions { layer: Layer::Sub, subchain_id: Some(SubchainId(1)) };
	let mut spec = ChainSpec::builder(wasm(Layer::Sub)?, extensions)
		.with_name("DB-Microgrid Sub-chain 1, six-second slots")
		.with_id("sub-dev-6s")
		.with_protocol_id("dbm-sub-dev-6s")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(dbm_sub_runtime::genesis_config_presets::genesis(
			SubchainId(1),
			1,
		))
		.with_properties(properties())
		.build();
	let mut storage = spec.build_storage()?;
	let (key, value) = dbm_runtime_common::slot_duration_storage(SLOW_SLOT_MILLIS);
	storage.top.insert(key, value);
	sc_service::ChainSpec::set_storage(&mut spec, storage);
	Ok(spec)
}

/// `single-100`: the paper's reference model of one layer. All 100 nodes of the paper's table
/// are members of one chain (the sub-chain runtime as sub-chain 1, with no parent), with one
/// biller, Alice. Each node has the account it has in the ten-sub-chain layout (group `N`'s
/// nodes are sub-chain `N`'s members), so both layouts trade with the same accounts. The best
/// `MaxCandidates` nodes by DBSCA score stand for biller.
pub fn single_layer() -> Result<ChainSpec, String> {
	use dbm_primitives::dbsca::{rank, ScoreWeights};
	use dbm_sub_runtime::genesis_config_presets as presets;
	use sp_core::Get;
	let groups = dbm_primitives::paper::parse_csv(dbm_primitives::paper::PAPER_CSV)
		.map_err(|e| format!("the paper's table: {e}"))?
		.len()
		.div_ceil(presets::GROUP_SIZE) as u32;
	let nodes: Vec<_> = (1..=groups)
		.flat_map(|n| {
			let id = SubchainId(n);
			presets::genesis_members(id).into_iter().zip(presets::paper_group(id))
		})
		.collect();
	let mut patch = presets::genesis(SubchainId(1), 1);
	patch["subchain"]["members"] = serde_json::to_value(
		nodes.iter().map(|((account, info), _)| (account, info)).collect::<Vec<_>>(),
	)
	.map_err(|e| e.to_string())?;
	let most: u32 = <dbm_sub_runtime::Runtime as pallet_dbsca::Config>::MaxCandidates::get();
	let weights = ScoreWeights::default();
	let scores: Vec<_> =
		nodes.iter().map(|(_, node)| (node.number, weights.score(&node.attributes))).collect();
	let candidates: Vec<_> = rank(&scores)
		.into_iter()
		.take(most as usize)
		.filter_map(|(number, _)| nodes.iter().find(|(_, node)| node.number == number))
		.map(|((account, _), node)| {
			serde_json::json!({
				"account": account,
				"attributes": node.attributes,
				"capacityW": presets::PAPER_NODE_CAPACITY_W,
				"location": format!("single layer, paper node {}", node.number).into_bytes(),
			})
		})
		.collect();
	patch["dbsca"]["candidates"] = candidates.into();
	if let Some(balances) = patch["balances"]["balances"].as_array_mut() {
		let funded: Vec<AccountId> = balances
			.iter()
			.filter_map(|entry| serde_json::from_value(entry[0].clone()).ok())
			.collect();
		for ((account, _), _) in nodes.iter().filter(|((a, _), _)| !funded.contains(a)) {
			balances.push(serde_json::json!([account, dbm_runtime_common::presets::DEV_ENDOWMENT]));
		}
	}
	let extensions = Extensions { layer: Layer::Sub, subchain_id: Some(SubchainId(1)) };
	Ok(ChainSpec::builder(wasm(Layer::Sub)?, extensions)
		.with_name("DB-Microgrid Single Layer (the paper's 100 nodes)")
		.with_id("single-100")
		.with_protocol_id("dbm-single-100")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(patch)
		.with_properties(properties())
		.build())
}

/// The ids `--chain` accepts besides a path to a chain-spec JSON file.
pub const BUILT_IN: &str =
	"parent-dev (or dev), parent-local, sub-dev, sub-dev-6s, sub-<N>, sub-<N>-local, single-100";

/// Parses `sub-<N>` and `sub-<N>-local` (N in 1..=MAX_BUILT_IN_SUBCHAIN).
fn parse_sub(id: &str) -> Option<(SubchainId, usize)> {
	let rest = id.strip_prefix("sub-")?;
	let (number, authorities) = match rest.strip_suffix("-local") {
		Some(number) => (number, dbm_runtime_common::presets::LOCAL_TESTNET_AUTHORITIES),
		None => (rest.strip_suffix("-dev").unwrap_or(rest), 1),
	};
	let n: u32 = number.parse().ok()?;
	(1..=MAX_BUILT_IN_SUBCHAIN).contains(&n).then_some((SubchainId(n), authorities))
}

/// Resolves `--chain`: a built-in id or the path of a chain-spec JSON file; `parent-dev`
/// registers the development sub-chains 1 to `dev_subchains`.
pub fn load(id: &str, dev_subchains: u32) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"" | "dev" | "parent-dev" => Box::new(parent_development(dev_subchains)?),
		"parent-local" => Box::new(parent_local()?),
		"sub-dev" => Box::new(sub(SubchainId(1), 1)?),
		"sub-dev-6s" => Box::new(sub_slow_slots()?),
		"single-100" => Box::new(single_layer()?),
		other => {
			if let Some((subchain, authorities)) = parse_sub(other) {
				Box::new(sub(subchain, authorities)?)
			} else {
				let path = PathBuf::from(other);
				if !path.is_file() {
					return Err(format!(
						"unknown chain `{other}`: expected {BUILT_IN} (N from 1 to {MAX_BUILT_IN_SUBCHAIN}) or the path of a chain-spec JSON file"
					));
				}
				Box::new(
					ChainSpec::from_json_file(path)
						.map_err(|e| format!("invalid chain-spec file `{other}`: {e}"))?,
				)
			}
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;

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
			Extensions { layer: Layer::Sub, subchain_id: Some(SubchainId(2)) }
		);
	}

	#[test]
	fn two_sub_chains_never_share_a_genesis() {
		let storage = |id| {
			use sp_runtime::BuildStorage;
			sub(SubchainId(id), 1).unwrap().build_storage().unwrap()
		};
		assert_ne!(storage(1).top, storage(2).top);
	}

	/// The genesis hash the registry is given is the one the node's own client computes from
	/// the spec (through the wasm runtime's genesis builder).
	#[tokio::test(flavor = "multi_thread")]
	async fn genesis_hashes_are_the_clients() {
		use clap::Parser;
		use sc_cli::SubstrateCli;
		use sp_runtime::BuildStorage;
		let base = std::env::temp_dir().join(format!("dbm-genesis-test-{}", std::process::id()));
		let cli = crate::cli::Cli::try_parse_from([
			"dbm-node",
			"--chain",
			"sub-2",
			"--base-path",
			base.to_str().expect("a UTF-8 temp dir"),
		])
		.expect("valid arguments");
		let config = cli
			.create_configuration(&cli.run, tokio::runtime::Handle::current())
			.expect("a configuration");
		let parts = crate::service::new_partial::<dbm_sub_runtime::apis::RuntimeApi>(&config)
			.expect("the node's components");
		let client = sp_blockchain::HeaderBackend::info(&*parts.client).genesis_hash;
		let registered = dev_registration(SubchainId(2)).unwrap();
		assert_eq!(registered.genesis_hash, client);
		// The native state is the wasm genesis builder's, key for key.
		let native = sub_genesis_storage(SubchainId(2), 1).unwrap();
		let built = sub(SubchainId(2), 1).unwrap().build_storage().unwrap();
		assert_eq!(native.top, built.top);
		let spec = sub(SubchainId(2), 1).unwrap().as_json(false).unwrap();
		assert_eq!(registered.chain_spec_hash, H256(sp_io::hashing::blake2_256(spec.as_bytes())));
		drop(parts);
		let _ = std::fs::remove_dir_all(&base);
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
	fn the_slow_chain_has_six_second_slots_and_the_others_three() {
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

	#[test]
	fn extensions_round_trip_through_a_spec_file() {
		let json = sub(SubchainId(5), 1).unwrap().as_json(false).unwrap();
		let value: serde_json::Value = serde_json::from_str(&json).unwrap();
		assert_eq!(value["layer"], "sub");
		assert_eq!(value["subchainId"], 5);
		let back = ChainSpec::from_json_bytes(json.into_bytes()).unwrap();
		assert_eq!(back.extensions().subchain_id, Some(SubchainId(5)));
	}
}
