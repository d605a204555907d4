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
