//! `dbm-client`: a client of one DB-Microgrid chain, parent or sub-chain, over its JSON-RPC.
//!
//! Its one job is to talk to a running node the way a wallet does:
//!
//! - [`Client`]: typed JSON-RPC calls of one chain over WebSocket (or plain HTTP for one-off
//!   requests): storage values and read proofs, headers and finality, GRANDPA justifications
//!   and finality proofs, runtime API calls, nonces, submitting transactions and watching them,
//!   the node's health;
//! - [`extrinsic`]: signed transactions of either runtime, built as a wallet builds them;
//! - [`Error`]: what can go wrong on the way, typed.
//!
//! The relay, the development network's demo, the load generator and the node's integration
//! tests all reach the chains through this crate; none of them writes JSON-RPC by hand.

#![warn(missing_docs)]

mod chain;
mod error;
pub mod extrinsic;
mod text;

pub use chain::{Client, Options, RuntimeVersion};
pub use error::{Error, Result};
pub use extrinsic::ChainContext;
pub use jsonrpsee::{
	core::{client::Subscription, params::ArrayParams},
	rpc_params,
};
pub use text::{hex0x, ss58, unhex};
