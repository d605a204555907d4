//! # Parent inbox: the parent chain's decisions, applied only with proofs
//!
//! A sub-chain acts on what its parent chain decided — a node admitted, kicked or suspended,
//! a biller election confirmed, a new election asked for — without trusting whoever carries
//! the decision. The relay (or anyone) submits a **storage proof**: the trie nodes that show
//! the decision's entry in the parent's state under a parent header this sub-chain already
//! knows to be **finalized** ([`FinalizedParent`]: in the runtime, a GRANDPA light client of
//! the parent, `pallet-bridge-grandpa`, fed with the parent's finality proofs). The pallet
//! recomputes the parent's state root from the proof; a forged entry, a header the light
//! client has not finalized, or an incomplete proof fails before anything changes.
//!
//! ## Calls (signed by anyone; free when they carry something new)
//!
//! * `deliver(at, nonce, proof)`: the parent's membership message `nonce` for this sub-chain
//!   (`MembershipVoting::Outbox(Subchain(id), nonce)` on the parent: `Admit`, `Remove`,
//!   `Suspend`, and the registry's `SetWeights`, `SetPrices`, `SetCommitteeSize`,
//!   `AuthorizeUpgrade` and dispute `Ruling`). Messages are taken
//!   **exactly once and in order**: `nonce` must be [`NextNonce`]; an earlier one fails with
//!   `AlreadyDelivered`, a later one with `NonceGap`. A delivered message counts as delivered
//!   even if carrying it out fails here (e.g. the endowment account is empty): the outcome is
//!   in the `Delivered` event, so one bad message never blocks the ones after it. The one
//!   exception is a message the sub-chain cannot carry out in this block
//!   ([`ParentDecisions::has_room`], e.g. a ruling while the block's trade batch is full): the
//!   call fails with `SubchainBusy` and the message waits for a later block.
//! * `enact_election(at, proof)`: the election the parent confirmed for this sub-chain
//!   (`BillerRegistry::Elections(id)`) takes effect, if it was confirmed after the last one
//!   taken here and its round is newer than the one in force (`AlreadyEnacted` otherwise).
//!   Like a message, a confirmation is taken once even if enacting it fails here (e.g. the
//!   sub-chain opened a newer round meanwhile): the outcome is in the event.
//! * `request_election(at, proof)`: the parent's pending request for a new election
//!   (`BillerRegistry::Reelections(id)`) opens a round here, once per request
//!   (`AlreadyRequested` for the same or an older request). A request older than the last
//!   confirmed election taken here was withdrawn by that confirmation (the parent deletes it
//!   then), so an old parent header that still shows it proves nothing (`RequestWithdrawn`).
//!
//! * `acknowledge(at, proof)`: the parent took this sub-chain's messages up to the nonce
//!   before `SubchainInbox::NextNonce(id)` on the parent (`NothingTaken` if it took none), so
//!   they leave this chain's outbox (the membership pallet's `AlreadyAcknowledged` if they
//!   left it already).
//!
//! * `follow_parent_forced_change(headers, justification)`: the light client follows a
//!   **forced change** of the parent's voter set (the parent's finality-recovery pallet forces
//!   one when a third or more of its voters are gone). The old set never finalizes it, so the
//!   light client's own import refuses it and no justification of the old set follows; this
//!   call takes the parent headers from the light client's last finalized block through the
//!   one that forced the change to a header the new set justified, and puts the new set in
//!   force if [`dbm_primitives::finality::follow`] accepts them: linked, one forced change to
//!   a part of the set in force whose justifications must hold an honest voter of it, nothing
//!   finalized skipped, enacted, justified by the new set. At most `MaxForcedHeaders` headers.
//!   Without it, a sub-chain (which has no sudo key) would stop taking its parent's decisions
//!   for good after the parent recovered its finality.
//!
//! Every proof is at most `MaxProofSize` bytes and `MaxProofNodes` trie nodes
//! (`ProofTooLarge`); its weight is benchmarked by size. What a decision does on this chain
//! is the runtime's [`ParentDecisions`], carried out in a storage layer of its own: a
//! decision that fails leaves nothing half-done.
//!
//! ## If the parent stalls
//!
//! Nothing here times out: a sub-chain keeps producing, finalizing and trading with the
//! members and committee it has; the parent's decisions wait in the parent's outbox and
//! registry and are applied, in order, once its finality moves again.
//!
//! The proof checks are in `proofs.rs`, the messages in `messages.rs`, the elections in
//! `elections.rs`; the pallet's `README.md` summarises its calls, storage, events, errors and
//! constants.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod elections;
mod forced;
#[cfg(any(test, feature = "try-runtime"))]
mod invariants;
mod messages;
#[cfg(test)]
mod mock;
mod proofs;
#[cfg(test)]
mod tests;
pub mod weights;

