//! Configuration of the sub-chain runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the sub-chain's own is set here.

use crate::*;
use dbm_primitives::membership::MemberInfo;
use dbm_primitives::{
	currency::MILLI_UNIT,
	time::{DAYS, HOURS, MILLI_SECS_PER_BLOCK, MINUTES},
};
use dbm_runtime_common::{RuntimeBlockLength, RuntimeBlockWeights};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	PalletId,
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::AccountIdConversion, DispatchError, DispatchResult, Percent, Permill};

dbm_runtime_common::impl_base_configs!();

// A voter's equivocation is proven on the sub-chain and kept for the relay, which carries it to
// the parent; the parent suspends the voter's member (`pallet_dbsca::equivocations`).
type GrandpaKeyOwnerProof = pallet_dbsca::VoterProof;
type GrandpaEquivocationReports = pallet_dbsca::GrandpaEquivocations<Runtime>;

/// The proof that `key` is a voter of the GRANDPA set `set_id` in force, which a voter's node
/// sends with the equivocation it reports.
pub fn grandpa_key_owner_proof(
	set_id: sp_consensus_grandpa::SetId,
	key: &sp_consensus_grandpa::AuthorityId,
) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
	use codec::Encode;
	Dbsca::voter_proof(set_id, key)
		.map(|proof| sp_consensus_grandpa::OpaqueKeyOwnershipProof::new(proof.encode()))
}

/// GRANDPA's weights on a sub-chain: an equivocation report costs what keeping its proof does
/// (`pallet_dbsca`'s benchmarked `note_equivocation`).
pub struct GrandpaWeights;

impl pallet_grandpa::WeightInfo for GrandpaWeights {
	fn report_equivocation(_voters: u32, _nominators: u32) -> frame_support::weights::Weight {
		<pallet_dbsca::weights::SubstrateWeight<Runtime> as pallet_dbsca::WeightInfo>::note_equivocation()
	}

	fn note_stalled() -> frame_support::weights::Weight {
		<() as pallet_grandpa::WeightInfo>::note_stalled()
	}
}

/// Unsigned transactions the runtime itself submits from a node (a voter's equivocation, stall
/// or return report).
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

parameter_types! {
	/// The most members a sub-chain has: the paper's microgrids have tens of nodes per
	/// sub-chain (ten in its 100-node experiment).
	pub const MaxMembers: u32 = 100;
	/// A round closes when more than half of the active members confirmed its biller.
	pub const ElectionQuorum: Percent = Percent::from_percent(51);
	/// A committee serves a day; then a round re-ranks the candidates.
	pub const ElectionTerm: BlockNumber = 24 * HOURS;
	/// A round open for ten minutes without its quorum, or an election the parent did not
	/// confirm in ten minutes, gives way to a new round (the parent asks again after thirty).
	pub const ElectionTimeout: BlockNumber = 10 * MINUTES;
}

/// This sub-chain's genesis hash, which every election statement names. `frame_system` keeps
/// the genesis block's hash for good (it prunes only later ones); it is the real hash from
/// block 1 on, and no round opens in the genesis block.
pub struct GenesisHash;

impl frame_support::traits::Get<sp_core::H256> for GenesisHash {
	fn get() -> sp_core::H256 {
		frame_system::Pallet::<Runtime>::block_hash(0)
	}
}

/// A biller that authored none of its slots for 30 seconds is silent.
pub const MAX_SILENT_SLOTS: u64 = 30_000 / MILLI_SECS_PER_BLOCK;

/// The member registry. Its members change by root alone: the parent inbox carrying out the
/// parent's proven join, kick and suspension decisions (or `sudo` on a development chain of
/// one authority; no other chain has a sudo key).
impl pallet_subchain::Config for Runtime {
	type MembershipOrigin = EnsureRoot<AccountId>;
	type OnActiveSetChange = Dbsca;
	type MaxMembers = MaxMembers;
	type WeightInfo = pallet_subchain::weights::SubstrateWeight<Runtime>;
}

/// The session keys a DBSCA candidate registers are its Aura and GRANDPA keys.
impl pallet_dbsca::ConsensusKeys<sp_consensus_aura::sr25519::AuthorityId> for opaque::SessionKeys {
	fn aura(&self) -> sp_consensus_aura::sr25519::AuthorityId {
		self.aura.clone()
	}
}

/// The GRANDPA key of a DBSCA candidate's session keys, which its election statements name.
impl pallet_dbsca::FinalityKey for opaque::SessionKeys {
	fn grandpa(&self) -> sp_consensus_grandpa::AuthorityId {
		self.grandpa.clone()
	}
}

