//! Genesis presets of the parent chain.
//!
//! * `development`: one authority (Alice), all development accounts funded, Alice is sudo.
//! * `local_testnet`: four authorities (Alice, Bob, Charlie, Dave), so GRANDPA keeps
//!   finalizing with one of them down; the same funded accounts.

use alloc::vec::Vec;
use dbm_runtime_common::presets;
use sp_genesis_builder::PresetId;

/// The JSON of the preset `id`, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	presets::preset_json(id, presets::dev_genesis)
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	presets::preset_names()
}
