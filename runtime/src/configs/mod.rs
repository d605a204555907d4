//! Configuration of the parent runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the parent's own is set here.

use crate::*;
use alloc::vec::Vec;
use dbm_primitives::{
	currency::UNIT,
	time::{HOURS, MINUTES},
	SubchainId,
};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ChangeMembers, ConstU32, EitherOf},
	weights::Weight,
	BoundedVec,
};
use frame_system::EnsureRoot;
use pallet_biller_registry::{AuthorityHandler, MaxAuthoritiesOf};
use pallet_collective::EnsureProportionMoreThan;
use sp_runtime::{DispatchError, DispatchResult, Perbill, Percent};

dbm_runtime_common::impl_base_configs!();

// The parent's voters are operators and billers whom the parent's own governance appoints and
// removes; their equivocations are not reported on chain (no key ownership proof is given, so
// a node never reports one).
type GrandpaKeyOwnerProof = sp_core::Void;
type GrandpaEquivocationReports = ();
type GrandpaWeights = ();

/// No key ownership proofs on the parent: its voters' equivocations are not reported on chain.
pub fn grandpa_key_owner_proof(
	_set_id: sp_consensus_grandpa::SetId,
	_key: &sp_consensus_grandpa::AuthorityId,
) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
	None
}

parameter_types! {
	/// An election is confirmed by more than half of a sub-chain's active members.
	pub const ElectionQuorum: Percent = Percent::from_percent(51);
	/// A confirmed committee serves a day.
	pub const ElectionTerm: BlockNumber = 24 * HOURS;
	/// A sub-chain that anchored nothing for a minute is said to be overdue (an event).
	pub const AnchorsOverdueAfter: BlockNumber = MINUTES;
	/// A biller is a parent authority while its own vote was in an anchored justification in
	/// the last minute: its relay anchors every finalized block within seconds.
	pub const BillerLiveness: BlockNumber = MINUTES;
	/// A re-election request unanswered for thirty minutes is made again: longer than a
	/// sub-chain round may stay open and then await confirmation (ten minutes each).
	pub const ElectionTimeout: BlockNumber = 30 * MINUTES;
	/// What a node the parent admits gets on its sub-chain for its first fees.
	pub const JoinEndowment: Balance = UNIT;
	/// 67% of the parent authorities (rounded up: 3 of 4, 4 of 5) approve a membership
	/// proposal.
	pub const ParentThreshold: Percent = Percent::from_percent(67);
}

/// The parent's authorities change directly, without sessions: Aura's list at once, GRANDPA
/// by a change with no delay that takes over once the block is finalized (see
/// `pallet_biller_registry`'s authorities module for the timing). A key an earlier authority
/// holds cannot occur: the registry gives each public key one owner.
pub struct ParentConsensus;

impl AuthorityHandler<AccountId, opaque::SessionKeys> for ParentConsensus {
	fn apply(authorities: &[(AccountId, opaque::SessionKeys)]) -> DispatchResult {
		let aura: Vec<_> = authorities.iter().map(|(_, keys)| keys.aura.clone()).collect();
		let aura: BoundedVec<_, <Runtime as pallet_aura::Config>::MaxAuthorities> = aura
			.try_into()
			.map_err(|_| DispatchError::Other("more parent authorities than Aura takes"))?;
		let grandpa = authorities.iter().map(|(_, keys)| (keys.grandpa.clone(), 1)).collect();
		Grandpa::schedule_change(grandpa, 0, None)?;
		// As a session change would: the set id the runtime reports follows the nodes'.
		pallet_grandpa::CurrentSetId::<Runtime>::mutate(|id| *id = id.saturating_add(1));
		Aura::change_authorities(aura);
		// The council is the authorities: it changes with them, in the same block.
		let mut members: Vec<AccountId> = authorities.iter().map(|(who, _)| who.clone()).collect();
		members.sort();
		let old = pallet_collective::Members::<Runtime, CouncilInstance>::get();
		<Council as ChangeMembers<AccountId>>::set_members_sorted(&members, &old);
		Ok(())
	}
}

/// The instance of `pallet_collective` that is the parent's council.
pub type CouncilInstance = pallet_collective::Instance1;

