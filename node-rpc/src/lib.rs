//! `dbm-node-rpc`: the JSON-RPC a DB-Microgrid node serves on top of Substrate's standard
//! methods.
//!
//! Its one job is the node's own methods, whichever layer the node runs:
//!
//! - on every chain, account nonces (`system_accountNextIndex`, `system_dryRun`) and fee
//!   queries (`payment_queryInfo`, ...), which polkadot.js uses when it signs and sends a
//!   transaction ([`create_full`]);
//! - on a sub-chain, its DBSCA election (`dbsca_*`, [`dbsca`]) and its electricity market
//!   (`energy_*`, [`energy`]), merged by [`merge_subchain`].
//!
//! The node's service builds the module over its client and pool; this crate knows neither
//! the service nor the runtimes, only the runtime APIs it calls.

#![warn(missing_docs)]

pub mod dbsca;
pub mod energy;
mod format;

use dbm_primitives::{
	dbsca::DbscaApi, trade::EnergyTradeApi, AccountId, Balance, Block, BlockNumber, Nonce,
};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use std::sync::Arc;

pub use format::ss58;

/// The error of building an RPC module.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The chain's client.
	pub client: Arc<C>,
	/// The chain's transaction pool.
	pub pool: Arc<P>,
}

/// Builds the RPC extensions every chain serves.
pub fn create_full<C, P>(deps: FullDeps<C, P>) -> Result<RpcModule<()>, Error>
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

/// Adds a sub-chain's own methods over `client` to `module`: its DBSCA election (`dbsca_*`)
/// and its market (`energy_*`).
pub fn merge_subchain<C>(module: &mut RpcModule<()>, client: Arc<C>) -> Result<(), Error>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: DbscaApi<Block, AccountId, BlockNumber>
		+ EnergyTradeApi<Block, AccountId, Balance, BlockNumber>,
{
	use dbsca::{Dbsca, DbscaRpcServer};
	use energy::{Energy, EnergyRpcServer};
	module.merge(Dbsca::new(client.clone()).into_rpc())?;
	module.merge(Energy::new(client).into_rpc())?;
	Ok(())
}
