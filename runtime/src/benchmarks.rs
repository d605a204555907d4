//! The pallets `dbm-node benchmark pallet` can measure on the parent runtime.

use crate::{
	AccountId, AllPalletsWithSystem, Balances, BillerRegistry, Runtime, Sudo, Timestamp,
	TransactionPayment,
};
use dbm_primitives::Signature;

dbm_runtime_common::define_runtime_benchmarks!([pallet_biller_registry, BillerRegistry]);

/// Real sr25519 accounts and signatures for the registry's election proofs.
pub struct RegistryHelper;

impl pallet_biller_registry::BenchmarkHelper<AccountId, Signature> for RegistryHelper {
	fn account(i: u32) -> AccountId {
		dbm_runtime_common::benchmarks::keys::account("registry-bench", i)
	}

	fn sign(who: &AccountId, payload: &[u8]) -> Signature {
		dbm_runtime_common::benchmarks::keys::sign(who, payload)
	}
}
