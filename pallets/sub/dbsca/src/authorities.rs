//! How the elected committee becomes the chain's block authors and finality voters.
//!
//! The pallet does not drive consensus itself: it hands the committee to a
//! [`CommitteeHandler`] and reads the current slot's author through a [`SlotAuthor`]. The
//! sub-chain runtime uses [`AuraGrandpa`] for both.
//!
//! # Timing of [`AuraGrandpa`]
//!
//! When a committee is enacted in block `N`:
//!
//! * **Aura** authorities change at once (`pallet_aura::Pallet::change_authorities`): block
//!   `N + 1` is authored, and verified by every importing node, against the new list. The
//!   node's Aura verifier takes the expected author of a slot from the runtime state of the
//!   parent block, so from `N + 1` on a block sealed by a key outside the committee fails
//!   import.
//! * **GRANDPA** gets a standard change with no delay
//!   (`pallet_grandpa::Pallet::schedule_change(.., 0, None)`): the new voters take over once
//!   block `N` is finalized, by the outgoing voters. With four or more voters one dead voter
//!   does not stop that; GRANDPA allows one pending change at a time, so an enactment while
//!   another change is pending fails (`pallet_grandpa::Error::ChangePending`). A take-out (below)
//!   is made at the start of a block, so an enactment delivered in the same block as a
//!   suspension comes first; in a later block the round the suspension opened has replaced
//!   the election awaiting enactment anyway.
//!
//! Aura's list may repeat an account (the biller may hold more slots of each rotation than a
//! standby, see `Config::BillerAuraSlots`); GRANDPA's list holds each committee member once,
//! with weight 1.
//!
//! # A member taken out ([`CommitteeHandler::remove`])
//!
//! When a member of the committee in force leaves the active set (the parent suspended or
//! kicked it), its keys leave consensus at the start of the next block in which no change is
//! pending ([`CommitteeHandler::busy`]), the same way: its slots leave Aura's list at once, and
//! GRANDPA gets a standard change with no delay to the voters in force without its key (the
//! others in their order, with their weights), which the voters in force finalize before the
//! smaller set votes. The keys are the ones in force (the Aura list as it is, the GRANDPA key
//! its election named), not keys it registered since. The parent follows such a change without
//! an election: it hands finality to no key that was not voting. It is not made when the key
//! is not a voter in force (a forced change left it out) or when it is the last one; the round
//! that replaces the committee then takes it out.

use crate::{Config, Error};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{traits::Get, BoundedVec};
use sp_runtime::DispatchResult;

/// Consensus keys that hold a GRANDPA key: what an election statement names of each
/// committee member, its voter key once the committee is enacted.
pub trait FinalityKey {
	/// The GRANDPA (finality) key.
	fn grandpa(&self) -> sp_consensus_grandpa::AuthorityId;
}

/// Consensus keys that hold an Aura key and a GRANDPA key: the runtime's session keys.
pub trait ConsensusKeys<AuraId>: FinalityKey {
	/// The Aura (block production) key.
	fn aura(&self) -> AuraId;
}

/// Puts an elected committee in charge of consensus.
pub trait CommitteeHandler<AccountId, Keys> {
	/// The longest authoring order the consensus accepts.
	fn max_authorities() -> u32;

	/// Makes `committee` (accounts with their keys, the biller first) the authorities, with
	/// the slots of each rotation going to `committee[order[0]]`, `committee[order[1]]`, ...
	fn apply(committee: &[(AccountId, Keys)], order: &[u32]) -> DispatchResult;

	/// Whether the authorities cannot change in this block (a change is pending).
	fn busy() -> bool;

	/// Takes the member at position `index` of the committee in force out of the authorities
	/// at once: its slots (the positions of the authors list where `order`, the authoring
	/// order in force, names `index`) leave the block authors, and its finality key `voter`
	/// the voters in force. Changes nothing when it fails.
	fn remove(
		voter: &sp_consensus_grandpa::AuthorityId,
		order: &[u32],
		index: u32,
	) -> DispatchResult;
}

/// Tells which slot the current block is for and which position of the authoring order
/// authored it.
pub trait SlotAuthor {
	/// `(slot, position in the authoring order)` of the block being built, or `None` when
	/// unknown (no slot digest, no authorities).
	fn current() -> Option<(u64, u32)>;
}

/// A committee handler that does nothing: for chains (and tests) that keep consensus apart.
impl<AccountId, Keys> CommitteeHandler<AccountId, Keys> for () {
	fn max_authorities() -> u32 {
		u32::MAX
	}

	fn apply(_: &[(AccountId, Keys)], _: &[u32]) -> DispatchResult {
		Ok(())
	}

