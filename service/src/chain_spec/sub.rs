//! The built-in sub-chain specs: `sub-<N>` and `sub-<N>-local`, `sub-dev-6s` and the paper's
//! single layer `single-100`.

use super::common::{properties, wasm, ChainSpec, Extensions, Layer};
use dbm_primitives::{AccountId, SubchainId};
use sc_service::ChainType;

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

/// Sub-chain `id` with `authorities` development authorities (1: Alice, for development; 4:
/// Alice, Bob, Charlie, Dave, a local testnet that survives one dead validator).
pub fn sub(id: SubchainId, authorities: usize) -> Result<ChainSpec, String> {
	let (kind, chain_type) = if authorities == 1 {
		("dev", ChainType::Development)
	} else {
		("local", ChainType::Local)
	};
	let extensions = Extensions { layer: Layer::Sub, subchain_id: Some(id), ..Default::default() };
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

/// `sub-dev-6s`: sub-chain 1 for development with six-second slots instead of half a second,
/// set in its genesis storage ([`dbm_runtime_common::slot_duration_storage`]): the slots of a
/// typical Substrate chain, for comparisons. The block weight limit is the runtime's, so a block
/// holds no more than a half-second one.
pub fn sub_slow_slots() -> Result<ChainSpec, String> {
	use sp_runtime::BuildStorage;
	let extensions =
		Extensions { layer: Layer::Sub, subchain_id: Some(SubchainId(1)), ..Default::default() };
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
	let extensions =
		Extensions { layer: Layer::Sub, subchain_id: Some(SubchainId(1)), ..Default::default() };
	Ok(ChainSpec::builder(wasm(Layer::Sub)?, extensions)
		.with_name("DB-Microgrid Single Layer (the paper's 100 nodes)")
		.with_id("single-100")
		.with_protocol_id("dbm-single-100")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(patch)
		.with_properties(properties())
		.build())
}