/// The DBSCA election drives Aura and GRANDPA directly (`pallet_dbsca::AuraGrandpa`): no
/// session pallet, so an enacted committee authors from the next block and votes from the
/// enacting block's finality on. Its rules (score weights, committee size, elections) change by
/// root alone: the parent's proven decisions (see [`ParentDecisions`]).
impl pallet_dbsca::Config for Runtime {
	type Members = Subchain;
	type SubchainId = Subchain;
	type GenesisHash = GenesisHash;
	type Keys = opaque::SessionKeys;
	type Signature = dbm_primitives::Signature;
	type CommitteeHandler = pallet_dbsca::AuraGrandpa<Runtime>;
	type SlotAuthor = pallet_dbsca::AuraSlotAuthor<Runtime>;
	type ConfigOrigin = EnsureRoot<AccountId>;
	type ElectionOrigin = EnsureRoot<AccountId>;
	type EnactOrigin = EnsureRoot<AccountId>;
	type MaxCandidates = ConstU32<32>;
	type MaxMembers = MaxMembers;
	type MaxCommittee = ConstU32<{ dbm_primitives::dbsca::MAX_COMMITTEE_SIZE }>;
	type MaxLocationLen = ConstU32<64>;
	type Quorum = ElectionQuorum;
	type TermLength = ElectionTerm;
	type MaxSilentSlots = ConstU64<MAX_SILENT_SLOTS>;
	type BillerAuraSlots = ConstU32<2>;
	type ElectionTimeout = ElectionTimeout;
	type VoterSet = pallet_dbsca::AuraGrandpa<Runtime>;
	type MaxEquivocations = ConstU32<{ dbm_runtime_common::MAX_AUTHORITIES }>;
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
	/// A meter reads every ten seconds (docs/metering.md argues the length).
	pub const MeteringInterval: BlockNumber = 10 * MINUTES / 60;
	/// Readings of a trade's two sides may differ by 5% of its energy and still settle it.
	pub const MeterTolerance: Permill = Permill::from_percent(5);
}

/// The electricity market. Disputes go to the parent chain through the membership outbox and
/// its rulings come back through the parent inbox, as do the price bounds the parent sets: root
/// here is the parent's proven decision. Until meters sign readings, the meter origin is root
/// too, which only a development chain's sudo reaches: elsewhere a trade settles by its buyer's
/// confirmation of the whole delivery or by the parent's ruling on a dispute.
impl pallet_energy_trade::Config for Runtime {
	type Currency = Balances;
	type Members = Subchain;
	type PriceOrigin = EnsureRoot<AccountId>;
	// The parent's rulings arrive as messages the parent inbox applies with root's rights.
	type DisputeOrigin = EnsureRoot<AccountId>;
	type Outbox = MembershipVoting;
	type GridAccount = GridAccount;
	type MaxOpenOffers = ConstU32<1_024>;
	type MaxOffersPerAccount = ConstU32<16>;
	type MaxOpenTrades = ConstU32<4_096>;
	type MaxTradesPerBlock = ConstU32<{ dbm_primitives::trade::MAX_TRADES_PER_BLOCK }>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type MaxHorizon = TradeHorizon;
	type SettlementPeriod = SettlementPeriod;
	type Meters = Subchain;
	type MeteringInterval = MeteringInterval;
	// Half an hour of intervals: what settling a trade walks, at most.
	type MaxDeliveryIntervals = ConstU32<180>;
	// A meter that was offline up to a quarter of an hour catches up.
	type MaxReadingAge = ConstU32<90>;
	type MeterTolerance = MeterTolerance;
	type MaxBookings = ConstU32<16>;
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
/// delivers it, and the parent inbox acknowledges it with a proof of the parent's state). The
/// member list changes only when the parent's decision comes back.
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

/// The parent chain as this sub-chain's GRANDPA light client sees it: the block, hash and
/// header types both layers share.
pub struct ParentChain;

impl bp_runtime::Chain for ParentChain {
	const ID: bp_runtime::ChainId = *b"dbmp";
	type BlockNumber = BlockNumber;
	type Hash = Hash;
	type Hasher = sp_runtime::traits::BlakeTwo256;
	type Header = dbm_primitives::Header;
	type AccountId = AccountId;
	type Balance = Balance;
	type Nonce = Nonce;
	type Signature = dbm_primitives::Signature;
	const STATE_VERSION: sp_runtime::StateVersion = sp_runtime::StateVersion::V1;

	fn max_extrinsic_size() -> u32 {
		*RuntimeBlockLength::get().max.get(frame_support::dispatch::DispatchClass::Normal)
	}

