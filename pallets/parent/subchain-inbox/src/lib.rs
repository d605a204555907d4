//! # Sub-chain inbox: the sub-chains' decisions, taken by the parent only with proofs
//!
//! A sub-chain's members vote on joins, kicks and suspensions (the paper's section 3.4); what
//! they approve waits in the sub-chain's outbox (`MembershipVoting::Outbox(Parent, nonce)`)
//! for the parent's own vote. The parent takes it without trusting whoever carries it: the
//! relay (or anyone) submits a **storage proof** of the outbox entry against the state root of
//! a sub-chain header the parent's biller registry **anchored** ([`AnchoredState`]). The pallet
//! recomputes the sub-chain's state root from the proof; a forged entry, a header that is not
//! anchored (or left the registry's recent window), or an incomplete proof fails before
//! anything changes.
//!
//! ## Calls (free when they carry something new)
//!
//! * `receive(subchain, number, nonce, proof)` (signed by anyone): the sub-chain's message
//!   `nonce`, proven against its anchored block `number`. Messages are taken **exactly once
//!   and in order**: `nonce` must be [`NextNonce`] of that sub-chain; an earlier one fails with
//!   `AlreadyReceived`, a later one with `NonceGap`. An approved proposal opens a proposal of
//!   the parent's membership vote, without a deposit ([`SubchainDecisions::import`]); a kick or
//!   suspension must be of the sub-chain's own member. A dispute of a trade opens it for the
//!   parent's ruling ([`SubchainDecisions::dispute`]; the biller registry rules and sends the
//!   ruling back). A message taken counts as taken even if the parent refuses to open it (say,
//!   the candidate is a member already): the outcome is in the `Received` event, so one bad
//!   message never blocks the ones after it. The one exception is a full parent (`MaxProposals`
//!   open, or as many disputes of the sub-chain as it keeps): then the call fails with
//!   `ParentBusy` and the message waits, so that nothing the sub-chain decided is lost to a
//!   busy moment.
//! * `acknowledge(subchain, number, proof)` (`AcknowledgeOrigin`): the sub-chain took the
//!   parent's messages up to the nonce before its `ParentInbox::NextNonce`, as its anchored
//!   block `number` shows, so they leave the parent's outbox (`NothingDelivered` if it took
//!   none; the outbox's `AlreadyAcknowledged` if they left it already). Unlike `receive`, this
//!   deletes what the parent decided, so the parent runtime keeps it root's (see below).
//!
//! Every proof is at most `MaxProofSize` bytes and `MaxProofNodes` trie nodes
//! (`ProofTooLarge`); its weight is benchmarked by size.
//!
//! ## What the proofs rest on
//!
//! On the anchors: the parent believes a sub-chain's state as far as it believes the headers
//! anchored for it. The registry anchors a header only with a GRANDPA justification by more
//! than two thirds of the sub-chain's voters, whose set it follows from the registered genesis,
//! so neither a relayer nor a third of the voters can forge a state or prove a message the
//! sub-chain did not finalize. An approved proposal taken with `receive` is still only opened
//! for the parent's own vote; a dispute waits for a ruling. An acknowledgement deletes what the
//! parent decided, hence its own origin (root in the parent runtime until its governance
//! replaces root).
//!
//! A message the parent cannot open when it is received — the candidate is a member already, a
//! proposal about the same node is open on the parent — is taken with that refusal in its
//! `Received` event; the sub-chain's members propose again if they still want it.
//!
//! The proof checks are in `proofs.rs`, the messages in `messages.rs`; the pallet's
//! `README.md` summarises its calls, storage, events, errors and constants.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(any(test, feature = "try-runtime"))]
mod invariants;
mod messages;
#[cfg(test)]
mod mock;
mod proofs;
#[cfg(test)]
mod tests;
pub mod weights;

pub use dbm_primitives::{
	membership::{Dispute, Message, Proposal},
	proof::{proof_size, RawProof},
	trade::TradeId,
	Balance, BlockNumber as SubchainBlockNumber, SubchainId,
};
pub use pallet::*;
pub use weights::WeightInfo;

use frame_support::{dispatch::DispatchResult, weights::Weight};
use sp_core::H256;
use sp_runtime::DispatchError;

/// A sub-chain's message, with this chain's account ids.
pub type MessageOf<T> = Message<<T as frame_system::Config>::AccountId, Balance>;

/// The sub-chain headers the parent anchored.
pub trait AnchoredState {
	/// The state root of sub-chain `subchain`'s block `number`, if it is anchored and still
	/// kept in full.
	fn state_root(subchain: SubchainId, number: SubchainBlockNumber) -> Option<H256>;
	/// Whether `subchain` is registered.
	fn is_registered(subchain: SubchainId) -> bool;

	/// Anchors a block of `subchain` with `state_root` and returns its number (benchmarks).
	#[cfg(feature = "runtime-benchmarks")]
	fn anchored_for_benchmarks(subchain: SubchainId, state_root: H256) -> SubchainBlockNumber;
}