/// A GRANDPA justification of a parent header, as the light client's own calls take it (the
/// same encoding as the node's).
pub type ParentJustification = bp_header_chain::justification::GrandpaJustification<ParentHeader>;

pub use dbm_primitives::{
	finality::{AuthorityList, Justification, SetId},
	membership::{Destination, Message},
	proof::{proof_size, RawProof},
	registry::{ConfirmedElection, Reelection},
	Balance, BlockNumber as ParentBlockNumber, Header as ParentHeader, SubchainId,
};
pub use pallet::*;
pub use weights::WeightInfo;

use frame_support::{dispatch::DispatchResult, weights::Weight};
use sp_core::H256;
use sp_runtime::DispatchError;

/// The parent's message for a sub-chain, with this chain's account ids.
pub type MessageOf<T> = Message<<T as frame_system::Config>::AccountId, Balance>;
/// The parent's confirmed election.
pub type ElectionOf<T> =
	ConfirmedElection<<T as frame_system::Config>::AccountId, ParentBlockNumber>;

/// What the light client of the parent holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LightClientState {
	/// The parent's voter set id in force.
	pub set_id: SetId,
	/// Its voters.
	pub voters: AuthorityList,
	/// The hash and number of the last parent header finalized.
	pub finalized: (H256, ParentBlockNumber),
}

/// The parent headers this chain knows to be finalized.
pub trait FinalizedParent {
	/// The state root of the finalized parent header `hash`, or `None` if it is unknown (not
	/// imported, or pruned).
	fn state_root(hash: &H256) -> Option<H256>;

	/// The light client's set in force and last finalized header; `None` until it is
	/// initialized.
	fn light_client() -> Option<LightClientState>;

	/// Makes the light client follow a forced change: set `set_id` of `voters` in force, and
	/// `best` its last finalized header.
	fn follow(set_id: SetId, voters: AuthorityList, best: ParentHeader) -> DispatchResult;

	/// The most [`follow`](Self::follow) may weigh.
	fn follow_weight() -> Weight;

	/// Makes a header with `state_root` known as finalized and returns its hash (benchmarks).
	#[cfg(feature = "runtime-benchmarks")]
	fn finalized_for_benchmarks(state_root: H256) -> H256;
}