	fn max_extrinsic_weight() -> frame_support::weights::Weight {
		RuntimeBlockWeights::get()
			.get(frame_support::dispatch::DispatchClass::Normal)
			.max_extrinsic
			.unwrap_or(frame_support::weights::Weight::MAX)
	}
}

impl bp_header_chain::ChainWithGrandpa for ParentChain {
	const WITH_CHAIN_GRANDPA_PALLET_NAME: &'static str = "ParentGrandpa";
	const MAX_AUTHORITIES_COUNT: u32 = dbm_runtime_common::MAX_AUTHORITIES;
	const REASONABLE_HEADERS_IN_JUSTIFICATION_ANCESTRY: u32 = 8;
	const MAX_MANDATORY_HEADER_SIZE: u32 = 64 * 1024;
	const AVERAGE_HEADER_SIZE: u32 = 512;
}

parameter_types! {
	/// Parent headers kept for proofs: about 8.5 minutes of the parent's half-second blocks, if
	/// the relay brought every one (it brings far fewer: the authority-set changes and the heads it
	/// proves decisions against).
	pub const ParentHeadersToKeep: u32 = 1_024;
	/// The largest proof of a parent entry (a parent state trie is a few levels deep, each
	/// node at most 532 bytes, and the entries are small).
	pub const MaxParentProofSize: u32 = 64 * 1024;
	/// The account that gives newly admitted members their endowment.
	pub EndowmentAccount: AccountId = ENDOWMENT_PALLET_ID.into_account_truncating();
}

/// The id the endowment account is derived from.
pub const ENDOWMENT_PALLET_ID: PalletId = PalletId(*b"dbm/endw");

/// A GRANDPA light client of the parent chain: it imports a parent header only with a
/// justification of the parent's current authority set, and follows the set's changes through
/// the headers that announce them. Anyone may submit; the weights are the bridge pallet's own.
impl pallet_bridge_grandpa::Config for Runtime {
	#[allow(deprecated)]
	type RuntimeEvent = RuntimeEvent;
	type BridgedChain = ParentChain;
	type MaxFreeHeadersPerBlock = ConstU32<4>;
	type FreeHeadersInterval = frame_support::traits::GetDefault;
	type HeadersToKeep = ParentHeadersToKeep;
	type WeightInfo = pallet_bridge_grandpa::weights::BridgeWeight<Runtime>;
}

/// The parent's finalized headers, from the light client.
pub struct LightClientHeaders;

impl pallet_parent_inbox::FinalizedParent for LightClientHeaders {
	fn state_root(hash: &Hash) -> Option<Hash> {
		use bp_header_chain::HeaderChain;
		pallet_bridge_grandpa::GrandpaChainHeaders::<Runtime, ()>::finalized_header_state_root(
			*hash,
		)
	}

	fn light_client() -> Option<pallet_parent_inbox::LightClientState> {
		let (best, set) = (
			pallet_bridge_grandpa::BestFinalized::<Runtime, ()>::get()?,
			pallet_bridge_grandpa::CurrentAuthoritySet::<Runtime, ()>::get(),
		);
		Some(pallet_parent_inbox::LightClientState {
			set_id: set.set_id,
			voters: set.authorities.into_inner(),
			finalized: (best.hash(), best.number()),
		})
	}

	fn follow(
		set_id: pallet_parent_inbox::SetId,
		voters: pallet_parent_inbox::AuthorityList,
		best: dbm_primitives::Header,
	) -> DispatchResult {
		// The bridge's own way of putting a set and a header in force; the inbox checked the
		// forced change that justifies it.
		pallet_bridge_grandpa::Pallet::<Runtime, ()>::force_set_pallet_state(
			RuntimeOrigin::root(),
			set_id,
			voters,
			alloc::boxed::Box::new(best),
		)
	}

