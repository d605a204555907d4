//! The parent's record of a sub-chain, read over JSON-RPC, and its registration by the council.

use super::Rpc;
use dbm_parent_runtime::{Runtime, RuntimeCall};
use dbm_primitives::{
	registry::{AnchorHead, GrandpaVoters},
	BlockNumber, SubchainId,
};
use sp_core::H256;
use sp_keyring::Sr25519Keyring;

/// The parent's last anchor of sub-chain `id`.
pub async fn last_anchor(parent: &Rpc, id: SubchainId) -> Option<AnchorHead<BlockNumber>> {
	parent.runtime_call("RegistryApi_last_anchor", id).await.ok().flatten()
}

/// The hash the parent anchored at sub-chain `id`'s height `number`, if in its recent window.
pub async fn anchored_hash(parent: &Rpc, id: SubchainId, number: BlockNumber) -> Option<H256> {
	let location: Option<pallet_biller_registry::AnchorLocation<BlockNumber>> =
		parent.runtime_call("RegistryApi_anchor_location", (id, number)).await.ok().flatten();
	match location {
		Some(pallet_biller_registry::AnchorLocation::Recent(anchor)) => Some(anchor.hash),
		_ => None,
	}
}

/// The voter set the parent follows for sub-chain `id`, once its genesis is anchored.
pub async fn voters(parent: &Rpc, id: SubchainId) -> Option<GrandpaVoters> {
	let key = pallet_biller_registry::Voters::<Runtime>::hashed_key_for(id);
	parent.storage(&key, None).await.ok().flatten()
}

/// Registers sub-chain `id`, whose genesis hash is `genesis`, on the development parent by a
/// council motion of its one authority (Alice).
pub async fn register(parent: &Rpc, id: SubchainId, genesis: H256) -> Result<String, String> {
	let register = pallet_biller_registry::Call::register_subchain {
		subchain: id,
		name: b"feeder one".to_vec(),
		location: b"north".to_vec(),
		genesis_hash: genesis,
		chain_spec_hash: H256::zero(),
		boot_nodes: vec![],
	};
	let register = super::tx::council(RuntimeCall::BillerRegistry(register));
	parent.submit_parent(Sr25519Keyring::Alice, register).await
}