/// What the parent's decisions do on this chain.
pub trait ParentDecisions<AccountId> {
	/// Whether `message` can be carried out in this block; if not, it waits (`SubchainBusy`)
	/// rather than being taken with a refusal (say, a ruling while the block's trade batch is
	/// full).
	fn has_room(message: &Message<AccountId, Balance>) -> bool;
	/// Carries out a membership message.
	fn apply(message: &Message<AccountId, Balance>) -> DispatchResult;
	/// The most [`apply`](Self::apply) may weigh.
	fn apply_weight() -> Weight;
	/// The round of the election in force here (`None` if none).
	fn enacted_round() -> Option<u32>;
	/// Puts the parent's confirmed election in force.
	fn enact(election: &ConfirmedElection<AccountId, ParentBlockNumber>) -> DispatchResult;
	/// The most [`enact`](Self::enact) may weigh.
	fn enact_weight() -> Weight;
	/// Opens a round, leaving `excluded` out.
	fn reelect(excluded: Option<AccountId>) -> DispatchResult;
	/// The most [`reelect`](Self::reelect) may weigh.
	fn reelect_weight() -> Weight;
	/// Prunes this chain's messages for the parent up to nonce `last`: the parent took them.
	/// How many were pruned; an error if they were pruned already or never sent.
	fn acknowledge(last: u64) -> Result<u32, DispatchError>;
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
		/// This sub-chain's id: which of the parent's entries are this chain's.
		type SubchainId: Get<SubchainId>;
		/// The parent headers known to be finalized (the GRANDPA light client).
		type Parent: FinalizedParent;
		/// What the decisions do here.
		type Decisions: ParentDecisions<Self::AccountId>;
		/// The largest proof, in bytes.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;
		/// The most trie nodes in a proof (a proof of one entry of the parent's state holds
		/// one node per level of the trie).
		#[pallet::constant]
		type MaxProofNodes: Get<u32>;
		/// The most parent headers a forced change is followed through (and the most ancestry
		/// headers its justification may hold).
		#[pallet::constant]
		type MaxForcedHeaders: Get<u32>;
		/// The most voters the parent has (a justification holds at most two votes of each).
		#[pallet::constant]
		type MaxParentVoters: Get<u32>;
		/// Weights of the proof checks, generated by `dbm-node benchmark pallet`.
		type WeightInfo: WeightInfo;
	}

	/// The nonce of the parent's next membership message for this sub-chain.
	#[pallet::storage]
	pub type NextNonce<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// The parent block of the last re-election request acted on.
	#[pallet::storage]
	pub type LastReelection<T: Config> = StorageValue<_, ParentBlockNumber, OptionQuery>;

	/// The parent block that confirmed the last election taken here (enacted or refused).
	#[pallet::storage]
	pub type LastConfirmation<T: Config> = StorageValue<_, ParentBlockNumber, OptionQuery>;

	/// The parent's voter set id in force in the light client and the lowest parent block that
	/// set may have forced a change in (the block after the change that put it in force, or
	/// a later one: the light client's last finalized block plus one when this pallet first
	/// saw the set). `None` before the light client changed sets: the parent's first set,
	/// from block 1.
	#[pallet::storage]
	pub type ParentSetStart<T: Config> = StorageValue<_, (SetId, ParentBlockNumber), OptionQuery>;

	/// Events.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The parent's message `nonce` was delivered.
		Delivered {
			/// Its nonce.
			nonce: u64,
			/// The message.
			message: MessageOf<T>,
			/// What carrying it out gave.
			result: DispatchResult,
		},
		/// The parent's confirmed election is in force.
		ElectionEnacted {
			/// The election's round.
			round: u32,
		},
		/// The parent's confirmed election was taken but could not be put in force here.
		ElectionNotEnacted {
			/// The election's round.
			round: u32,
			/// Why.
			error: DispatchError,
		},
		/// The light client follows the parent's forced change of its voter set.
		ParentSetForced {
			/// The set id now in force.
			set_id: SetId,
			/// The parent block that forced the change.
			signal: ParentBlockNumber,
			/// The parent block the change took as the last finalized.
			median: ParentBlockNumber,
			/// The parent header now the last finalized, justified by the new set.
			finalized: H256,
			/// Its number.
			number: ParentBlockNumber,
		},
		/// The parent's request for a new election was acted on.
		ElectionRequested {
			/// The parent block that asked.
			requested_at: ParentBlockNumber,
			/// The node the round leaves out.
			excluded: Option<T::AccountId>,
			/// What opening the round gave.
			result: DispatchResult,
		},
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// The chain has no sub-chain id, so no parent entry is its own.
		NoSubchainId,
		/// The proof is larger than `MaxProofSize` or has more than `MaxProofNodes` nodes.
		ProofTooLarge,
		/// The parent header is not one the light client finalized (or it was pruned).
		UnknownParentHeader,
		/// The proof does not match the header's state root, or lacks nodes for the entry.
		InvalidProof,
		/// The parent's entry does not decode as what it should be.
		UndecodableEntry,
		/// The message of that nonce was delivered already.
		AlreadyDelivered,
		/// Earlier messages have not been delivered yet: deliver `NextNonce` first.
		NonceGap,
		/// The parent has no message of that nonce for this sub-chain (at that header).
		MessageNotFound,
		/// The message cannot be carried out in this block (say, a ruling while the block's
		/// trade batch is full): it waits for a later one.
		SubchainBusy,
		/// The parent has confirmed no election of this sub-chain (at that header).
		NoConfirmedElection,
		/// The confirmed election's round is already in force, or an earlier one.
		AlreadyEnacted,
		/// The parent asks for no election of this sub-chain (at that header).
		NoReelectionRequested,
		/// That request, or a later one, was acted on already.
		AlreadyRequested,
		/// The parent has taken no message of this sub-chain (at that header).
		NothingTaken,
		/// The request is older than the last confirmed election taken here, which withdrew it.
		RequestWithdrawn,
		/// The light client of the parent is not initialized.
		LightClientNotInitialized,
		/// The justification holds more votes (two per parent voter) or ancestry headers
		/// (`MaxForcedHeaders`) than it may.
		JustificationTooLarge,
		/// No parent headers were given.
		NoHeaders,
		/// The headers start below the first block of the parent's set in force.
		BeforeSetStart,
		/// The headers do not link to the light client's last finalized header, or not to each
		/// other.
		HeadersNotLinked,
		/// A header's GRANDPA digest is a pause, a resumption, a delayed standard change, or
		/// does not decode.
		UnfollowableChange,
		/// No header forces a change of the parent's voters.
		NoForcedChange,
		/// More than one header forces a change.
		TwoForcedChanges,
		/// A standard change below the forced one that the old set may have finalized: the
		/// light client must import it first.
		FinalizedChangeSkipped,
		/// The last header is before the forced change is in force, or a header between them
		/// changes the set.
		ForcedChangeNotEnacted,
		/// The forced set is not a part of the set in force (the same keys with the same
		/// weights, not all of them).
		ForcedSetNotPartOfTheSet,
		/// The forced set's justifications need not hold an honest voter of the set in force.
		ForcedSetTooWeak,
		/// The justification is not the forced set's, for the last header.
		InvalidJustification,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			if Self::note_set_start() {
				T::WeightInfo::on_initialize_new_set()
			} else {
				T::WeightInfo::on_initialize_same_set()
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Delivers the parent's membership message `nonce`, proven by `proof` against the
		/// finalized parent header `at`. Errors: `NoSubchainId`, `AlreadyDelivered`,
		/// `NonceGap`, `ProofTooLarge`, `UnknownParentHeader`, `InvalidProof`,
		/// `MessageNotFound`, `UndecodableEntry`, `SubchainBusy`. Event: `Delivered`. Free when
		/// delivered.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::check_proof(proof_size(proof))
				// The nonce, the light client's header, and what `has_room` reads.
				.saturating_add(T::DbWeight::get().reads_writes(3, 1))
				.saturating_add(T::Decisions::apply_weight())
		)]
		pub fn deliver(
			origin: OriginFor<T>,
			at: H256,
			nonce: u64,
			proof: RawProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (message, result) = Self::do_deliver(at, nonce, proof)?;
			Self::deposit_event(Event::Delivered { nonce, message, result });
			Ok(Pays::No.into())
		}

		/// Puts in force the election the parent confirmed for this sub-chain, proven by
		/// `proof` against the finalized parent header `at`. Errors: `NoSubchainId`,
		/// `ProofTooLarge`, `UnknownParentHeader`, `InvalidProof`, `NoConfirmedElection`,
		/// `UndecodableEntry`, `AlreadyEnacted`. Event: `ElectionEnacted`, or
		/// `ElectionNotEnacted` with the election's own refusal (the confirmation is taken
		/// either way). Free when taken.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::check_proof(proof_size(proof))
				.saturating_add(T::DbWeight::get().reads_writes(3, 1))
				.saturating_add(T::Decisions::enact_weight())
		)]
		pub fn enact_election(
			origin: OriginFor<T>,
			at: H256,
			proof: RawProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (round, result) = Self::do_enact_election(at, proof)?;
			match result {
				Ok(()) => Self::deposit_event(Event::ElectionEnacted { round }),
				Err(error) => Self::deposit_event(Event::ElectionNotEnacted { round, error }),
			}
			Ok(Pays::No.into())
		}

		/// Opens the round the parent asks for, proven by `proof` against the finalized parent
		/// header `at`. Errors: `NoSubchainId`, `ProofTooLarge`, `UnknownParentHeader`,
		/// `InvalidProof`, `NoReelectionRequested`, `UndecodableEntry`, `AlreadyRequested`,
		/// `RequestWithdrawn`. Event: `ElectionRequested`, with what opening the round gave
		/// (the request is acted on either way). Free when acted on.
		#[pallet::call_index(2)]
		#[pallet::weight(
			T::WeightInfo::check_proof(proof_size(proof))
				.saturating_add(T::DbWeight::get().reads_writes(3, 1))
				.saturating_add(T::Decisions::reelect_weight())
		)]
		pub fn request_election(
			origin: OriginFor<T>,
			at: H256,
			proof: RawProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (request, result) = Self::do_request_election(at, proof)?;
			Self::deposit_event(Event::ElectionRequested {
				requested_at: request.requested_at,
				excluded: request.excluded,
				result,
			});
			Ok(Pays::No.into())
		}

		/// Prunes this sub-chain's messages the parent took, proven by `proof` against the
		/// finalized parent header `at`. Errors: `NoSubchainId`, `ProofTooLarge`,
		/// `UnknownParentHeader`, `InvalidProof`, `UndecodableEntry`, `NothingTaken`, and the
		/// outbox's `AlreadyAcknowledged` or `UnknownMessage`. Event: the outbox's
		/// `Acknowledged`. Free when it prunes.
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::check_proof(proof_size(proof))
				.saturating_add(T::Decisions::acknowledge_weight())
		)]
		pub fn acknowledge(
			origin: OriginFor<T>,
			at: H256,
			proof: RawProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_acknowledge(at, proof)?;
			Ok(Pays::No.into())
		}

		/// Makes the light client follow the parent's forced change of its voter set:
		/// `headers` run from the light client's last finalized header (or its successor)
		/// through the one that forces the change to the last, which `justification` shows
		/// the new set finalized. Errors: `LightClientNotInitialized`, `JustificationTooLarge`,
		/// `NoHeaders`, `BeforeSetStart`, `HeadersNotLinked`, `UnfollowableChange`,
		/// `NoForcedChange`, `TwoForcedChanges`, `FinalizedChangeSkipped`,
		/// `ForcedChangeNotEnacted`, `ForcedSetNotPartOfTheSet`, `ForcedSetTooWeak`,
		/// `InvalidJustification`. Event: `ParentSetForced`. Free when followed.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::follow_parent_forced_change(
				(headers.len() as u32).saturating_add(justification.votes_ancestries.len() as u32),
				justification.commit.precommits.len() as u32,
			)
			.saturating_add(T::Parent::follow_weight())
		)]
		pub fn follow_parent_forced_change(
			origin: OriginFor<T>,
			headers: BoundedVec<ParentHeader, T::MaxForcedHeaders>,
			justification: ParentJustification,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_follow_forced_change(headers.into_inner(), justification)?;
			Ok(Pays::No.into())
		}
	}
}
