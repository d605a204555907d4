//! The node's JSON-RPC extensions on top of Substrate's standard methods: account nonces
//! (`system_accountNextIndex`, `system_dryRun`) and fee queries (`payment_queryInfo`, ...),
//! which polkadot.js uses when it signs and sends a transaction; and each layer's own methods
//! ([`LayerRpc`]): on a sub-chain, `dbsca_*` ([`crate::dbsca_rpc`]).

use dbm_primitives::{AccountId, Balance, Block, Nonce};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use std::sync::Arc;

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The chain's client.
	pub client: Arc<C>,
	/// The chain's transaction pool.
	pub pool: Arc<P>,
}

/// Builds the RPC extensions of a chain.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool } = deps;
	let mut module = RpcModule::new(());
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	Ok(module)
}

/// The RPC methods of one layer's own runtime APIs, merged into `module`.
pub trait LayerRpc: Sized {
	/// Adds the layer's methods over `client` to `module`.
	fn merge_layer_rpc(
		module: &mut RpcModule<()>,
		client: Arc<crate::service::FullClient<Self>>,
	) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;
}

/// The parent chain has no methods of its own yet.
impl LayerRpc for dbm_parent_runtime::apis::RuntimeApi {
	fn merge_layer_rpc(
		_: &mut RpcModule<()>,
		_: Arc<crate::service::FullClient<Self>>,
	) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
		Ok(())
	}
}

/// A sub-chain serves its DBSCA election.
impl LayerRpc for dbm_sub_runtime::apis::RuntimeApi {
	fn merge_layer_rpc(
		module: &mut RpcModule<()>,
		client: Arc<crate::service::FullClient<Self>>,
	) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
		use crate::{
			dbsca_rpc::{Dbsca, DbscaRpcServer},
			energy_rpc::{Energy, EnergyRpcServer},
		};
		module.merge(Dbsca::new(client.clone()).into_rpc())?;
		module.merge(Energy::new(client).into_rpc())?;
		Ok(())
	}
}

/// `account` as an SS58 address with the chains' prefix.
pub(crate) fn ss58(account: &AccountId) -> String {
	use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
	let prefix = <dbm_runtime_common::SS58Prefix as sp_core::Get<u16>>::get();
	account.to_ss58check_with_version(Ss58AddressFormat::custom(prefix))
}

/// The JSON-RPC error for a failed runtime API call.
pub(crate) fn runtime_api_error(e: impl std::fmt::Display) -> jsonrpsee::types::ErrorObjectOwned {
	jsonrpsee::types::ErrorObject::owned(1, format!("the runtime API failed: {e}"), None::<()>)
}
