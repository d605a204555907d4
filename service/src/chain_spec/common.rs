//! What every chain spec has, whichever its layer: the layer and sub-chain id it declares, the
//! runtime's code, the token's properties and the genesis hash a client computes.

use dbm_primitives::{currency, SubchainId};
use sc_chain_spec::ChainSpecExtension;
use serde::{Deserialize, Serialize};
use sp_core::H256;
use sp_runtime::StateVersion;

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

/// What a DB-Microgrid chain spec carries besides the genesis: its layer, for a sub-chain its
/// id, and the node settings that may differ from chain to chain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ChainSpecExtension)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Extensions {
	/// Which runtime the spec is for. Specs without it are parent specs.
	#[serde(default)]
	pub layer: Layer,
	/// The sub-chain's id (sub-chains only).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub subchain_id: Option<SubchainId>,
	/// GRANDPA's gossip duration in milliseconds, which times its rounds (a voter prevotes two
	/// of them after a round starts and precommits after four). Without it,
	/// [`DEFAULT_GRANDPA_GOSSIP_MILLIS`]; a network whose validators are far apart wants more.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub grandpa_gossip_millis: Option<u64>,
}

/// GRANDPA's gossip duration unless the chain spec says otherwise: a round of a single voter
/// takes four of them (0.4 s), and a block waits on average half a round for the next prevote,
/// so a transaction is final about 0.6 s after it is in a block (see `docs/finality.md`).
pub const DEFAULT_GRANDPA_GOSSIP_MILLIS: u64 = 100;

/// The shortest gossip duration a chain spec may ask for: below it, the rounds' database
/// writes (a few per round, on every node) cost more than they save.
pub const MIN_GRANDPA_GOSSIP_MILLIS: u64 = 20;

impl Extensions {
	/// The extensions of the spec `spec`.
	pub fn of(spec: &dyn sc_service::ChainSpec) -> Extensions {
		sc_chain_spec::get_extension::<Extensions>(spec.extensions()).cloned().unwrap_or_default()
	}

	/// GRANDPA's gossip duration on this chain, at least [`MIN_GRANDPA_GOSSIP_MILLIS`].
	pub fn grandpa_gossip_duration(&self) -> std::time::Duration {
		let millis = self.grandpa_gossip_millis.unwrap_or(DEFAULT_GRANDPA_GOSSIP_MILLIS);
		std::time::Duration::from_millis(millis.max(MIN_GRANDPA_GOSSIP_MILLIS))
	}
}

/// A chain specification of either layer (genesis as a runtime preset or raw storage).
pub type ChainSpec = sc_service::GenericChainSpec<Extensions>;

/// Token symbol, decimals and address format, as wallets read them.
pub(crate) fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), currency::SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::DECIMALS.into());
	properties.insert(
		"ss58Format".into(),
		<dbm_runtime_common::SS58Prefix as sp_core::Get<u16>>::get().into(),
	);
	properties
}

pub(crate) fn wasm(layer: Layer) -> Result<&'static [u8], String> {
	match layer {
		Layer::Parent => dbm_parent_runtime::WASM_BINARY,
		Layer::Sub => dbm_sub_runtime::WASM_BINARY,
	}
	.ok_or_else(|| {
		format!("the {layer:?} runtime's wasm was not built (the binary was built with SKIP_WASM_BUILD)")
	})
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
