//! Seal equivocations of a sub-chain's block authors: an author that seals two different blocks
//! for one Aura slot is excluded.
//!
//! `report_seal_equivocation` takes the evidence from **any** signed account (it proves
//! itself): two SCALE-encoded sub-chain headers, each on a block the parent anchored (so they
//! are this sub-chain's, and not blocks of another chain where the same key authors), both
//! carrying one Aura slot and both sealed by one sr25519 key, that are different blocks (see
//! [`dbm_primitives::seal`]). Whose key it is,
//! the sub-chain's own state says: the reporter proves `Dbsca::KeyOwner((aura, key))` against
//! the state root of a block the parent anchored (any in the recent window, so a key purged
//! since still counts). That account's member record here is **suspended**, and the sub-chain
//! gets the suspension through the outbox like one the parent's authorities voted, which takes
//! the member out of the sub-chain's active set and opens a round without it (see
//! `pallet-dbsca`), the same as for a GRANDPA equivocation (`equivocations.rs`).
//!
//! The parent keeps the latest slot each member was punished for ([`SealOffences`]): evidence
//! of that slot or an earlier one is refused, so a member restored by vote is not suspended
//! again for what it was already suspended for.

use crate::{pallet::*, *};
use codec::DecodeAll;
use dbm_primitives::{
	proof::{ProofError, RawProof},
	seal::{self, SealError},
	subchain_state, Header,
};
use frame_support::{ensure, pallet_prelude::*};
use sp_core::sr25519;
use sp_runtime::traits::Header as _;

impl<T: Config> Pallet<T> {
	/// Verifies the seal equivocation of `author` (headers `first` and `second`, its owner
	/// proven by `owner` against anchored block `at` of sub-chain `id`) and suspends the
	/// member: what `report_seal_equivocation` does. Returns the member and the slot.
	pub fn do_report_seal_equivocation(
		id: SubchainId,
		at: dbm_primitives::BlockNumber,
		author: &sr25519::Public,
		first: &[u8],
		second: &[u8],
		owner: RawProof,
	) -> Result<(T::AccountId, u64), DispatchError> {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
		let max = T::MaxHeaderLen::get() as usize;
		ensure!(first.len() <= max && second.len() <= max, Error::<T>::HeaderTooLong);
		let decode =
			|bytes: &[u8]| Header::decode_all(&mut &bytes[..]).map_err(|_| Error::<T>::BadHeader);
		let (first, second) = (decode(first)?, decode(second)?);
		// Both are blocks of this sub-chain, each on a block the parent anchored: a key its
		// holder also uses on another chain cannot be framed with that chain's blocks.
		for header in [&first, &second] {
			let on =
				(*header.number()).checked_sub(1).and_then(|number| Self::recorded(id, number));
			ensure!(
				on.is_some_and(|anchor| anchor.hash == *header.parent_hash()),
				Error::<T>::ParentNotAnchored
			);
		}
		let slot = seal::check_equivocation(&first, &second, author).map_err(|e| match e {
			SealError::NoSlot => Error::<T>::NoSlot,
			SealError::NoSeal => Error::<T>::NoSeal,
			SealError::BadSeal => Error::<T>::BadSeal,
			SealError::DifferentSlots => Error::<T>::DifferentSlots,
			SealError::SameBlock => Error::<T>::SameBlock,
		})?;
		let state_root = Self::recorded(id, at).ok_or(Error::<T>::NotAnchoredHeight)?.state_root;
		let key = subchain_state::aura_key_owner_key(author);
		let (nodes, size) = (T::MaxProofNodes::get(), T::MaxProofSize::get());
		let who: T::AccountId = dbm_primitives::proof::read(state_root, owner, &key, nodes, size)
			.map_err(|e| match e {
				ProofError::TooLarge => Error::<T>::ProofTooLarge,
				ProofError::Invalid | ProofError::Undecodable => Error::<T>::InvalidProof,
			})?
			.ok_or(Error::<T>::UnknownKey)?;
		let member = Members::<T>::get(id, &who).ok_or(Error::<T>::NotMember)?;
		ensure!(
			SealOffences::<T>::get(&who).is_none_or(|punished| slot > punished),
			Error::<T>::StaleEquivocation
		);
		ensure!(member.is_active(), Error::<T>::AlreadySuspended);
		Self::suspend_for_misconduct(id, &who, member)?;
		SealOffences::<T>::insert(&who, slot);
		Ok((who, slot))
	}
}
