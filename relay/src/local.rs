//! The sub-chain as the relay sees it: the node's own client, its state and proofs of it.

use crate::error::{Error, Result};
use codec::Decode;
use dbm_primitives::{
	trade::EnergyTradeApi, AccountId, Balance, Block, BlockNumber, Nonce, SubchainApi, SubchainId,
};
use sc_client_api::BlockchainEvents;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;

type Runtime = dbm_sub_runtime::Runtime;
/// An election of the sub-chain, as its state holds it.
pub type SubElection = pallet_dbsca::ElectionOf<Runtime>;

/// Reads of the node's state: values and proofs of them.
pub trait LocalState {
	/// The value under `key` in the state at `at`.
	fn state(&self, at: H256, key: &[u8]) -> sp_blockchain::Result<Option<Vec<u8>>>;
	/// The trie nodes that prove `key` in the state at `at`.
	fn state_proof(&self, at: H256, key: &[u8]) -> sp_blockchain::Result<Vec<Vec<u8>>>;
}

impl<B, E, RA> LocalState for sc_service::client::Client<B, E, Block, RA>
where
	B: sc_client_api::Backend<Block>,
	E: sc_client_api::CallExecutor<Block>,
{
	fn state(&self, at: H256, key: &[u8]) -> sp_blockchain::Result<Option<Vec<u8>>> {
		let key = sp_core::storage::StorageKey(key.to_vec());
		Ok(sc_client_api::StorageProvider::storage(self, at, &key)?.map(|data| data.0))
	}

	fn state_proof(&self, at: H256, key: &[u8]) -> sp_blockchain::Result<Vec<Vec<u8>>> {
		let proof = sc_client_api::ProofProvider::read_proof(self, at, &mut std::iter::once(key))?;
		Ok(proof.into_iter_nodes().collect())
	}
}

/// The runtime APIs the relay calls on the sub-chain.
pub trait LocalApi:
	sp_api::Core<Block>
	+ SubchainApi<Block>
	+ EnergyTradeApi<Block, AccountId, Balance, BlockNumber>
	+ frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce>
{
}

impl<T> LocalApi for T where
	T: sp_api::Core<Block>
		+ SubchainApi<Block>
		+ EnergyTradeApi<Block, AccountId, Balance, BlockNumber>
		+ frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce>
{
}

/// What the relay needs of the sub-chain node's client.
pub trait SubchainClient:
	LocalState
	+ HeaderBackend<Block>
	+ sc_client_api::BlockBackend<Block>
	+ BlockchainEvents<Block>
	+ ProvideRuntimeApi<Block, Api: LocalApi>
	+ Send
	+ Sync
	+ 'static
{
}

impl<C> SubchainClient for C where
	C: LocalState
		+ HeaderBackend<Block>
		+ sc_client_api::BlockBackend<Block>
		+ BlockchainEvents<Block>
		+ ProvideRuntimeApi<Block, Api: LocalApi>
		+ Send
		+ Sync
		+ 'static
{
}

/// The value under `key` in the sub-chain's state at `at`.
pub fn local<V: Decode>(client: &impl SubchainClient, at: H256, key: &[u8]) -> Result<Option<V>> {
	let Some(data) =
		client.state(at, key).map_err(Error::local("reading the sub-chain's state"))?
	else {
		return Ok(None);
	};
	V::decode(&mut &data[..]).map(Some).map_err(Error::decode("decoding the sub-chain's state"))
}

/// The trie nodes that prove `key` in the sub-chain's state at `at`.
pub fn local_proof(client: &impl SubchainClient, at: H256, key: &[u8]) -> Result<Vec<Vec<u8>>> {
	client
		.state_proof(at, key)
		.map_err(Error::local(format!("proving the sub-chain's state at {at:?}")))
}

/// The id of the sub-chain `client` serves, from its genesis.
pub fn subchain_of(client: &impl SubchainClient) -> Result<SubchainId> {
	client
		.runtime_api()
		.subchain_id(client.info().best_hash)
		.map_err(Error::api("SubchainApi"))?
		.ok_or_else(|| {
			Error::Missing("this chain's genesis names no sub-chain id: nothing to relay".into())
		})
}

/// The hash of the sub-chain's block `number`, if this node has it.
pub fn hash_of(client: &impl SubchainClient, number: BlockNumber) -> Result<Option<H256>> {
	client.hash(number).map_err(Error::local(format!("the hash of block #{number}")))
}

/// The newest election of the sub-chain's state at `at`: the one awaiting enactment, else the
/// one in force.
pub fn newest_election(client: &impl SubchainClient, at: H256) -> Result<Option<SubElection>> {
	match local(client, at, &pallet_dbsca::PendingElection::<Runtime>::hashed_key())? {
		Some(pending) => Ok(Some(pending)),
		None => local(client, at, &pallet_dbsca::LastElection::<Runtime>::hashed_key()),
	}
}

/// The light client's newest finalized parent header, at the sub-chain's block `at`.
pub fn light_client_head(client: &impl SubchainClient, at: H256) -> Result<(H256, BlockNumber)> {
	let id: bp_runtime::HeaderId<H256, BlockNumber> =
		local(client, at, &pallet_bridge_grandpa::BestFinalized::<Runtime>::hashed_key())?
			.ok_or_else(|| {
				Error::LightClient(
					"the sub-chain's light client of the parent has no header: its genesis set \
					 none"
						.into(),
				)
			})?;
	Ok((id.hash(), id.number()))
}

/// The relayer's nonce on the sub-chain at `at`.
pub fn account_nonce(client: &impl SubchainClient, at: H256, account: AccountId) -> Result<u32> {
	use frame_system_rpc_runtime_api::AccountNonceApi;
	client.runtime_api().account_nonce(at, account).map_err(Error::api("AccountNonceApi"))
}
