//! The pallets `dbm-node benchmark pallet` can measure on the sub-chain runtime.

use crate::{
	opaque::SessionKeys, AccountId, AllPalletsWithSystem, Balances, Dbsca, EnergyTrade,
	FinalityRecovery, MembershipVoting, ParentInbox, Runtime, Subchain, Sudo, Timestamp,
	TransactionPayment,
};
use codec::Encode;
use dbm_primitives::{membership::MemberInfo, Signature};

dbm_runtime_common::define_runtime_benchmarks!(
	[pallet_finality_recovery, FinalityRecovery]
	[pallet_subchain, Subchain]
	[pallet_dbsca, Dbsca]
	[pallet_energy_trade, EnergyTrade]
	[pallet_membership_voting, MembershipVoting]
	[pallet_parent_inbox, ParentInbox]
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

	fn grandpa_key(i: u32) -> sp_consensus_grandpa::AuthorityId {
		let seed = alloc::format!("//dbsca-bench-grandpa-{i}").into_bytes();
		sp_io::crypto::ed25519_generate(sp_consensus_grandpa::KEY_TYPE, Some(seed)).into()
	}

	fn grandpa_sign(i: u32, payload: &[u8]) -> sp_consensus_grandpa::AuthoritySignature {
		let key = Self::grandpa_key(i);
		sp_io::crypto::ed25519_sign(sp_consensus_grandpa::KEY_TYPE, key.as_ref(), payload)
			.expect("the key was generated in the benchmark's keystore")
			.into()
	}

	fn set_voters(set_id: u64, voters: Vec<sp_consensus_grandpa::AuthorityId>) {
		let list = voters.into_iter().map(|key| (key, 1)).collect::<Vec<_>>();
		pallet_grandpa::Authorities::<Runtime>::put(pallet_grandpa::BoundedAuthorityList::<
			<Runtime as pallet_grandpa::Config>::MaxAuthorities,
		>::force_from(list, None));
		pallet_grandpa::CurrentSetId::<Runtime>::put(set_id);
	}

	fn set_authors(authors: Vec<SessionKeys>) {
		let authors = authors.into_iter().map(|keys| keys.aura).collect::<Vec<_>>();
		pallet_aura::Authorities::<Runtime>::put(frame_support::BoundedVec::truncate_from(authors));
	}
}

/// Members for the energy-trade benchmarks, in the sub-chain's registry.
pub struct EnergyTradeHelper;

impl pallet_energy_trade::BenchmarkHelper<AccountId> for EnergyTradeHelper {
	fn make_member(who: &AccountId, info: MemberInfo) {
		pallet_subchain::Pallet::<Runtime>::insert_member(who, info);
	}

	fn make_meter(who: &AccountId, meter: dbm_primitives::metering::MeterKey) {
		pallet_subchain::Pallet::<Runtime>::insert_meter(
			who,
			dbm_primitives::metering::MeterState::new(meter, None),
		);
	}
}

/// Members of the sub-chain as voters, and a join of a new node.
pub struct VotingHelper;

impl pallet_membership_voting::BenchmarkHelper<AccountId> for VotingHelper {
	fn voters(n: u32) -> Vec<AccountId> {
		// Only the new voters vote: the genesis members leave.
		let old: Vec<AccountId> = pallet_subchain::Members::<Runtime>::iter_keys().collect();
		for who in old {
			pallet_subchain::Pallet::<Runtime>::take_member(&who);
		}
		(0..n)
			.map(|i| {
				let who = dbm_runtime_common::benchmarks::keys::account("voting-bench", i);
				let info = MemberInfo {
					role: dbm_primitives::membership::Role::Generator,
					attested: Default::default(),
					suspended: false,
				};
				pallet_subchain::Pallet::<Runtime>::insert_member(&who, info);
				who
			})
			.collect()
	}

	fn proposal() -> dbm_primitives::membership::Proposal<AccountId> {
		use dbm_primitives::{membership::*, registry::MAX_LOCATION_LEN};
		// A join naming a meter: its proof is checked, and it must be a free key.
		let candidate = dbm_runtime_common::benchmarks::keys::account("voting-candidate", 0);
		let meter = dbm_runtime_common::benchmarks::keys::meter_claim(&candidate);
		Proposal::JoinWithMeter {
			candidate,
			application: Application {
				role: Role::Generator,
				attested: Default::default(),
				capacity_w: 10_000,
				area: alloc::vec![b'a'; MAX_LOCATION_LEN as usize].try_into().expect("fits"),
			},
			meter,
		}
	}
}