	fn follow_weight() -> frame_support::weights::Weight {
		use pallet_bridge_grandpa::WeightInfo as _;
		<Runtime as pallet_bridge_grandpa::Config>::WeightInfo::force_set_pallet_state()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn finalized_for_benchmarks(state_root: Hash) -> Hash {
		use sp_runtime::traits::Header as _;
		let header = dbm_primitives::Header::new(
			1,
			Default::default(),
			state_root,
			Default::default(),
			Default::default(),
		);
		pallet_bridge_grandpa::initialize_for_benchmarks::<Runtime, ()>(header.clone());
		header.hash()
	}
}

/// Adds `who` with `info` as the parent admitted it, gives it `endowment` from
/// [`EndowmentAccount`] if that account can pay it, and registers its meter's key `meter` if no
/// other member's meter has it (the two layers' votes checked that, but another admission may
/// have taken the key since). The admission depends on neither: a member left without its
/// meter gets one by a `ReplaceMeter` vote.
fn admit(
	who: &AccountId,
	info: MemberInfo,
	endowment: Balance,
	meter: Option<dbm_primitives::metering::MeterKey>,
) -> DispatchResult {
	use frame_support::traits::{fungible::Mutate, tokens::Preservation};
	Subchain::add_member(RuntimeOrigin::root(), who.clone(), info)?;
	if let Err(error) = <Balances as Mutate<_>>::transfer(
		&EndowmentAccount::get(),
		who,
		endowment,
		Preservation::Preserve,
	) {
		log::warn!(target: "parent-inbox", "no endowment for {who:?}: {error:?}");
	}
	if let Some(meter) = meter {
		if let Err(error) = Subchain::set_meter(RuntimeOrigin::root(), who.clone(), Some(meter)) {
			log::warn!(target: "parent-inbox", "no meter for {who:?}: {error:?}");
		}
	}
	Ok(())
}

/// What the parent's decisions do on a sub-chain: the member list changes (an admitted member
/// also gets its endowment from [`EndowmentAccount`], if that account can pay it: the
/// admission does not depend on it), new score weights, price bounds and committee sizes
/// and the network charge replace the sub-chain's, an upgrade the parent authorized may be applied, a confirmed
/// election is enacted if it is the pending one, and a re-election request opens a round; the
/// sub-chain's messages the parent took leave its outbox.
pub struct ParentDecisions;

impl pallet_parent_inbox::ParentDecisions<AccountId> for ParentDecisions {
	fn has_room(message: &dbm_primitives::membership::Message<AccountId, Balance>) -> bool {
		use dbm_primitives::membership::Message;
		// A ruling closes a trade: it needs room in the block's trade batch, else it waits.
		!matches!(message, Message::Ruling { .. }) || EnergyTrade::has_batch_room()
	}

	fn apply(message: &dbm_primitives::membership::Message<AccountId, Balance>) -> DispatchResult {
		use dbm_primitives::membership::Message;
		let root = || RuntimeOrigin::root();
		match message {
			Message::Admit { who, info, endowment } => admit(who, *info, *endowment, None),
			Message::AdmitWithMeter { who, info, endowment, meter } => {
				admit(who, *info, *endowment, Some(*meter))
			}
			Message::Remove { who, .. } => Subchain::remove_member(root(), who.clone()),
			Message::Suspend { who, .. } => {
				let info = pallet_subchain::Members::<Runtime>::get(who)
					.ok_or(pallet_subchain::Error::<Runtime>::NotMember)?;
				Subchain::update_member(root(), who.clone(), MemberInfo { suspended: true, ..info })
			}
			Message::SetWeights { weights } => Dbsca::set_weights(root(), *weights),
			Message::Ruling { trade, delivered_wh } => {
				EnergyTrade::resolve_dispute(root(), *trade, *delivered_wh)
					.map(|_| ())
					.map_err(|e| e.error)
			}
			Message::SetPrices { feed_in_tariff, grid_price } => {
				EnergyTrade::set_prices(root(), *feed_in_tariff, *grid_price)
			}
			Message::SetNetworkCharge { per_kwh } => {
				EnergyTrade::set_network_charge(root(), *per_kwh)
			}
			Message::SetMeter { who, meter } => Subchain::set_meter(root(), who.clone(), *meter),
			Message::SetCommitteeSize { size } => Dbsca::set_committee_size(root(), *size),
			Message::AuthorizeUpgrade { code_hash } => {
				// Checked when the code is supplied: same spec name, higher spec version.
				frame_system::Pallet::<Runtime>::do_authorize_upgrade(*code_hash, true);
				Ok(())
			}
			Message::Approved { .. } | Message::Dispute { .. } => {
				Err(DispatchError::Other("a message for the parent"))
			}
		}
	}

