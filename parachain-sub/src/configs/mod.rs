//! Configuration of the sub-chain runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the sub-chain's own is set here.

use crate::*;
use dbm_primitives::{
	currency::MILLI_UNIT,
	time::{DAYS, HOURS, MILLI_SECS_PER_BLOCK},
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::AccountIdConversion, Percent};

dbm_runtime_common::impl_base_configs!();

parameter_types! {
	/// The most members a sub-chain has: the paper's microgrids have tens of nodes per
	/// sub-chain (ten in its 100-node experiment).
	pub const MaxMembers: u32 = 100;
	/// A round closes when more than half of the active members confirmed its biller.
	pub const ElectionQuorum: Percent = Percent::from_percent(51);
	/// A committee serves a day; then a round re-ranks the candidates.
	pub const ElectionTerm: BlockNumber = 24 * HOURS;
}

/// A biller that authored none of its slots for 30 seconds is silent.
pub const MAX_SILENT_SLOTS: u64 = 30_000 / MILLI_SECS_PER_BLOCK;

/// The member registry. Until the relay delivers the parent chain's join and kick decisions,
/// root (sudo) stands in for the parent.
impl pallet_subchain::Config for Runtime {
	type MembershipOrigin = EnsureRoot<AccountId>;
	type MaxMembers = MaxMembers;
	type WeightInfo = pallet_subchain::weights::SubstrateWeight<Runtime>;
}

/// The session keys a DBSCA candidate registers are its Aura and GRANDPA keys.
impl pallet_dbsca::ConsensusKeys<sp_consensus_aura::sr25519::AuthorityId> for opaque::SessionKeys {
	fn aura(&self) -> sp_consensus_aura::sr25519::AuthorityId {
		self.aura.clone()
	}

	fn grandpa(&self) -> sp_consensus_grandpa::AuthorityId {
		self.grandpa.clone()
	}
}

/// The DBSCA election drives Aura and GRANDPA directly (`pallet_dbsca::AuraGrandpa`): no
/// session pallet, so an enacted committee authors from the next block and votes from the
/// enacting block's finality on. Root (sudo) stands in for the parent chain's decisions until
/// the relay delivers them.
impl pallet_dbsca::Config for Runtime {
	type Members = Subchain;
	type SubchainId = Subchain;
	type Keys = opaque::SessionKeys;
	type Signature = dbm_primitives::Signature;
	type CommitteeHandler = pallet_dbsca::AuraGrandpa<Runtime>;
	type SlotAuthor = pallet_dbsca::AuraSlotAuthor<Runtime>;
	type ConfigOrigin = EnsureRoot<AccountId>;
	type ElectionOrigin = EnsureRoot<AccountId>;
	type EnactOrigin = EnsureRoot<AccountId>;
	type MaxCandidates = ConstU32<32>;
	type MaxMembers = MaxMembers;
	type MaxCommittee = ConstU32<8>;
	type MaxLocationLen = ConstU32<64>;
	type Quorum = ElectionQuorum;
	type TermLength = ElectionTerm;
	type MaxSilentSlots = ConstU64<MAX_SILENT_SLOTS>;
	type BillerAuraSlots = ConstU32<2>;
	type WeightInfo = pallet_dbsca::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::DbscaHelper;
}

/// The feed-in tariff of a new sub-chain: 0.08 DBM per kWh.
pub const GENESIS_FEED_IN_TARIFF: Balance = 80 * MILLI_UNIT;
/// The grid price of a new sub-chain: 0.30 DBM per kWh.
pub const GENESIS_GRID_PRICE: Balance = 300 * MILLI_UNIT;
/// The id the grid account is derived from.
pub const GRID_PALLET_ID: PalletId = PalletId(*b"dbm/grid");

parameter_types! {
	/// The account that settles with the grid operator: it is paid for the energy unmatched
	/// demands buy from the external grid.
	pub GridAccount: AccountId = GRID_PALLET_ID.into_account_truncating();
	/// An offer's delivery may be planned up to a week ahead.
	pub const TradeHorizon: BlockNumber = 7 * DAYS;
	/// A trade can be settled up to an hour after its delivery window.
	pub const SettlementPeriod: BlockNumber = HOURS;
}

/// The electricity market. Until the relay delivers the parent chain's decisions, root (sudo)
/// sets the prices, stands in for the metering service and rules on disputes.
impl pallet_energy_trade::Config for Runtime {
	type Currency = Balances;
	type Members = Subchain;
	type PriceOrigin = EnsureRoot<AccountId>;
	type MeterOrigin = EnsureRoot<AccountId>;
	type DisputeOrigin = EnsureRoot<AccountId>;
	type GridAccount = GridAccount;
	type MaxOpenOffers = ConstU32<1_024>;
	type MaxOffersPerAccount = ConstU32<16>;
	type MaxOpenTrades = ConstU32<1_024>;
	type MaxTradesPerBlock = ConstU32<256>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type MaxHorizon = TradeHorizon;
	type SettlementPeriod = SettlementPeriod;
	type WeightInfo = pallet_energy_trade::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::EnergyTradeHelper;
}

parameter_types! {
	/// More than half of the active members approve a proposal for the parent.
	pub const MemberThreshold: Percent = Percent::from_percent(51);
}

/// The sub-chain's membership vote, the first of two stages: the active members vote, and an
/// approved join, kick or suspension goes to the parent through the outbox (the relay
/// delivers it; root acknowledges until then). The member list changes only when the
/// parent's decision comes back.
impl pallet_membership_voting::Config for Runtime {
	type Currency = Balances;
	type Voters = pallet_membership_voting::ActiveMembersVote<Subchain>;
	type Handler = pallet_membership_voting::ForwardToParent<Runtime, (), Subchain>;
	type InboundOrigin = EnsureRoot<AccountId>;
	type AckOrigin = EnsureRoot<AccountId>;
	type ProposalDeposit = dbm_runtime_common::ProposalDeposit;
	type Threshold = MemberThreshold;
	type VotingPeriod = dbm_runtime_common::ProposalLifetime;
	type MaxProposals = ConstU32<64>;
	type MaxVoters = MaxMembers;
	type MaxOutbox = ConstU32<1_024>;
	type WeightInfo = pallet_membership_voting::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::VotingHelper;
}