/// More than two thirds of the parent's authorities, voting in the council: the share that
/// finalizes the parent's blocks (3 of 4, 4 of 5, 5 of 6).
pub type AuthorityMajority = EnsureProportionMoreThan<AccountId, CouncilInstance, 2, 3>;

/// Who decides what the parent's governance decides: more than two thirds of the council, or
/// root.
/// Root is reachable only through `sudo`, whose key the development presets give Alice; a
/// chain whose genesis names no sudo key is governed by its council alone.
pub type GovernanceOrigin = EitherOf<EnsureRoot<AccountId>, AuthorityMajority>;

parameter_types! {
	/// A council motion not closed within two hours may be closed by anyone and fails unless
	/// it had its ayes (absent members count as nays: no prime member).
	pub const CouncilMotionDuration: BlockNumber = 2 * HOURS;
	/// A motion's call may use at most half a block.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * dbm_runtime_common::RuntimeBlockWeights::get().max_block;
}

/// Gives a chain upgraded from a runtime without the council its members: the authorities in
/// force. Does nothing once the council has members.
pub struct InitializeCouncil;

impl frame_support::traits::OnRuntimeUpgrade for InitializeCouncil {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !pallet_collective::Members::<Runtime, CouncilInstance>::get().is_empty() {
			return db.reads(1);
		}
		let mut members = pallet_biller_registry::Authorities::<Runtime>::get().into_inner();
		members.sort();
		<Council as ChangeMembers<AccountId>>::set_members_sorted(&members, &[]);
		db.reads_writes(3, 2)
	}
}

/// The parent's council: its authorities (the standing operators and the billers of the
/// active sub-chains), as a collective. Its members are not chosen by anyone: they follow the
/// authority set, changed by `ParentConsensus` with it (genesis gives both the same accounts).
/// Any member proposes a call, and it is dispatched with the share of ayes it had, which
/// [`AuthorityMajority`] checks: a member's own threshold does not lower it.
impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	// Motions open at once, over all members; the authority set bounds who can open one.
	type MaxProposals = ConstU32<32>;
	type MaxMembers = MaxAuthoritiesOf<Runtime>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	// Root, which only a development sudo key reaches (and which could replace the runtime
	// anyway); the council itself cannot reshape its membership. The next authority change
	// sets the members again.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = AuthorityMajority;
	type KillOrigin = AuthorityMajority;
	type Consideration = ();
}

/// The registry of sub-chains. Two thirds of the council (or root, see [`GovernanceOrigin`])
/// register sub-chains, manage members, ask for re-elections, appoint operators and rule on
/// disputes; election proofs and anchors come from any signed account.
impl pallet_biller_registry::Config for Runtime {
	type Signature = dbm_primitives::Signature;
	type RegistryOrigin = GovernanceOrigin;
	type MembershipOrigin = GovernanceOrigin;
	type ElectionOrigin = GovernanceOrigin;
	type UpgradeOrigin = GovernanceOrigin;
	type OperatorOrigin = GovernanceOrigin;
	type DisputeOrigin = GovernanceOrigin;
	type AuthorityKeys = opaque::SessionKeys;
	type AuthorityHandler = ParentConsensus;
	type Outbox = MembershipVoting;
	type MaxOperators = ConstU32<16>;
	type MinAuthorities = ConstU32<4>;
	type Endowment = JoinEndowment;
	type MaxSubchains = ConstU32<16>;
	type MaxMembers = ConstU32<100>;
	// A header that hands over to the largest voter set (32 keys with weights) still fits.
	type MaxHeaderLen = ConstU32<2_048>;
	// Four full blocks' batches in one finalized segment.
	type MaxTradesPerAnchor = ConstU32<{ 4 * dbm_primitives::trade::MAX_TRADES_PER_BLOCK }>;
	// Half a minute of half-second blocks: the relay anchors each justification the sub-chain's
	// voters make (one a block when finality keeps up), and after a pause walks the ones the
	// sub-chain nodes keep (every 32 blocks, the node's `LayerRelay::JUSTIFICATION_PERIOD`, and at
	// every set change).
	type MaxSegment = ConstU32<64>;
	type MaxJustificationLen = ConstU32<{ 64 * 1024 }>;
	type MaxAncestry = ConstU32<64>;
	type MaxVoters = ConstU32<{ dbm_primitives::registry::MAX_VOTERS }>;
	// A proof of a sub-chain's genesis voters: a few branch nodes and a leaf of at most
	// `MaxVoters` keys.
	type MaxProofSize = ConstU32<{ 16 * 1024 }>;
	type MaxDisputes = ConstU32<256>;
	type MaxProofNodes = ConstU32<16>;
	// The last hour of each sub-chain's anchors in full, and a week of hourly epochs.
	type AnchorWindow = ConstU32<HOURS>;
	type EpochLength = ConstU32<HOURS>;
	type MaxEpochs = ConstU32<{ 7 * 24 }>;
	type Quorum = ElectionQuorum;
	type TermLength = ElectionTerm;
	type AnchorsOverdueAfter = AnchorsOverdueAfter;
	type BillerLiveness = BillerLiveness;
	type ElectionTimeout = ElectionTimeout;
	type WeightInfo = pallet_biller_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::RegistryHelper;
}

