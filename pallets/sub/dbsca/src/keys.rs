//! Consensus keys: what makes a candidate electable.
//!
//! A candidate is **electable** when it is an active member and has registered consensus keys
//! (`set_keys`, with a proof of possession as `author_rotateKeysWithOwner` returns it). No two
//! accounts may register the same key. A node in the open round's committee, or in the
//! election awaiting enactment, keeps its keys until that election is enacted or replaced: the
//! election statement names its GRANDPA key, which the enactment makes a voter.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_runtime::traits::OpaqueKeys;

impl<T: Config> Pallet<T> {
	/// Whether consensus uses, or is about to use, `who`'s keys. A member taken out of the
	/// committee in force still votes until the change that took it out is final, and an
	/// equivocation of that time names it by its keys: the elected committee's keys stay in
	/// use until the next one is enacted.
	pub(crate) fn keys_in_use(who: &T::AccountId) -> bool {
		Committee::<T>::get().contains(who)
			|| LastElection::<T>::get().is_some_and(|e| e.committee.contains(who))
			|| Self::in_election(who)
	}

	pub(crate) fn raw_keys(keys: &T::Keys) -> Result<Vec<KeyOf>, DispatchError> {
		T::Keys::key_ids()
			.iter()
			.map(|id| {
				let raw: RawKey =
					keys.get_raw(*id).to_vec().try_into().map_err(|_| Error::<T>::KeyTooLong)?;
				Ok((id.0, raw))
			})
			.collect()
	}

	pub(crate) fn do_set_keys(who: &T::AccountId, keys: T::Keys, proof: &[u8]) -> DispatchResult {
		T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		// The open round's statement, and the election awaiting enactment, name these keys.
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		ensure!(
			who.using_encoded(|owner| keys.ownership_proof_is_valid(owner, proof)),
			Error::<T>::InvalidProof
		);
		let raw = Self::raw_keys(&keys)?;
		for key in &raw {
			if let Some(owner) = KeyOwner::<T>::get(key) {
				ensure!(&owner == who, Error::<T>::DuplicatedKey);
			}
		}
		Self::remove_keys(who);
		for key in raw {
			KeyOwner::<T>::insert(key, who);
		}
		Keys::<T>::insert(who, keys);
		Ok(())
	}

	pub(crate) fn do_purge_keys(who: &T::AccountId) -> DispatchResult {
		ensure!(Keys::<T>::contains_key(who), Error::<T>::NoKeys);
		ensure!(!Self::keys_in_use(who), Error::<T>::KeysInUse);
		Self::remove_keys(who);
		Ok(())
	}

	pub(crate) fn remove_keys(who: &T::AccountId) {
		if let Some(old) = Keys::<T>::take(who) {
			for id in T::Keys::key_ids() {
				if let Ok(raw) = RawKey::try_from(old.get_raw(*id).to_vec()) {
					KeyOwner::<T>::remove((id.0, raw));
				}
			}
		}
	}
}
