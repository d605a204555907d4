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

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod forward;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
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
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		storage::with_storage_layer,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{Fortitude, Precision},
		},
		CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{Saturating, Zero},
		Percent,
	};

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
			Self::open(proposal, Some(who))
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
			Self::open(proposal, None)
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

	impl<T: Config<I>, I: 'static> Pallet<T, I> {
		/// The ayes that approve a proposal when `voters` may vote: `Threshold` of them,
		/// rounded up, at least one.
		pub fn required_ayes(voters: u32) -> u32 {
			let percent = u64::from(T::Threshold::get().deconstruct());
			let ayes = (u64::from(voters) * percent).div_ceil(100);
			(ayes as u32).max(1)
		}

		pub(crate) fn open(
			proposal: ProposalOf<T>,
			proposer: Option<T::AccountId>,
		) -> DispatchResult {
			let subject = proposal.subject().clone();
			ensure!(!ProposalAbout::<T, I>::contains_key(&subject), Error::<T, I>::AlreadyProposed);
			ensure!(
				Proposals::<T, I>::count() < T::MaxProposals::get(),
				Error::<T, I>::TooManyProposals
			);
			T::Handler::check(&proposal)?;
			let deposit = match &proposer {
				Some(who) => {
					let deposit = T::ProposalDeposit::get();
					T::Currency::hold(&HoldReason::<I>::Deposit.into(), who, deposit)
						.map_err(|_| Error::<T, I>::InsufficientDeposit)?;
					deposit
				}
				None => 0,
			};
			let index = NextProposal::<T, I>::get();
			let end =
				frame_system::Pallet::<T>::block_number().saturating_add(T::VotingPeriod::get());
			Expiries::<T, I>::try_mutate(end, |ids| ids.try_push(index))
				.map_err(|_| Error::<T, I>::TooManyProposals)?;
			NextProposal::<T, I>::put(index.saturating_add(1));
			ProposalAbout::<T, I>::insert(&subject, index);
			Proposals::<T, I>::insert(
				index,
				OpenProposal {
					proposal: proposal.clone(),
					proposer: proposer.clone(),
					deposit,
					ayes: BoundedVec::new(),
					nays: BoundedVec::new(),
					end,
				},
			);
			Self::deposit_event(Event::Proposed { index, proposer, proposal, end });
			Ok(())
		}

		/// Records `who`'s vote; whether the proposal closed with it.
		pub(crate) fn do_vote(
			who: T::AccountId,
			index: ProposalIndex,
			aye: bool,
		) -> Result<bool, DispatchError> {
			let mut open = Proposals::<T, I>::get(index).ok_or_else(|| {
				if index < NextProposal::<T, I>::get() {
					Error::<T, I>::ProposalClosed
				} else {
					Error::<T, I>::UnknownProposal
				}
			})?;
			ensure!(T::Voters::is_voter(&who), Error::<T, I>::NotVoter);
			ensure!(open.proposal.subject() != &who, Error::<T, I>::SubjectMayNotVote);
			let (side, other) = if aye {
				(&mut open.ayes, &mut open.nays)
			} else {
				(&mut open.nays, &mut open.ayes)
			};
			ensure!(!side.contains(&who), Error::<T, I>::AlreadyVoted);
			other.retain(|v| v != &who);
			side.try_push(who.clone()).map_err(|_| Error::<T, I>::TooManyVotes)?;
			let (ayes, nays) = (open.ayes.len() as u32, open.nays.len() as u32);
			Self::deposit_event(Event::Voted { index, voter: who, aye, ayes, nays });

			let voters = Self::electorate(&open.proposal);
			let required = Self::required_ayes(voters);
			if ayes >= required {
				ensure!(OutboxLen::<T, I>::get() < T::MaxOutbox::get(), Error::<T, I>::OutboxFull);
				Self::close(index, &open);
				Self::release(&open);
				let result = with_storage_layer(|| {
					if let Some((destination, message)) = T::Handler::execute(&open.proposal)? {
						Self::enqueue(destination, message);
					}
					Ok(())
				});
				Self::deposit_event(Event::Executed { index, result });
				Ok(true)
			} else if nays > voters.saturating_sub(required) {
				Self::close(index, &open);
				let burned = match &open.proposer {
					Some(who) if !open.deposit.is_zero() => T::Currency::burn_held(
						&HoldReason::<I>::Deposit.into(),
						who,
						open.deposit,
						Precision::BestEffort,
						Fortitude::Force,
					)?,
					_ => 0,
				};
				Self::deposit_event(Event::Rejected { index, burned });
				Ok(true)
			} else {
				Proposals::<T, I>::insert(index, open);
				Ok(false)
			}
		}

		/// How many may decide `proposal` now: the voters, less its subject if that is one.
		pub fn electorate(proposal: &ProposalOf<T>) -> u32 {
			let voters = T::Voters::voter_count();
			voters.saturating_sub(u32::from(T::Voters::is_voter(proposal.subject())))
		}

		/// Removes a proposal from the open ones and from the expiry queue.
		fn close(index: ProposalIndex, open: &OpenProposal<T, I>) {
			Proposals::<T, I>::remove(index);
			ProposalAbout::<T, I>::remove(open.proposal.subject());
			Expiries::<T, I>::mutate_exists(open.end, |ids| {
				if let Some(list) = ids {
					list.retain(|id| *id != index);
					if list.is_empty() {
						*ids = None;
					}
				}
			});
		}

		/// Returns a proposal's deposit.
		fn release(open: &OpenProposal<T, I>) {
			if let Some(who) = &open.proposer {
				if !open.deposit.is_zero() {
					// The deposit was held by this pallet and only it releases it.
					let released = T::Currency::release(
						&HoldReason::<I>::Deposit.into(),
						who,
						open.deposit,
						Precision::BestEffort,
					);
					debug_assert!(released.is_ok(), "a held deposit is released");
				}
			}
		}

		/// Puts `message` in the outbox for `destination`, under its next nonce. The caller has
		/// checked there is room.
		pub(crate) fn enqueue(destination: Destination, message: MessageOf<T>) -> u64 {
			let nonce = OutboxNonces::<T, I>::mutate(destination, |(_, next)| {
				let nonce = *next;
				*next = next.saturating_add(1);
				nonce
			});
			Outbox::<T, I>::insert(destination, nonce, message.clone());
			OutboxLen::<T, I>::mutate(|n| *n = n.saturating_add(1));
			Self::deposit_event(Event::MessageQueued { destination, nonce, message });
			nonce
		}

		/// Opens a proposal the other layer decided, without a deposit: what `import` does,
		/// for a caller that verified the decision itself (a proof of the other layer's state).
		pub fn import_decided(proposal: ProposalOf<T>) -> DispatchResult {
			Self::open(proposal, None)
		}

		/// Whether a proposal may be opened now: fewer than `MaxProposals` are open.
		pub fn has_room() -> bool {
			Proposals::<T, I>::count() < T::MaxProposals::get()
		}

		/// Prunes `destination`'s messages up to `nonce`; how many. What `acknowledge` does,
		/// for a caller that verified the delivery itself.
		pub fn do_acknowledge(destination: Destination, nonce: u64) -> Result<u32, DispatchError> {
			let (first, next) = OutboxNonces::<T, I>::get(destination);
			ensure!(nonce < next, Error::<T, I>::UnknownMessage);
			ensure!(nonce >= first, Error::<T, I>::AlreadyAcknowledged);
			let mut pruned = 0u32;
			for n in first..=nonce {
				if Outbox::<T, I>::take(destination, n).is_some() {
					pruned = pruned.saturating_add(1);
				}
			}
			OutboxNonces::<T, I>::insert(destination, (nonce.saturating_add(1), next));
			OutboxLen::<T, I>::mutate(|n| *n = n.saturating_sub(pruned));
			Self::deposit_event(Event::Acknowledged { destination, nonce, pruned });
			Ok(pruned)
		}

		/// Closes the proposals that expire at `now`, returning deposits; how many there were.
		pub(crate) fn expire(now: BlockNumberFor<T>) -> u32 {
			let ids = Expiries::<T, I>::take(now);
			let mut expired = 0u32;
			for index in ids {
				// Closing removes proposals from the queue: every id here is open.
				if let Some(open) = Proposals::<T, I>::take(index) {
					ProposalAbout::<T, I>::remove(open.proposal.subject());
					Self::release(&open);
					Self::deposit_event(Event::Expired { index });
					expired = expired.saturating_add(1);
				}
			}
			expired
		}

		/// The open proposals by number, with the ayes each needs now (the runtime API's
		/// `proposals`).
		pub fn open_proposals() -> Vec<ProposalStatus<T::AccountId, BlockNumberFor<T>>> {
			let mut open: Vec<_> = Proposals::<T, I>::iter()
				.map(|(index, p)| ProposalStatus {
					index,
					required: Self::required_ayes(Self::electorate(&p.proposal)),
					proposal: p.proposal,
					proposer: p.proposer,
					ayes: p.ayes.into_inner(),
					nays: p.nays.into_inner(),
					end: p.end,
				})
				.collect();
			open.sort_by_key(|p| p.index);
			open
		}

		/// The messages waiting for `destination`, in nonce order, for the runtime API and the
		/// relay.
		pub fn pending_messages(destination: Destination) -> Vec<(u64, MessageOf<T>)> {
			let (first, next) = OutboxNonces::<T, I>::get(destination);
			(first..next)
				.filter_map(|n| Outbox::<T, I>::get(destination, n).map(|m| (n, m)))
				.collect()
		}

		/// Invariants: at most `MaxProposals` open; each open proposal is the one about its
		/// subject, ends now or later and is in the expiry queue at its end, which lists only
		/// open proposals; no voter is on both sides; each proposer's deposit hold is the sum of
		/// its open proposals' deposits; the outbox holds
		/// exactly the nonces between each destination's first unacknowledged and next, and
		/// `OutboxLen` counts them, within `MaxOutbox`.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use frame_support::traits::fungible::InspectHold;
			let open: Vec<_> = Proposals::<T, I>::iter().collect();
			ensure!(open.len() as u32 == Proposals::<T, I>::count(), "proposal counter is off");
			ensure!(open.len() as u32 <= T::MaxProposals::get(), "more than MaxProposals open");
			ensure!(
				ProposalAbout::<T, I>::iter().count() == open.len(),
				"ProposalAbout does not match the open proposals"
			);
			let now = frame_system::Pallet::<T>::block_number();
			let mut deposits = BTreeMap::<T::AccountId, Balance>::new();
			for (index, p) in &open {
				ensure!(*index < NextProposal::<T, I>::get(), "an open proposal from the future");
				ensure!(
					ProposalAbout::<T, I>::get(p.proposal.subject()) == Some(*index),
					"an open proposal is not the one about its subject"
				);
				ensure!(p.end >= now, "an open proposal is past its end");
				ensure!(
					Expiries::<T, I>::get(p.end).contains(index),
					"an open proposal is not in the expiry queue"
				);
				ensure!(
					p.ayes.iter().all(|a| !p.nays.contains(a)),
					"a voter on both sides of a proposal"
				);
				if let Some(who) = &p.proposer {
					let d = deposits.entry(who.clone()).or_default();
					*d = d.saturating_add(p.deposit);
				} else {
					ensure!(p.deposit == 0, "an imported proposal with a deposit");
				}
			}
			for (who, deposit) in deposits {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::<I>::Deposit.into(), &who) == deposit,
					"held deposits do not match the open proposals"
				);
			}
			let mut waiting = 0u32;
			for (destination, (first, next)) in OutboxNonces::<T, I>::iter() {
				ensure!(first <= next, "outbox nonces out of order");
				for n in first..next {
					ensure!(
						Outbox::<T, I>::contains_key(destination, n),
						"an unacknowledged message is missing"
					);
				}
				waiting = waiting.saturating_add((next - first) as u32);
			}
			for (end, ids) in Expiries::<T, I>::iter() {
				for index in ids {
					ensure!(
						Proposals::<T, I>::get(index).is_some_and(|p| p.end == end),
						"the expiry queue lists a closed proposal"
					);
				}
			}
			ensure!(Outbox::<T, I>::iter().count() as u32 == waiting, "stray outbox messages");
			ensure!(OutboxLen::<T, I>::get() == waiting, "OutboxLen is off");
			ensure!(waiting <= T::MaxOutbox::get(), "more than MaxOutbox messages");
			Ok(())
		}
	}
}

/// Other pallets of the chain queue their decisions for the other layer here (on the parent,
/// the registry's score weights for a sub-chain).
impl<T: Config<I>, I: 'static> dbm_primitives::membership::Outbox<T::AccountId, Balance>
	for Pallet<T, I>
{
	fn send(
		destination: Destination,
		message: MessageOf<T>,
	) -> Result<u64, sp_runtime::DispatchError> {
		frame_support::ensure!(
			OutboxLen::<T, I>::get() < <T::MaxOutbox as frame_support::traits::Get<u32>>::get(),
			Error::<T, I>::OutboxFull
		);
		Ok(Self::enqueue(destination, message))
	}
}
