//! The runtime APIs of a sub-chain: those every DB-Microgrid chain has (see
//! `dbm_runtime_common::impl_runtime_apis_with_base`) and the sub-chain's own.

use crate::{
	AccountId, Balance, Block, BlockNumber, Dbsca, EnergyTrade, MembershipVoting, Runtime, Subchain,
};
use alloc::vec::Vec;
use dbm_primitives::{
	dbsca::{RankedCandidate, RoundStatus, ScoreWeights},
	membership::{Destination, Message, ProposalStatus},
	trade::{
		DeliveryRecord, MarketPrices, Offer, OfferId, Trade, TradeId, TradeProof, TradeRecord,
	},
	SubchainId,
};

dbm_runtime_common::impl_runtime_apis_with_base! {
	impl dbm_primitives::SubchainApi<Block> for Runtime {
		fn subchain_id() -> Option<SubchainId> {
			Subchain::subchain_id()
		}
	}

	impl dbm_primitives::dbsca::DbscaApi<Block, AccountId, BlockNumber> for Runtime {
		fn weights() -> ScoreWeights {
			pallet_dbsca::Weights::<Runtime>::get()
		}

		fn ranking() -> Vec<RankedCandidate<AccountId>> {
			Dbsca::ranking()
		}

		fn round() -> Option<RoundStatus<AccountId, BlockNumber>> {
			Dbsca::round_status()
		}

		fn committee() -> Vec<AccountId> {
			pallet_dbsca::Committee::<Runtime>::get().into_inner()
		}

		fn pending_committee() -> Option<(u32, Vec<AccountId>)> {
			Dbsca::pending_committee()
		}

		fn confirmation_payload(round: u32) -> Option<Vec<u8>> {
			Dbsca::confirmation_payload(round)
		}
	}

	impl dbm_primitives::trade::EnergyTradeApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn prices() -> MarketPrices<Balance> {
			EnergyTrade::prices()
		}

		fn open_offers() -> Vec<(OfferId, Offer<AccountId, Balance, BlockNumber>)> {
			EnergyTrade::open_offers()
		}

		fn open_trades() -> Vec<(TradeId, Trade<AccountId, Balance, BlockNumber>)> {
			EnergyTrade::open_trades()
		}

		fn block_trades() -> Vec<TradeRecord<AccountId, Balance>> {
			EnergyTrade::block_trades()
		}

		fn trade_proof(index: u32) -> Option<TradeProof<AccountId, Balance>> {
			EnergyTrade::trade_proof(index)
		}

		fn delivery_record(seller: AccountId) -> DeliveryRecord {
			EnergyTrade::delivery_record(&seller)
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