	fn apply_weight() -> frame_support::weights::Weight {
		use pallet_subchain::WeightInfo as _;
		type W = pallet_subchain::weights::SubstrateWeight<Runtime>;
		use pallet_balances::WeightInfo as _;
		let transfer = <Runtime as pallet_balances::Config>::WeightInfo::transfer_keep_alive();
		use pallet_dbsca::WeightInfo as _;
		let set_weights = pallet_dbsca::weights::SubstrateWeight::<Runtime>::set_weights();
		// A member entering or leaving the active set is told to DBSCA (`OnActiveSetChange`).
		let told = <Dbsca as dbm_primitives::membership::OnActiveSetChange<AccountId>>::weight();
		W::add_member()
			.saturating_add(transfer)
			.saturating_add(W::set_meter())
			.max(W::remove_member())
			.max(W::update_member())
			.max(W::set_meter())
			.saturating_add(told)
			.max(set_weights)
			.max(<pallet_energy_trade::weights::SubstrateWeight<Runtime> as pallet_energy_trade::WeightInfo>::resolve_dispute(
				<<Runtime as pallet_energy_trade::Config>::MaxDeliveryIntervals as frame_support::traits::Get<u32>>::get(),
			))
			.max(<pallet_energy_trade::weights::SubstrateWeight<Runtime> as pallet_energy_trade::WeightInfo>::set_prices())
			.max(<pallet_energy_trade::weights::SubstrateWeight<Runtime> as pallet_energy_trade::WeightInfo>::set_network_charge())
			.max(pallet_dbsca::weights::SubstrateWeight::<Runtime>::set_committee_size())
			.max(<<Runtime as frame_system::Config>::SystemWeightInfo as frame_system::WeightInfo>::authorize_upgrade())
	}

	fn enacted_round() -> Option<u32> {
		pallet_dbsca::LastElection::<Runtime>::get().map(|election| election.round)
	}

	fn enact(election: &pallet_parent_inbox::ElectionOf<Runtime>) -> DispatchResult {
		Dbsca::enact_confirmed(election.round, &election.committee, &election.voters).map(|_| ())
	}

	fn enact_weight() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		use pallet_dbsca::WeightInfo as _;
		pallet_dbsca::weights::SubstrateWeight::<Runtime>::enact(
			<Runtime as pallet_dbsca::Config>::MaxCommittee::get(),
		)
	}

	fn reelect(excluded: Option<AccountId>) -> DispatchResult {
		Dbsca::request_election(RuntimeOrigin::root(), excluded)
	}

	fn reelect_weight() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		use pallet_dbsca::WeightInfo as _;
		pallet_dbsca::weights::SubstrateWeight::<Runtime>::request_election(
			<Runtime as pallet_dbsca::Config>::MaxCandidates::get(),
		)
	}

	fn acknowledge(last: u64) -> Result<u32, DispatchError> {
		use dbm_primitives::membership::Destination;
		MembershipVoting::do_acknowledge(Destination::Parent, last)
	}

	fn acknowledge_weight() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		use pallet_membership_voting::WeightInfo as _;
		type Voting = <Runtime as pallet_membership_voting::Config>::WeightInfo;
		Voting::acknowledge(<Runtime as pallet_membership_voting::Config>::MaxOutbox::get())
	}
}

/// The parent's decisions reach this sub-chain only through proofs against parent headers
/// the light client finalized.
impl pallet_parent_inbox::Config for Runtime {
	type SubchainId = Subchain;
	type Parent = LightClientHeaders;
	type Decisions = ParentDecisions;
	type MaxProofSize = MaxParentProofSize;
	type MaxProofNodes = ConstU32<32>;
	type MaxForcedHeaders = ParentHeadersToKeep;
	type MaxParentVoters = ConstU32<{ dbm_runtime_common::MAX_AUTHORITIES }>;
	type WeightInfo = pallet_parent_inbox::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A forced change takes over two blocks after the block that signals it: a second for the
	/// signal to reach every voter before they switch.
	pub const ForcedChangeDelay: BlockNumber = 2;
	/// A forced change waits three blocks (1.5 s) after the last report: voters see a stall
	/// up to a second or two apart.
	pub const StallReportGrace: BlockNumber = 3;
	/// A stall report counts for a minute; a node still stalled reports again.
	pub const StallReportLifetime: BlockNumber = MINUTES;
	/// Reports go ahead of ordinary transactions: they unblock the chain.
	pub const RecoveryPriority: sp_runtime::transaction_validity::TransactionPriority =
		sp_runtime::transaction_validity::TransactionPriority::MAX / 2;
}

/// Finality that recovers when a committee lost a third or more of its members: more than half
/// of the voters' signed stall reports force a GRANDPA change to them (see
/// `pallet_finality_recovery`). The committee itself stays as elected; the next enactment sets
/// the voters again.
impl pallet_finality_recovery::Config for Runtime {
	type ForcedChangeDelay = ForcedChangeDelay;
	type ReportLifetime = StallReportLifetime;
	type ReportGrace = StallReportGrace;
	type UnsignedPriority = RecoveryPriority;
	type Handler = ();
	type WeightInfo = pallet_finality_recovery::weights::SubstrateWeight<Runtime>;
}
