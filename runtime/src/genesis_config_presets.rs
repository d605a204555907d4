//! Genesis presets of the parent chain.
//!
//! * `development`: one authority (Alice), all development accounts funded, Alice is sudo.
//! * `local_testnet`: four authorities (Alice, Bob, Charlie, Dave), so GRANDPA keeps
//!   finalizing with one of them down; the same funded accounts.

use alloc::{vec, vec::Vec};
use dbm_runtime_common::presets::{base_genesis, dev_accounts, dev_keyrings, AuthorityKeys};
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;

/// Number of authorities of the `local_testnet` preset: the fewest with which GRANDPA
/// (which needs more than two thirds of the votes) survives one dead voter.
pub const LOCAL_TESTNET_AUTHORITIES: usize = 4;

fn genesis(authorities: usize) -> Value {
	let keys: Vec<AuthorityKeys> =
		dev_keyrings(authorities).into_iter().map(AuthorityKeys::dev).collect();
	base_genesis(&keys, &dev_accounts(), &Sr25519Keyring::Alice.to_account_id())
}

/// The JSON of the preset `id`, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => genesis(1),
		LOCAL_TESTNET_RUNTIME_PRESET => genesis(LOCAL_TESTNET_AUTHORITIES),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