/// The parent's membership vote: its authorities decide on the proposals the sub-chains
/// approved (proven through `subchainInbox`, or imported by the council) or anyone opened with
/// a deposit; an
/// approved join assigns the node to a sub-chain, a kick or suspension takes its rights, each
/// with a message in the outbox for the sub-chain concerned.
impl pallet_membership_voting::Config for Runtime {
	type Currency = Balances;
	type Voters = BillerRegistry;
	type Handler = BillerRegistry;
	type InboundOrigin = GovernanceOrigin;
	type AckOrigin = GovernanceOrigin;
	type ProposalDeposit = dbm_runtime_common::ProposalDeposit;
	type Threshold = ParentThreshold;
	type VotingPeriod = dbm_runtime_common::ProposalLifetime;
	type MaxProposals = ConstU32<64>;
	type MaxVoters = MaxAuthoritiesOf<Runtime>;
	type MaxOutbox = ConstU32<1_024>;
	type WeightInfo = crate::weights::pallet_membership_voting::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::VotingHelper;
}

/// The sub-chain headers the registry anchored: what a sub-chain's decisions are proven
/// against on the parent.
pub struct AnchoredSubchains;

impl pallet_subchain_inbox::AnchoredState for AnchoredSubchains {
	fn state_root(subchain: SubchainId, number: BlockNumber) -> Option<Hash> {
		BillerRegistry::anchored_state_root(subchain, number)
	}

	fn is_registered(subchain: SubchainId) -> bool {
		pallet_biller_registry::Subchains::<Runtime>::contains_key(subchain)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn anchored_for_benchmarks(subchain: SubchainId, state_root: Hash) -> BlockNumber {
		let anchor = dbm_primitives::registry::Anchor {
			hash: Hash::repeat_byte(1),
			state_root,
			trade_root: Hash::zero(),
			trade_count: 0,
			anchored_in: 1,
		};
		pallet_biller_registry::Anchors::<Runtime>::insert(subchain, 1, anchor);
		// The last anchor: no anchor above it counts.
		pallet_biller_registry::LastAnchor::<Runtime>::insert(
			subchain,
			dbm_primitives::registry::AnchorHead {
				number: 1,
				hash: Hash::repeat_byte(1),
				anchored_in: 1,
			},
		);
		1
	}
}

/// What a sub-chain's decisions do on the parent: an approved proposal is opened for the
/// parent authorities' vote, and the parent's messages the sub-chain took leave the outbox.
pub struct SubchainDecisions;

impl pallet_subchain_inbox::SubchainDecisions<AccountId> for SubchainDecisions {
	fn has_room() -> bool {
		MembershipVoting::has_room()
	}

	fn subchain_of(who: &AccountId) -> Option<SubchainId> {
		pallet_biller_registry::MemberOf::<Runtime>::get(who)
	}

	fn import(proposal: &dbm_primitives::membership::Proposal<AccountId>) -> DispatchResult {
		MembershipVoting::import_decided(proposal.clone())
	}

