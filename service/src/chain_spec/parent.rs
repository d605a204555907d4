//! The built-in parent chain specs: `parent-dev`, which registers the development sub-chains
//! in its genesis, and `parent-local`.

use super::{
	common::{genesis_hash, properties, wasm, ChainSpec, Extensions, Layer},
	sub::{sub, sub_genesis_storage},
};
use dbm_primitives::{AccountId, SubchainId};
use sc_service::ChainType;
use sp_core::H256;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

/// The most development sub-chains `parent-dev` registers: the parent registry's
/// `MaxSubchains`.
pub const MAX_DEV_SUBCHAINS: u32 = 16;

/// How many development sub-chains `--dev` runs, and `parent-dev` registers, by default.
pub const DEFAULT_DEV_SUBCHAINS: u32 = 2;

/// The location area the development parent registers sub-chain `id` under: `DEV-<id>`.
pub fn dev_area(id: SubchainId) -> String {
	format!("DEV-{id}")
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

/// The parent chain with six authorities (Alice to Ferdie) on one machine: two of them
/// failing at once stall GRANDPA (five of six must vote) until finality recovery leaves them
/// out (`pallet_finality_recovery`).
pub fn parent_local_six() -> Result<ChainSpec, String> {
	let patch = dbm_parent_runtime::genesis_config_presets::parent_genesis(6);
	Ok(ChainSpec::builder(wasm(Layer::Parent)?, Extensions::default())
		.with_name("DB-Microgrid Parent Local Testnet of Six")
		.with_id("parent-local-6")
		.with_protocol_id("dbm-parent-local-6")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_patch(patch)
		.with_properties(properties())
		.build())
}
