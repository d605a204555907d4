//! # Membership voting: who joins, who is kicked, who is suspended
//!
//! The paper's section 3.4, on both layers: a node joins the microgrid, or a member loses or
//! pauses its rights, only by a vote. The pallet is instantiable; each chain configures who
//! votes ([`VoterSet`]) and what an approved proposal does ([`DecisionHandler`]):
//!
//! * on a **sub-chain** the voters are its active members, and an approved proposal is
//!   forwarded to the parent ([`ForwardToParent`]): a [`Message::Approved`] in the outbox;
//! * on the **parent** the voters are its authorities, and an approved join assigns the node to
//!   a sub-chain (the biller registry's rule), a kick or suspension cancels or pauses its
//!   rights; each sends the sub-chain concerned a message.
//!
//! ## Proposals
//!
//! `propose` opens a [`Proposal`] — a join (a candidate with its role, attested attributes,
//! capacity and location area), a kick or a suspension (a member, with a [`Reason`]) — from any
//! signed account, which puts down `ProposalDeposit` (held, [`HoldReason::Deposit`]). The
//! handler refuses at once a proposal it could not carry out (a join of a member, a kick of a
//! stranger). A decision of the other layer is opened without a deposit: by
//! [`Pallet::import_decided`], called by the inbox that verified it (on the parent,
//! `pallet-subchain-inbox`), or by `import` from `InboundOrigin`. Each node is the subject of at most one open proposal;
//! at most `MaxProposals` are open, each for `VotingPeriod` blocks.
//!
//! ## Votes
//!
//! Each voter has one vote per proposal, aye or nay, and may change it until the proposal
//! closes; voting the same way twice fails (`AlreadyVoted`), as do votes of non-voters
//! (`NotVoter`), of the proposal's subject (`SubjectMayNotVote`) and on closed proposals
//! (`ProposalClosed`). The electorate of a proposal is the voters at the time of the vote,
//! less its subject if that is a voter (a member about to be kicked does not count). The
//! threshold is `Threshold` of the electorate, rounded up, at least one: after each vote,
//! ayes at the threshold **approve** the proposal, which is carried out in the same call (so a
//! nay can approve, when the electorate shrank since the last vote), and nays that leave too
//! few possible ayes **reject** it. Votes are counted as cast: a voter who leaves the set
//! keeps its vote.
//!
//! ## Deposits
//!
//! Returned when the proposal is approved (whether or not the handler could carry it out, see
//! the `Executed` event) or expires undecided; burned when the voters reject it. Rejection
//! costs the proposer; silence costs nobody.
//!
//! ## Outbox
//!
//! A decision for the other layer is queued in the outbox under its destination and the next
//! nonce of that destination (0, 1, ...). Messages stay until they are acknowledged, which
//! prunes every message of that destination up to a nonce: by [`Pallet::do_acknowledge`],
//! called by the other layer's inbox with a proof of delivery (`pallet-subchain-inbox` on the
//! parent, `pallet-parent-inbox` on a sub-chain), or by `AckOrigin` with
//! `acknowledge(destination, nonce)`. At most `MaxOutbox`
//! messages wait in all: a vote that would approve a proposal while the outbox is full fails
//! (`OutboxFull`) and can be cast again once messages are acknowledged, so no decision is lost.
//!
//! ## Expiry
//!
//! A proposal still open `VotingPeriod` blocks after it was opened closes in `on_initialize`
//! (the proposals of one block at most `MaxProposals`), its deposit returned.
//!
//! ## Why not `pallet-collective`
//!
//! A collective's proposals are arbitrary calls dispatched with a collective origin by a
//! fixed member list set through `ChangeMembers`. Here the proposals are typed, carry a
//! deposit and a subject who may not vote, the voter set is another pallet's live state (the
//! sub-chain's members, the parent's authorities), and the outcome goes to a handler and an
//! outbox with nonces. The pallet keeps to that and nothing more.
//!
//! ## Code and summary
//!
//! The logic is in `proposals.rs`, `votes.rs`, `outbox.rs` and `forward.rs`, the invariants in
//! `invariants.rs`; the pallet's `README.md` summarises its calls, storage, events, errors and
//! constants.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod forward;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
mod outbox;
mod proposals;
#[cfg(test)]
mod tests;
mod votes;
pub mod weights;