	fn import_weight() -> frame_support::weights::Weight {
		use pallet_membership_voting::WeightInfo as _;
		<Runtime as pallet_membership_voting::Config>::WeightInfo::import()
	}

	fn has_dispute_room(subchain: SubchainId) -> bool {
		BillerRegistry::has_dispute_room(subchain)
	}

	fn dispute(
		subchain: SubchainId,
		trade: dbm_primitives::trade::TradeId,
		dispute: &dbm_primitives::membership::Dispute<AccountId, Balance>,
	) -> DispatchResult {
		BillerRegistry::open_dispute(subchain, trade, dispute)
	}

	fn dispute_weight() -> frame_support::weights::Weight {
		use pallet_biller_registry::WeightInfo as _;
		<Runtime as pallet_biller_registry::Config>::WeightInfo::open_dispute()
	}

	fn acknowledge(subchain: SubchainId, last: u64) -> Result<u32, DispatchError> {
		use dbm_primitives::membership::Destination;
		MembershipVoting::do_acknowledge(Destination::Subchain(subchain), last)
	}

	fn acknowledge_weight() -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		use pallet_membership_voting::WeightInfo as _;
		type Voting = <Runtime as pallet_membership_voting::Config>::WeightInfo;
		Voting::acknowledge(<Runtime as pallet_membership_voting::Config>::MaxOutbox::get())
	}
}

parameter_types! {
	/// The largest proof of a sub-chain entry (a few trie levels of at most 532 bytes each; the
	/// entries are small).
	pub const MaxSubchainProofSize: u32 = 64 * 1024;
}

/// A sub-chain's decisions reach the parent only through proofs against its anchored state.
impl pallet_subchain_inbox::Config for Runtime {
	type Anchors = AnchoredSubchains;
	type Decisions = SubchainDecisions;
	// Pruning the parent's outbox deletes what the parent decided: the council's.
	type AcknowledgeOrigin = GovernanceOrigin;
	type MaxProofSize = MaxSubchainProofSize;
	type MaxProofNodes = ConstU32<32>;
	type WeightInfo = pallet_subchain_inbox::weights::SubstrateWeight<Runtime>;
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

/// The parent's council leaves out the voters a forced change sidelined, so the live
/// authorities can still reach its majority (recovery calls, removing a dead biller), and takes
/// them in again when they return. The next authority change sets it to the authorities again.
pub struct CouncilFollowsLiveVoters;

impl CouncilFollowsLiveVoters {
	fn refresh() {
		let sidelined: Vec<sp_consensus_grandpa::AuthorityId> = FinalityRecovery::sidelined();
		let mut members: Vec<AccountId> = pallet_biller_registry::Authorities::<Runtime>::get()
			.into_iter()
			.filter(|who| {
				pallet_biller_registry::ParentKeys::<Runtime>::get(who)
					.is_none_or(|keys| !sidelined.contains(&keys.grandpa))
			})
			.collect();
		members.sort();
		let old = pallet_collective::Members::<Runtime, CouncilInstance>::get();
		if members != old {
			<Council as ChangeMembers<AccountId>>::set_members_sorted(&members, &old);
		}
	}
}

impl pallet_finality_recovery::RecoveryHandler for CouncilFollowsLiveVoters {
	fn sidelined(_: &[sp_consensus_grandpa::AuthorityId]) {
		Self::refresh()
	}

	fn returned(_: &[sp_consensus_grandpa::AuthorityId]) {
		Self::refresh()
	}
}

/// Finality that recovers from dead voters: more than half of the voters' signed stall reports
/// force a GRANDPA change to them (see `pallet_finality_recovery`).
impl pallet_finality_recovery::Config for Runtime {
	type ForcedChangeDelay = ForcedChangeDelay;
	type ReportLifetime = StallReportLifetime;
	type ReportGrace = StallReportGrace;
	type UnsignedPriority = RecoveryPriority;
	type Handler = CouncilFollowsLiveVoters;
	type WeightInfo = pallet_finality_recovery::weights::SubstrateWeight<Runtime>;
}

/// Unsigned transactions the runtime itself submits from a node (a voter's stall or return
/// report).
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
