//! The pallets `dbm-node benchmark pallet` can measure on the parent runtime.

use crate::{
	opaque::SessionKeys, AccountId, AllPalletsWithSystem, Balances, BillerRegistry, Council,
	FinalityRecovery, MembershipVoting, Runtime, SubchainInbox, Sudo, Timestamp,
	TransactionPayment,
};
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{Application, Proposal, Role},
	registry::MAX_LOCATION_LEN,
	Signature, SubchainId,
};
use frame_support::traits::Get;
use sp_core::H256;

dbm_runtime_common::define_runtime_benchmarks!(
	[pallet_finality_recovery, FinalityRecovery]
	[pallet_biller_registry, BillerRegistry]
	[pallet_collective, Council]
	[pallet_membership_voting, MembershipVoting]
	[pallet_subchain_inbox, SubchainInbox]
);

/// Real sr25519 accounts and signatures for the registry's election proofs.
pub struct RegistryHelper;

impl pallet_biller_registry::BenchmarkHelper<AccountId, Signature, SessionKeys> for RegistryHelper {
	fn account(i: u32) -> AccountId {
		dbm_runtime_common::benchmarks::keys::account("registry-bench", i)
	}

	fn sign(who: &AccountId, payload: &[u8]) -> Signature {
		dbm_runtime_common::benchmarks::keys::sign(who, payload)
	}

	fn authority_keys(i: u32) -> SessionKeys {
		let seed = alloc::format!("//registry-bench-keys-{i}").into_bytes();
		SessionKeys::generate(&[], Some(seed)).keys
	}

	fn authority_keys_proof(i: u32, owner: &AccountId) -> alloc::vec::Vec<u8> {
		use codec::Encode;
		// The same seed gives the same keys, now with their proof for `owner`.
		let seed = alloc::format!("//registry-bench-keys-{i}").into_bytes();
		SessionKeys::generate(&owner.encode(), Some(seed)).proof.encode()
	}

	fn voter(i: u32) -> dbm_primitives::finality::AuthorityId {
		dbm_runtime_common::benchmarks::keys::voter(i)
	}

	fn vote(
		voter: &dbm_primitives::finality::AuthorityId,
		payload: &[u8],
	) -> dbm_primitives::finality::AuthoritySignature {
		dbm_runtime_common::benchmarks::keys::vote(voter, payload)
	}
}

/// Parent authorities as voters, and a join the registry assigns after looking at every
/// sub-chain.
pub struct VotingHelper;

impl pallet_membership_voting::BenchmarkHelper<AccountId> for VotingHelper {
	fn voters(n: u32) -> Vec<AccountId> {
		let voters: Vec<AccountId> = (0..n)
			.map(|i| dbm_runtime_common::benchmarks::keys::account("voting-bench", i))
			.collect();
		pallet_biller_registry::Authorities::<Runtime>::put(
			frame_support::BoundedVec::try_from(voters.clone()).expect("at most MaxVoters"),
		);
		voters
	}

	fn proposal() -> Proposal<AccountId> {
		// Every sub-chain there may be, all as near: the assignment compares them all.
		let max = <Runtime as pallet_biller_registry::Config>::MaxSubchains::get();
		for id in 1..=max {
			if !pallet_biller_registry::Subchains::<Runtime>::contains_key(SubchainId(id))
				&& pallet_biller_registry::Subchains::<Runtime>::count() < max
			{
				BillerRegistry::do_register(
					SubchainId(id),
					b"bench".to_vec(),
					alloc::vec![b'a'; MAX_LOCATION_LEN as usize],
					H256::repeat_byte(id as u8),
					H256::zero(),
					alloc::vec![],
				)
				.expect("a free id");
			}
		}
		// A join naming a meter: its proof is checked, and the admission carries it.
		let candidate = dbm_runtime_common::benchmarks::keys::account("voting-candidate", 0);
		let meter = dbm_runtime_common::benchmarks::keys::meter_claim(&candidate);
		Proposal::JoinWithMeter {
			candidate,
			application: Application {
				role: Role::Generator,
				attested: NodeAttributes::default(),
				capacity_w: 10_000,
				area: alloc::vec![b'a'; MAX_LOCATION_LEN as usize].try_into().expect("fits"),
			},
			meter,
		}
	}
}