	fn busy() -> bool {
		false
	}

	fn remove(_: &sp_consensus_grandpa::AuthorityId, _: &[u32], _: u32) -> DispatchResult {
		Ok(())
	}
}

/// No slot information: silence detection is off.
impl SlotAuthor for () {
	fn current() -> Option<(u64, u32)> {
		None
	}
}

/// Drives `pallet_aura` and `pallet_grandpa` (see the module docs for the timing).
pub struct AuraGrandpa<T>(PhantomData<T>);

impl<T> CommitteeHandler<T::AccountId, T::Keys> for AuraGrandpa<T>
where
	T: Config + pallet_aura::Config + pallet_grandpa::Config,
	T::Keys: ConsensusKeys<<T as pallet_aura::Config>::AuthorityId>,
{
	fn max_authorities() -> u32 {
		<T as pallet_aura::Config>::MaxAuthorities::get()
			.min(<T as pallet_grandpa::Config>::MaxAuthorities::get())
	}

	fn apply(committee: &[(T::AccountId, T::Keys)], order: &[u32]) -> DispatchResult {
		let grandpa = committee.iter().map(|(_, keys)| (keys.grandpa(), 1)).collect::<Vec<_>>();
		let aura = Self::authors(committee, order)?;
		Self::change(grandpa, aura)
	}

	fn busy() -> bool {
		pallet_grandpa::PendingChange::<T>::exists()
	}

	fn remove(
		voter: &sp_consensus_grandpa::AuthorityId,
		order: &[u32],
		index: u32,
	) -> DispatchResult {
		let mut voters = pallet_grandpa::Authorities::<T>::get().into_inner();
		let before = voters.len();
		voters.retain(|(key, _)| key != voter);
		frame_support::ensure!(voters.len() < before, Error::<T>::NotAVoter);
		frame_support::ensure!(!voters.is_empty(), Error::<T>::LastVoter);
		let authors = pallet_aura::Authorities::<T>::get().into_inner();
		frame_support::ensure!(authors.len() == order.len(), Error::<T>::AuthorsMismatch);
		let authors: Vec<_> = authors
			.into_iter()
			.zip(order)
			.filter_map(|(author, &i)| (i != index).then_some(author))
			.collect();
		frame_support::ensure!(!authors.is_empty(), Error::<T>::LastVoter);
		Self::change(voters, BoundedVec::truncate_from(authors))
	}
}

impl<T> AuraGrandpa<T>
where
	T: Config + pallet_aura::Config + pallet_grandpa::Config,
	T::Keys: ConsensusKeys<<T as pallet_aura::Config>::AuthorityId>,
{
	/// The Aura list: `committee[order[0]]`'s key, `committee[order[1]]`'s, ...
	fn authors(
		committee: &[(T::AccountId, T::Keys)],
		order: &[u32],
	) -> Result<
		BoundedVec<
			<T as pallet_aura::Config>::AuthorityId,
			<T as pallet_aura::Config>::MaxAuthorities,
		>,
		Error<T>,
	> {
		let aura = order
			.iter()
			.map(|&i| {
				let (_, keys) =
					committee.get(i as usize).ok_or(Error::<T>::AuthoringOrderTooLong)?;
				Ok(keys.aura())
			})
			.collect::<Result<Vec<_>, Error<T>>>()?;
		aura.try_into().map_err(|_| Error::<T>::AuthoringOrderTooLong)
	}

	/// GRANDPA's standard change with no delay to `voters`, and Aura's authors `aura` at once.
	fn change(
		voters: sp_consensus_grandpa::AuthorityList,
		aura: BoundedVec<
			<T as pallet_aura::Config>::AuthorityId,
			<T as pallet_aura::Config>::MaxAuthorities,
		>,
	) -> DispatchResult {
		pallet_grandpa::Pallet::<T>::schedule_change(voters, 0u32.into(), None)?;
		// As a session change would: the set id the runtime reports follows the nodes'.
		pallet_grandpa::CurrentSetId::<T>::mutate(|id| *id = id.saturating_add(1));
		pallet_aura::Pallet::<T>::change_authorities(aura);
		Ok(())
	}
}

/// The current Aura slot and its author's position in the authority list.
pub struct AuraSlotAuthor<T>(PhantomData<T>);

impl<T: pallet_aura::Config> SlotAuthor for AuraSlotAuthor<T> {
	fn current() -> Option<(u64, u32)> {
		let slot = pallet_aura::CurrentSlot::<T>::get();
		let position = pallet_aura::Pallet::<T>::slot_author_index(slot)?;
		Some((*slot, position))
	}
}
