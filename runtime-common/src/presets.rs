//! Building blocks of the genesis presets of both layers.
//!
//! A preset is the JSON patch of a runtime's genesis config. The parts every chain of the
//! network shares (funded accounts, Aura and GRANDPA authorities, the sudo key) are built here;
//! each runtime adds its own sections.

use alloc::{format, vec, vec::Vec};
use core::str::FromStr;
use dbm_primitives::{currency::UNIT, AccountId, Balance, SubchainId};
use serde_json::{json, Value};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::Pair;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance of each funded development account: a million tokens.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The consensus keys of one authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorityKeys {
	/// Aura (block production) key.
	pub aura: AuraId,
	/// GRANDPA (finality) key.
	pub grandpa: GrandpaId,
}

impl AuthorityKeys {
	/// The well-known development keys named by `keyring` (`//Alice`, `//Bob`, ...): sr25519
	/// for Aura and ed25519 for GRANDPA, as `--alice` or `dbm-node key insert` put them in a
	/// node's keystore.
	pub fn dev(keyring: Sr25519Keyring) -> Self {
		let name: &'static str = keyring.into();
		// Both keyrings list the same names; `Alice` is only a fallback the match never takes.
		let ed = Ed25519Keyring::from_str(name).unwrap_or(Ed25519Keyring::Alice);
		AuthorityKeys { aura: keyring.public().into(), grandpa: ed.public().into() }
	}
}

/// The well-known development accounts (Alice ... Ferdie and their `//stash` accounts).
pub fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The account a development keyring stands for on sub-chain `id`: the plain account
/// (`//Alice`, `//Alice//stash`) on sub-chain 1, and the one derived for the sub-chain
/// (`//Alice//sub-2`, `//Alice//stash//sub-2`) on any other. The parent registers every node
/// in one sub-chain, so the development sub-chains cannot share member accounts; their
/// consensus keys stay the plain development keys, which `--alice`, `--bob`, ... put in a
/// node's keystore.
pub fn subchain_dev_account(keyring: Sr25519Keyring, id: SubchainId) -> AccountId {
	subchain_dev_pair(keyring, id).public().into()
}

/// The key pair of [`subchain_dev_account`]: what signs for that account.
pub fn subchain_dev_pair(keyring: Sr25519Keyring, id: SubchainId) -> sp_core::sr25519::Pair {
	if id.0 <= 1 {
		return keyring.pair();
	}
	let name: &'static str = keyring.into();
	let uri = format!("//{name}//sub-{}", id.0);
	// A hard derivation of a well-known seed: the URI is always valid.
	sp_core::sr25519::Pair::from_string(&uri, None).unwrap_or_else(|_| keyring.pair())
}

/// The secret URI of the meter of [`subchain_dev_account`]`(keyring, id)`: `//Alice//meter` on
/// sub-chain 1, `//Alice//sub-2//meter` on sub-chain 2, ... A meter's key is its own ed25519
/// key, never the member's account key.
pub fn subchain_dev_meter_uri(keyring: Sr25519Keyring, id: SubchainId) -> alloc::string::String {
	let name: &'static str = keyring.into();
	if id.0 <= 1 {
		format!("//{name}//meter")
	} else {
		format!("//{name}//sub-{}//meter", id.0)
	}
}

/// The key pair of the meter of [`subchain_dev_account`]`(keyring, id)`.
pub fn subchain_dev_meter(keyring: Sr25519Keyring, id: SubchainId) -> sp_core::ed25519::Pair {
	// A hard derivation of a well-known seed: the URI is always valid.
	sp_core::ed25519::Pair::from_string(&subchain_dev_meter_uri(keyring, id), None)
		.unwrap_or_else(|_| sp_core::ed25519::Pair::from_seed(&[keyring as u8; 32]))
}

/// The root of the development relayers' secret URIs.
pub const DEV_RELAYER_URI: &str = "//Relayer";

/// The secret URI of the development relayer of sub-chain `id` (`//Relayer//sub-<id>`): the
/// account its relay signs the parent's transactions with on development and local chains,
/// funded by the parent's presets. One account per sub-chain, so relays never race for a nonce.
pub fn subchain_relayer_uri(id: SubchainId) -> alloc::string::String {
	format!("{DEV_RELAYER_URI}//sub-{}", id.0)
}

/// The account of development relayer `id`.
pub fn subchain_relayer(id: SubchainId) -> AccountId {
	// A hard derivation of the well-known development phrase: always valid.
	sp_core::sr25519::Pair::from_string(&subchain_relayer_uri(id), None)
		.map(|pair| pair.public().into())
		.unwrap_or_else(|_| Sr25519Keyring::Ferdie.to_account_id())
}

/// The first `n` development keyrings, in the order Alice, Bob, Charlie, Dave, Eve, Ferdie.
pub fn dev_keyrings(n: usize) -> Vec<Sr25519Keyring> {
	use Sr25519Keyring::*;
	vec![Alice, Bob, Charlie, Dave, Eve, Ferdie].into_iter().take(n).collect()
}

/// The shared genesis sections with the first `authorities` development keys (Alice, Bob, ...)
/// as authorities and every development account funded.
///
/// A chain of one authority is a development chain: Alice holds its sudo key, so one person
/// can try any privileged call from polkadot.js. A chain of several authorities is shaped like
/// the real network and has no sudo key: the parent is governed by its council, a sub-chain by
/// its members' votes and the parent's proven decisions.
pub fn dev_genesis(authorities: usize) -> Value {
	let keys: Vec<AuthorityKeys> =
		dev_keyrings(authorities).into_iter().map(AuthorityKeys::dev).collect();
	let root = (authorities == 1).then(|| Sr25519Keyring::Alice.to_account_id());
	base_genesis(&keys, &dev_accounts(), root.as_ref())
}

