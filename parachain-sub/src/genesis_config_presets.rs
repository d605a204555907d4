//! Genesis presets of a sub-chain.
//!
//! * `development`: sub-chain 1, one authority (Alice), all development accounts funded,
//!   Alice is sudo.
//! * `local_testnet`: sub-chain 1 with four authorities (Alice, Bob, Charlie, Dave), so
//!   GRANDPA keeps finalizing with one of them down; the same funded accounts.
//!
//! The node builds the specs of the other sub-chains with [`genesis`], which takes the
//! sub-chain's id: the id is part of the genesis state, so no two sub-chains share a genesis
//! hash.

use alloc::vec::Vec;
use dbm_primitives::SubchainId;
use dbm_runtime_common::presets;
use serde_json::{json, Value};
use sp_genesis_builder::PresetId;

/// The sub-chain the built-in presets describe.
pub const PRESET_SUBCHAIN: SubchainId = SubchainId(1);

/// The genesis patch of sub-chain `id` with the first `authorities` development keys (Alice,
/// Bob, ...) as its authorities and every development account funded.
pub fn genesis(id: SubchainId, authorities: usize) -> Value {
	let mut patch = presets::dev_genesis(authorities);
	patch["subchain"] = json!({ "subchainId": id });
	patch
}

/// The JSON of the preset `id`, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	presets::preset_json(id, |authorities| genesis(PRESET_SUBCHAIN, authorities))
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	presets::preset_names()
}