/// What the sub-chains' decisions do on the parent.
pub trait SubchainDecisions<AccountId> {
	/// Whether the parent may open another proposal now.
	fn has_room() -> bool;
	/// Whether the parent may open another dispute of `subchain` now.
	fn has_dispute_room(subchain: SubchainId) -> bool;
	/// Opens `subchain`'s dispute of its trade `trade` for the parent's ruling.
	fn dispute(
		subchain: SubchainId,
		trade: TradeId,
		dispute: &Dispute<AccountId, Balance>,
	) -> DispatchResult;
	/// The most [`dispute`](Self::dispute) may weigh.
	fn dispute_weight() -> Weight;
	/// The sub-chain `who` is a member of, if any.
	fn subchain_of(who: &AccountId) -> Option<SubchainId>;
	/// Opens `proposal` for the parent's vote, without a deposit.
	fn import(proposal: &Proposal<AccountId>) -> DispatchResult;
	/// The most [`import`](Self::import) may weigh.
	fn import_weight() -> Weight;
	/// Prunes the parent's messages for `subchain` up to nonce `last`: the sub-chain took them.
	/// How many were pruned; an error if they were pruned already or never sent.
	fn acknowledge(subchain: SubchainId, last: u64) -> Result<u32, DispatchError>;
	/// The most [`acknowledge`](Self::acknowledge) may weigh.
	fn acknowledge_weight() -> Weight;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The anchored sub-chain headers (the biller registry).
		type Anchors: AnchoredState;
		/// What the decisions do here.
		type Decisions: SubchainDecisions<Self::AccountId>;
		/// Who may prune the parent's outbox with a proof of delivery.
		type AcknowledgeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The largest proof, in bytes.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;
		/// The most trie nodes in a proof.
		#[pallet::constant]
		type MaxProofNodes: Get<u32>;
		/// Weights of the proof checks, generated by `dbm-node benchmark pallet`.
		type WeightInfo: WeightInfo;
	}

	/// For each sub-chain, the nonce of the next message the parent takes from it.
	#[pallet::storage]
	pub type NextNonce<T: Config> = StorageMap<_, Twox64Concat, SubchainId, u64, ValueQuery>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A sub-chain's message was taken.
		Received {
			/// From which sub-chain.
			subchain: SubchainId,
			/// Its nonce.
			nonce: u64,
			/// The message.
			message: MessageOf<T>,
			/// What opening it for the parent's vote gave.
			result: DispatchResult,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The proof is larger than `MaxProofSize` or has more than `MaxProofNodes` nodes.
		ProofTooLarge,
		/// The sub-chain block is not anchored here, or no longer kept in full, or the sub-chain
		/// is paused (its messages wait until it is resumed).
		UnknownAnchor,
		/// The proof does not match the anchored state root, or lacks nodes for the entry.
		InvalidProof,
		/// The sub-chain's entry does not decode as what it should be.
		UndecodableEntry,
		/// The message of that nonce was taken already.
		AlreadyReceived,
		/// Earlier messages have not been taken yet: send `NextNonce` first.
		NonceGap,
		/// The sub-chain has no message of that nonce for the parent (at that block).
		MessageNotFound,
		/// The parent has no room for the message (`MaxProposals` proposals, or the
		/// sub-chain's most disputes, open): it waits.
		ParentBusy,
		/// A sub-chain may ask to kick or suspend only its own members.
		NotItsMember,
		/// Only an approved proposal or a dispute goes from a sub-chain to the parent.
		NotForTheParent,
		/// The sub-chain has taken none of the parent's messages (at that block).
		NothingDelivered,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Takes `subchain`'s message `nonce`, proven by `proof` against the state of its
		/// anchored block `number`. Errors: `AlreadyReceived`, `NonceGap`, `UnknownAnchor`,
		/// `ProofTooLarge`, `InvalidProof`, `MessageNotFound`, `UndecodableEntry`,
		/// `ParentBusy`. Event: `Received`. Free when taken.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::check_proof(proof_size(proof))
				.saturating_add(T::DbWeight::get().reads_writes(3, 1))
				.saturating_add(T::Decisions::import_weight().max(T::Decisions::dispute_weight()))
		)]
		pub fn receive(
			origin: OriginFor<T>,
			subchain: SubchainId,
			number: SubchainBlockNumber,
			nonce: u64,
			proof: RawProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (message, result) = Self::do_receive(subchain, number, nonce, proof)?;
			Self::deposit_event(Event::Received { subchain, nonce, message, result });
			Ok(Pays::No.into())
		}

		/// Prunes the parent's messages `subchain` took, proven by `proof` against the state of
		/// its anchored block `number`. Origin: `AcknowledgeOrigin`. Errors: `UnknownAnchor`,
		/// `ProofTooLarge`,
		/// `InvalidProof`, `UndecodableEntry`, `NothingDelivered`, and the outbox's
		/// `AlreadyAcknowledged` or `UnknownMessage`. Event: the outbox's `Acknowledged`. Free
		/// when it prunes.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::check_proof(proof_size(proof))
				.saturating_add(T::Decisions::acknowledge_weight())
		)]
		pub fn acknowledge(
			origin: OriginFor<T>,
			subchain: SubchainId,
			number: SubchainBlockNumber,
			proof: RawProof,
		) -> DispatchResultWithPostInfo {
			T::AcknowledgeOrigin::ensure_origin(origin)?;
			Self::do_acknowledge(subchain, number, proof)?;
			Ok(Pays::No.into())
		}
	}
}