/// Number of authorities of the `local_testnet` presets: the fewest with which GRANDPA
/// (which needs more than two thirds of the votes) survives one dead voter.
pub const LOCAL_TESTNET_AUTHORITIES: usize = 4;

/// The JSON of the preset `id` of a runtime whose genesis for `n` development authorities is
/// `genesis(n)`: `development` has one authority (Alice), `local_testnet`
/// [`LOCAL_TESTNET_AUTHORITIES`]. `None` for any other id.
pub fn preset_json(id: &PresetId, genesis: impl Fn(usize) -> Value) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => genesis(1),
		LOCAL_TESTNET_RUNTIME_PRESET => genesis(LOCAL_TESTNET_AUTHORITIES),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets [`preset_json`] knows.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}

/// The genesis sections both layers share: balances, Aura, GRANDPA and sudo.
///
/// Every account in `endowed` gets [`DEV_ENDOWMENT`]. The authorities are listed in order (the
/// first authors the first slot). `root` is the sudo key, if the chain has one.
pub fn base_genesis(
	authorities: &[AuthorityKeys],
	endowed: &[AccountId],
	root: Option<&AccountId>,
) -> Value {
	let balances: Vec<(AccountId, Balance)> =
		endowed.iter().cloned().map(|a| (a, DEV_ENDOWMENT)).collect();
	let aura: Vec<AuraId> = authorities.iter().map(|k| k.aura.clone()).collect();
	let grandpa: Vec<(GrandpaId, u64)> =
		authorities.iter().map(|k| (k.grandpa.clone(), 1)).collect();
	json!({
		"balances": { "balances": balances },
		"aura": { "authorities": aura },
		"grandpa": { "authorities": grandpa },
		"sudo": { "key": root },
	})
}

/// Applies the genesis `patch` to the full config `base` as the node does with a preset:
/// objects are merged key by key, anything else is replaced.
pub fn json_merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_authority_keys_match_the_keyring() {
		let alice = AuthorityKeys::dev(Sr25519Keyring::Alice);
		assert_eq!(alice.aura, Sr25519Keyring::Alice.public().into());
		assert_eq!(alice.grandpa, Ed25519Keyring::Alice.public().into());
		let bob = AuthorityKeys::dev(Sr25519Keyring::Bob);
		assert_eq!(bob.grandpa, Ed25519Keyring::Bob.public().into());
	}

	#[test]
	fn sub_chain_accounts_are_the_plain_ones_on_one_and_derived_elsewhere() {
		let alice = Sr25519Keyring::Alice;
		assert_eq!(subchain_dev_account(alice, SubchainId(1)), alice.to_account_id());
		// The public keys polkadot.js's keyring derives from `//Alice//sub-2` and
		// `//Bob//stash//sub-7`: clients can name these accounts by their URIs.
		let public = |hex: &str| -> AccountId {
			let bytes: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
			bytes.into()
		};
		assert_eq!(
			subchain_dev_account(alice, SubchainId(2)),
			public("627d1a470a5c5927e57b2a085d2c2daa17f2f6ad1cb13dd8280948464b995756")
		);
		assert_eq!(
			subchain_dev_account(Sr25519Keyring::BobStash, SubchainId(7)),
			public("faab92e42370ebacf0e9590708a4e2103e53ab79e1eefe324724797204cbe525")
		);
		assert_ne!(
			subchain_dev_account(alice, SubchainId(2)),
			subchain_dev_account(alice, SubchainId(3))
		);
	}

	#[test]
	fn presets_have_one_and_four_authorities_and_nothing_else() {
		let count = |id: &str| {
			preset_json(&id.into(), |n| json!({ "n": n }))
				.map(|bytes| serde_json::from_slice::<Value>(&bytes).unwrap()["n"].clone())
		};
		assert_eq!(count("development"), Some(json!(1)));
		assert_eq!(count("local_testnet"), Some(json!(4)));
		assert_eq!(count("staging"), None);
		assert_eq!(preset_names().len(), 2);
	}

	#[test]
	fn base_genesis_funds_every_endowed_account_and_lists_authorities_in_order() {
		let keys: Vec<_> = dev_keyrings(2).into_iter().map(AuthorityKeys::dev).collect();
		let endowed = dev_accounts();
		let g = base_genesis(&keys, &endowed, Some(&endowed[0]));
		assert_eq!(g["balances"]["balances"].as_array().map(|a| a.len()), Some(endowed.len()));
		assert_eq!(g["aura"]["authorities"].as_array().map(|a| a.len()), Some(2));
		assert_eq!(g["grandpa"]["authorities"][1][1], json!(1));
		assert!(g["sudo"]["key"].is_string());
		assert!(base_genesis(&keys, &endowed, None)["sudo"]["key"].is_null());
	}

	#[test]
	fn only_a_chain_of_one_authority_has_a_sudo_key() {
		assert_eq!(dev_genesis(1)["sudo"]["key"], json!(Sr25519Keyring::Alice.to_account_id()));
		for n in [2, 4, 6] {
			assert!(dev_genesis(n)["sudo"]["key"].is_null(), "{n} authorities");
		}
	}
}
