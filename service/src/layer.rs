//! What differs between the layers inside the node: each layer's runtime API type, the
//! JSON-RPC methods of its own ([`LayerRpc`]) and whether it relays ([`LayerRelay`]).

use crate::full_client::FullClient;
use dbm_primitives::{AccountId, Balance, Block, Nonce};
use jsonrpsee::RpcModule;
use sp_api::ConstructRuntimeApi;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use std::sync::Arc;

/// The runtime APIs the node itself needs from a chain, whichever layer it is.
pub trait NodeRuntimeApi:
	sp_api::ApiExt<Block>
	+ sp_api::Metadata<Block>
	+ sp_block_builder::BlockBuilder<Block>
	+ sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block>
	+ sp_session::SessionKeys<Block>
	+ sp_consensus_aura::AuraApi<Block, AuraId>
	+ sp_consensus_grandpa::GrandpaApi<Block>
	+ dbm_primitives::recovery::FinalityRecoveryApi<Block>
	+ frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce>
	+ pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance>
{
}

impl<T> NodeRuntimeApi for T where
	T: sp_api::ApiExt<Block>
		+ sp_api::Metadata<Block>
		+ sp_block_builder::BlockBuilder<Block>
		+ sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block>
		+ sp_session::SessionKeys<Block>
		+ sp_consensus_aura::AuraApi<Block, AuraId>
		+ sp_consensus_grandpa::GrandpaApi<Block>
		+ dbm_primitives::recovery::FinalityRecoveryApi<Block>
		+ frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance>
{
}

/// The runtime API types the node can run: one per layer.
pub trait RuntimeApiOf:
	Sized
	+ ConstructRuntimeApi<Block, FullClient<Self>, RuntimeApi: NodeRuntimeApi>
	+ LayerRpc
	+ LayerRelay
	+ Send
	+ Sync
	+ 'static
{
}

impl<T> RuntimeApiOf for T where
	T: ConstructRuntimeApi<Block, FullClient<T>, RuntimeApi: NodeRuntimeApi>
		+ LayerRpc
		+ LayerRelay
		+ Send
		+ Sync
		+ 'static
{
}

/// The RPC methods of one layer's own runtime APIs.
pub trait LayerRpc: Sized {
	/// Adds the layer's methods over `client` to `module`.
	fn merge_layer_rpc(
		module: &mut RpcModule<()>,
		client: Arc<FullClient<Self>>,
	) -> Result<(), dbm_node_rpc::Error>;
}

/// The parent chain has no methods of its own yet.
impl LayerRpc for dbm_parent_runtime::apis::RuntimeApi {
	fn merge_layer_rpc(
		_: &mut RpcModule<()>,
		_: Arc<FullClient<Self>>,
	) -> Result<(), dbm_node_rpc::Error> {
		Ok(())
	}
}

/// A sub-chain serves its DBSCA election and its market.
impl LayerRpc for dbm_sub_runtime::apis::RuntimeApi {
	fn merge_layer_rpc(
		module: &mut RpcModule<()>,
		client: Arc<FullClient<Self>>,
	) -> Result<(), dbm_node_rpc::Error> {
		dbm_node_rpc::merge_subchain(module, client)
	}
}

/// Whether a layer's node can relay: only a sub-chain has a parent.
pub trait LayerRelay: Sized {
	/// Blocks between two GRANDPA justifications the node keeps in its database (and at every
	/// voter set change): the footholds of warp sync, of light clients, and of the relay when
	/// it catches up.
	const JUSTIFICATION_PERIOD: u32;

	/// Starts the relay of the chain `client` serves.
	fn start_relay(
		spawner: &sc_service::SpawnTaskHandle,
		client: Arc<FullClient<Self>>,
		submit: dbm_relay::Submit,
		prove: dbm_relay::ProveFinality,
		config: dbm_relay::RelayConfig,
		registry: Option<&substrate_prometheus_endpoint::Registry>,
	) -> Result<(), sc_service::Error>;
}

/// The parent has nothing to relay to.
impl LayerRelay for dbm_parent_runtime::apis::RuntimeApi {
	/// The sub-chains' light clients of the parent take any justification; warp sync needs
	/// few.
	const JUSTIFICATION_PERIOD: u32 = 512;

	fn start_relay(
		_: &sc_service::SpawnTaskHandle,
		_: Arc<FullClient<Self>>,
		_: dbm_relay::Submit,
		_: dbm_relay::ProveFinality,
		_: dbm_relay::RelayConfig,
		_: Option<&substrate_prometheus_endpoint::Registry>,
	) -> Result<(), sc_service::Error> {
		Err(sc_service::Error::Other(
			"--parent-rpc is for sub-chain nodes: this node runs the parent chain".into(),
		))
	}
}

/// A sub-chain relays to its parent.
impl LayerRelay for dbm_sub_runtime::apis::RuntimeApi {
	/// The parent anchors a segment of at most `MaxSegment` (64) blocks per justification: a
	/// relay that fell behind finds one kept within every 32 blocks (16 s).
	const JUSTIFICATION_PERIOD: u32 = 32;

	fn start_relay(
		spawner: &sc_service::SpawnTaskHandle,
		client: Arc<FullClient<Self>>,
		submit: dbm_relay::Submit,
		prove: dbm_relay::ProveFinality,
		config: dbm_relay::RelayConfig,
		registry: Option<&substrate_prometheus_endpoint::Registry>,
	) -> Result<(), sc_service::Error> {
		dbm_relay::spawn(spawner, client, submit, prove, config, registry);
		Ok(())
	}
}
