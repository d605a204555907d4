//! The runtime APIs of the parent chain: those every DB-Microgrid chain has (see
//! `dbm_runtime_common::impl_runtime_apis_with_base`) and the registry of sub-chains.

use crate::{AccountId, BillerRegistry, Block, BlockNumber, MembershipVoting, Runtime};
use alloc::vec::Vec;
use dbm_primitives::{
	membership::{Destination, MemberInfo, Message, ProposalStatus},
	registry::{AnchorHead, AnchorLocation, Reelection, SubchainInfo},
	trade::TradeProof,
	Balance, SubchainId,
};

dbm_runtime_common::impl_runtime_apis_with_base! {
	impl dbm_primitives::registry::RegistryApi<Block, AccountId, BlockNumber> for Runtime {
		fn subchains() -> Vec<(SubchainId, SubchainInfo<BlockNumber>)> {
			BillerRegistry::subchains()
		}

		fn members(subchain: SubchainId) -> Vec<(AccountId, MemberInfo)> {
			BillerRegistry::members(subchain)
		}

		fn committee(subchain: SubchainId) -> Option<(u32, Vec<AccountId>)> {
			pallet_biller_registry::Elections::<Runtime>::get(subchain)
				.map(|e| (e.round, e.committee.into_inner()))
		}

		fn reelection(subchain: SubchainId) -> Option<Reelection<AccountId, BlockNumber>> {
			pallet_biller_registry::Reelections::<Runtime>::get(subchain)
		}

		fn last_anchor(subchain: SubchainId) -> Option<AnchorHead<BlockNumber>> {
			pallet_biller_registry::LastAnchor::<Runtime>::get(subchain)
		}

		fn anchor_location(
			subchain: SubchainId,
			number: BlockNumber,
		) -> Option<AnchorLocation<BlockNumber>> {
			BillerRegistry::anchor_location(subchain, number)
		}

		fn verify_trade(
			subchain: SubchainId,
			number: BlockNumber,
			proof: TradeProof<AccountId, Balance>,
		) -> bool {
			BillerRegistry::verify_trade(subchain, number, &proof)
		}
	}

	impl dbm_primitives::membership::MembershipApi<Block, AccountId, BlockNumber> for Runtime {
		fn proposals() -> Vec<ProposalStatus<AccountId, BlockNumber>> {
			MembershipVoting::open_proposals()
		}

		fn pending_messages(destination: Destination) -> Vec<(u64, Message<AccountId, Balance>)> {
			MembershipVoting::pending_messages(destination)
		}
	}
}
