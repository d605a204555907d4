//! The runtime APIs of a sub-chain: those every DB-Microgrid chain has (see
//! `dbm_runtime_common::impl_runtime_apis_with_base`) and the sub-chain's own.

use crate::{Block, Runtime, Subchain};
use dbm_primitives::SubchainId;

dbm_runtime_common::impl_runtime_apis_with_base! {
	impl dbm_primitives::SubchainApi<Block> for Runtime {
		fn subchain_id() -> Option<SubchainId> {
			Subchain::subchain_id()
		}
	}
}
