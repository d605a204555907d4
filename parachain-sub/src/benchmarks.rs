//! The pallets `dbm-node benchmark pallet` can measure on the sub-chain runtime.

use crate::{
	opaque::SessionKeys, AccountId, AllPalletsWithSystem, Balances, Dbsca, EnergyTrade, Runtime,
	Subchain, Sudo, Timestamp, TransactionPayment,
};
use codec::Encode;
use dbm_primitives::{membership::MemberInfo, Signature};

dbm_runtime_common::define_runtime_benchmarks!(
	[pallet_subchain, Subchain]
	[pallet_dbsca, Dbsca]
	[pallet_energy_trade, EnergyTrade]
);

/// Real sr25519 accounts, session keys and signatures for the DBSCA benchmarks.
pub struct DbscaHelper;

impl pallet_dbsca::BenchmarkHelper<AccountId, SessionKeys, Signature> for DbscaHelper {
	fn account(i: u32) -> AccountId {
		dbm_runtime_common::benchmarks::keys::account("dbsca-bench", i)
	}

	fn make_member(who: &AccountId, info: MemberInfo) {
		pallet_subchain::Pallet::<Runtime>::insert_member(who, info);
	}

	fn remove_member(who: &AccountId) {
		pallet_subchain::Pallet::<Runtime>::take_member(who);
	}

	fn keys(who: &AccountId, i: u32) -> (SessionKeys, Vec<u8>) {
		let seed = alloc::format!("//dbsca-bench-keys-{i}").into_bytes();
		let generated = SessionKeys::generate(&who.encode(), Some(seed));
		(generated.keys, generated.proof.encode())
	}

	fn sign(who: &AccountId, payload: &[u8]) -> Signature {
		dbm_runtime_common::benchmarks::keys::sign(who, payload)
	}
}

/// Members for the energy-trade benchmarks, in the sub-chain's registry.
pub struct EnergyTradeHelper;

impl pallet_energy_trade::BenchmarkHelper<AccountId> for EnergyTradeHelper {
	fn make_member(who: &AccountId, info: MemberInfo) {
		pallet_subchain::Pallet::<Runtime>::insert_member(who, info);
	}
}