pub use dbm_primitives::{
	membership::{
		ActiveMembersVote, Application, DecisionHandler, Destination, MemberInfo, MemberRegistry,
		Message, Proposal, ProposalStatus, Reason, Role, VoterSet,
	},
	Balance,
};
pub use forward::ForwardToParent;
pub use pallet::*;
pub use weights::WeightInfo;

/// A proposal's number, from 0.
pub type ProposalIndex = u32;

/// What the benchmarks need from the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `n` voters and returns them.
	fn voters(n: u32) -> alloc::vec::Vec<AccountId>;
	/// A proposal the handler accepts, and carries out in its costliest way, after
	/// [`Self::voters`].
	fn proposal() -> Proposal<AccountId>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Zero, Percent};

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The pallet.
	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T, I = ()>(_);

	/// A proposal of this chain.
	pub type ProposalOf<T> = Proposal<<T as frame_system::Config>::AccountId>;
	/// A message of this chain's outbox.
	pub type MessageOf<T> = Message<<T as frame_system::Config>::AccountId, Balance>;

	/// An open proposal with its votes.
	#[derive(
		CloneNoBound,
		Decode,
		Encode,
		EqNoBound,
		MaxEncodedLen,
		PartialEqNoBound,
		DebugNoBound,
		TypeInfo,
	)]
	#[scale_info(skip_type_params(T, I))]
	#[codec(mel_bound())]
	pub struct OpenProposal<T: Config<I>, I: 'static> {
		/// What is proposed.
		pub proposal: ProposalOf<T>,
		/// Who proposed it and put down the deposit; `None` when imported from the other layer.
		pub proposer: Option<T::AccountId>,
		/// The deposit held from the proposer.
		pub deposit: Balance,
		/// The voters in favour.
		pub ayes: BoundedVec<T::AccountId, T::MaxVoters>,
		/// The voters against.
		pub nays: BoundedVec<T::AccountId, T::MaxVoters>,
		/// The block at which it expires undecided.
		pub end: BlockNumberFor<T>,
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason<I: 'static = ()> {
		/// A proposal's deposit.
		#[codec(index = 0)]
		Deposit,
	}

	/// Configuration.
	#[pallet::config]
	pub trait Config<I: 'static = ()>: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason: From<HoldReason<I>>>;
		/// Who votes.
		type Voters: VoterSet<Self::AccountId>;
		/// What an approved proposal does.
		type Handler: DecisionHandler<Self::AccountId, Balance>;
		/// Who opens proposals decided on the other layer, without a deposit, besides the
		/// inbox that verifies them.
		type InboundOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who acknowledges the delivery of outbox messages, besides the inbox that verifies
		/// them.
		type AckOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The deposit a proposer puts down.
		#[pallet::constant]
		type ProposalDeposit: Get<Balance>;
		/// The share of the voters whose ayes approve a proposal.
		#[pallet::constant]
		type Threshold: Get<Percent>;
		/// Blocks a proposal stays open.
		#[pallet::constant]
		type VotingPeriod: Get<BlockNumberFor<Self>>;
		/// The most proposals open at once.
		#[pallet::constant]
		type MaxProposals: Get<u32>;
		/// The most voters (and so votes on one proposal).
		#[pallet::constant]
		type MaxVoters: Get<u32>;
		/// The most messages waiting in the outbox.
		#[pallet::constant]
		type MaxOutbox: Get<u32>;
		/// Weights of the calls and hooks, generated by `dbm-node benchmark pallet`.
		type WeightInfo: WeightInfo;
		/// Voters and proposals for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The number the next proposal gets.
	#[pallet::storage]
	pub type NextProposal<T: Config<I>, I: 'static = ()> =
		StorageValue<_, ProposalIndex, ValueQuery>;

	/// The open proposals.
	#[pallet::storage]
	pub type Proposals<T: Config<I>, I: 'static = ()> =
		CountedStorageMap<_, Twox64Concat, ProposalIndex, OpenProposal<T, I>>;

	/// The open proposal about each node.
	#[pallet::storage]
	pub type ProposalAbout<T: Config<I>, I: 'static = ()> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProposalIndex>;

	/// The open proposals that expire at each block.
	#[pallet::storage]
	pub type Expiries<T: Config<I>, I: 'static = ()> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<ProposalIndex, T::MaxProposals>,
		ValueQuery,
	>;

	/// The undelivered messages, by destination and nonce.
	#[pallet::storage]
	pub type Outbox<T: Config<I>, I: 'static = ()> =
		StorageDoubleMap<_, Twox64Concat, Destination, Twox64Concat, u64, MessageOf<T>>;

	/// For each destination, the first unacknowledged nonce and the next nonce: the messages
	/// waiting are those in between.
	#[pallet::storage]
	pub type OutboxNonces<T: Config<I>, I: 'static = ()> =
		StorageMap<_, Twox64Concat, Destination, (u64, u64), ValueQuery>;

	/// How many messages wait in all.
	#[pallet::storage]
	pub type OutboxLen<T: Config<I>, I: 'static = ()> = StorageValue<_, u32, ValueQuery>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config<I>, I: 'static = ()> {
		/// A proposal was opened.
		Proposed {
			/// Its number.
			index: ProposalIndex,
			/// Who proposed it (`None`: imported from the other layer).
			proposer: Option<T::AccountId>,
			/// What is proposed.
			proposal: ProposalOf<T>,
			/// When it expires.
			end: BlockNumberFor<T>,
		},
		/// A vote was cast or changed.
		Voted {
			/// The proposal.
			index: ProposalIndex,
			/// The voter.
			voter: T::AccountId,
			/// In favour?
			aye: bool,
			/// The ayes so far.
			ayes: u32,
			/// The nays so far.
			nays: u32,
		},
		/// A proposal reached the threshold and was carried out, or failed to be (`result`).
		Executed {
			/// The proposal.
			index: ProposalIndex,
			/// What carrying it out gave.
			result: DispatchResult,
		},
		/// The voters rejected a proposal; its deposit was burned.
		Rejected {
			/// The proposal.
			index: ProposalIndex,
			/// The deposit burned.
			burned: Balance,
		},
		/// A proposal expired undecided; its deposit was returned.
		Expired {
			/// The proposal.
			index: ProposalIndex,
		},
		/// A message was put in the outbox.
		MessageQueued {
			/// Where it goes.
			destination: Destination,
			/// Its nonce.
			nonce: u64,
			/// The message.
			message: MessageOf<T>,
		},
		/// Messages were acknowledged as delivered and pruned.
		Acknowledged {
			/// Where they went.
			destination: Destination,
			/// The last nonce acknowledged.
			nonce: u64,
			/// How many were pruned.
			pruned: u32,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T, I = ()> {
		/// No proposal has this number yet.
		UnknownProposal,
		/// The proposal is closed (approved, rejected or expired).
		ProposalClosed,
		/// The account may not vote.
		NotVoter,
		/// The voter voted this way on the proposal already.
		AlreadyVoted,
		/// The node the proposal is about may not vote on it.
		SubjectMayNotVote,
		/// The proposal has `MaxVoters` votes on this side (voters changed while it was open).
		TooManyVotes,
		/// A proposal about this node is open already.
		AlreadyProposed,
		/// `MaxProposals` proposals are open.
		TooManyProposals,
		/// The proposer cannot put down the deposit.
		InsufficientDeposit,
		/// `MaxOutbox` messages wait for delivery: the approving vote has to wait.
		OutboxFull,
		/// The nonce was acknowledged already.
		AlreadyAcknowledged,
		/// No message with this nonce was sent.
		UnknownMessage,
		/// The candidate is a member already.
		AlreadyMember,
		/// The node is not a member.
		NotMember,
		/// The member is suspended already.
		AlreadySuspended,
		/// Another member's meter has this key.
		MeterInUse,
		/// The member's meter has this key already, or it has no meter to revoke.
		MeterUnchanged,
		/// The meter's proof is not its signature for the node the proposal is about.
		BadMeterProof,
		/// Only the member itself may propose a new meter for it (anyone may propose to revoke
		/// one).
		NotTheMembersOwn,
	}

	#[pallet::hooks]
	impl<T: Config<I>, I: 'static> Hooks<BlockNumberFor<T>> for Pallet<T, I> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let expired = Self::expire(now);
			T::WeightInfo::on_initialize(expired)
		}

		fn integrity_test() {
			assert!(!T::Threshold::get().is_zero(), "a threshold of 0% would approve anything");
			assert!(T::MaxProposals::get() > 0, "MaxProposals must be positive");
			assert!(T::MaxVoters::get() > 0, "MaxVoters must be positive");
			assert!(T::MaxOutbox::get() > 0, "MaxOutbox must be positive");
			assert!(!T::VotingPeriod::get().is_zero(), "VotingPeriod must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config<I>, I: 'static> Pallet<T, I> {
		/// Open a proposal, putting down `ProposalDeposit`.
		///
		/// Origin: signed. Errors: `AlreadyProposed`, `TooManyProposals`,
		/// `InsufficientDeposit`, and the handler's refusals (on a sub-chain `AlreadyMember`,
		/// `NotMember`, `AlreadySuspended`). Event: `Proposed`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose())]
		pub fn propose(origin: OriginFor<T>, proposal: ProposalOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open(proposal, Some(who))
		}

		/// Vote on an open proposal, or change one's vote. The vote that reaches the threshold
		/// carries the proposal out; the one that makes it unreachable rejects it.
		///
		/// Origin: a voter. Errors: `UnknownProposal`, `ProposalClosed`, `NotVoter`,
		/// `SubjectMayNotVote`, `AlreadyVoted`, `OutboxFull`. Events: `Voted`, then maybe
		/// `Executed` (and `MessageQueued`) or `Rejected`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::vote().max(T::WeightInfo::vote_approve()))]
		pub fn vote(
			origin: OriginFor<T>,
			index: ProposalIndex,
			aye: bool,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let closed = Self::do_vote(who, index, aye)?;
			Ok(if closed { None } else { Some(T::WeightInfo::vote()) }.into())
		}

		/// Open a proposal decided on the other layer, without a deposit.
		///
		/// Origin: `InboundOrigin`. Errors: `AlreadyProposed`, `TooManyProposals`, and the
		/// handler's refusals. Event: `Proposed`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::import())]
		pub fn import(origin: OriginFor<T>, proposal: ProposalOf<T>) -> DispatchResult {
			T::InboundOrigin::ensure_origin(origin)?;
			Self::do_open(proposal, None)
		}

		/// Acknowledge the delivery of `destination`'s messages up to `nonce`, pruning them.
		///
		/// Origin: `AckOrigin`. Errors: `AlreadyAcknowledged`, `UnknownMessage`.
		/// Event: `Acknowledged`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::acknowledge(T::MaxOutbox::get()))]
		pub fn acknowledge(
			origin: OriginFor<T>,
			destination: Destination,
			nonce: u64,
		) -> DispatchResultWithPostInfo {
			T::AckOrigin::ensure_origin(origin)?;
			let pruned = Self::do_acknowledge(destination, nonce)?;
			Ok(Some(T::WeightInfo::acknowledge(pruned)).into())
		}
	}
}
