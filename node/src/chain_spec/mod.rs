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
//!
//! What every spec has is in `common`; the parent's specs in `parent`, the sub-chains' in `sub`.

mod common;
mod parent;
mod sub;

pub use common::{genesis_hash, ChainSpec, Extensions, Layer};
pub use parent::{
	dev_area, dev_registration, parent_development, parent_local, parent_local_six,
	DEFAULT_DEV_SUBCHAINS, MAX_DEV_SUBCHAINS,
};
pub use sub::{single_layer, sub, sub_genesis_storage, sub_slow_slots, SLOW_SLOT_MILLIS};

use dbm_primitives::SubchainId;
use std::path::PathBuf;

/// The highest sub-chain id of the built-in specs (the paper's 100 nodes form 10 groups;
/// twice that leaves room).
pub const MAX_BUILT_IN_SUBCHAIN: u32 = 20;

/// The ids `--chain` accepts besides a path to a chain-spec JSON file.
pub const BUILT_IN: &str =
	"parent-dev (or dev), parent-local, parent-local-6, sub-dev, sub-dev-6s, sub-<N>, sub-<N>-local, single-100";

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
		"parent-local-6" => Box::new(parent_local_six()?),
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
			Extensions {
				layer: Layer::Sub,
				subchain_id: Some(SubchainId(2)),
				..Default::default()
			}
		);
	}

	#[test]
	fn grandpa_gossip_comes_from_the_spec_with_a_default_and_a_floor() {
		use common::{DEFAULT_GRANDPA_GOSSIP_MILLIS, MIN_GRANDPA_GOSSIP_MILLIS};
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
}
