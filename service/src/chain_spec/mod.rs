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

pub use common::{
	genesis_hash, ChainSpec, Extensions, Layer, DEFAULT_GRANDPA_GOSSIP_MILLIS,
	MIN_GRANDPA_GOSSIP_MILLIS,
};
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

/// Parses `sub-<N>` and `sub-<N>-local` (N in 1..=MAX_BUILT_IN_SUBCHAIN): the sub-chain and
/// its number of authorities.
pub fn parse_sub(id: &str) -> Option<(SubchainId, usize)> {
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
