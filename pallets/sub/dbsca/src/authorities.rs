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
//!   another change is pending fails (`pallet_grandpa::Error::ChangePending`) and can be
//!   retried a block later.
//!
//! Aura's list may repeat an account (the biller may hold more slots of each rotation than a
//! standby, see `Config::BillerAuraSlots`); GRANDPA's list holds each committee member once,
//! with weight 1.

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
		let aura = order
			.iter()
			.map(|&i| {
				let (_, keys) =
					committee.get(i as usize).ok_or(Error::<T>::AuthoringOrderTooLong)?;
				Ok(keys.aura())
			})
			.collect::<Result<Vec<_>, Error<T>>>()?;
		let aura: BoundedVec<_, <T as pallet_aura::Config>::MaxAuthorities> =
			aura.try_into().map_err(|_| Error::<T>::AuthoringOrderTooLong)?;
		pallet_grandpa::Pallet::<T>::schedule_change(grandpa, 0u32.into(), None)?;
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
