//! The sub-chains' members.
//!
//! Each node belongs to at most one sub-chain, with its role, the attributes its join vote
//! attested and its suspension state. The parent's membership vote changes them through the
//! registry's [`DecisionHandler`](dbm_primitives::membership::DecisionHandler) (a join is
//! assigned to a sub-chain by location area, then load: see the `decisions` module), and
//! `MembershipOrigin` directly (`add_member`, `update_member`, `remove_member`).

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Adds `who` to sub-chain `id`.
	pub fn do_add_member(id: SubchainId, who: &T::AccountId, info: MemberInfo) -> DispatchResult {
		ensure!(Subchains::<T>::contains_key(id), Error::<T>::UnknownSubchain);
		ensure!(!MemberOf::<T>::contains_key(who), Error::<T>::AlreadyMember);
		let (all, active) = MemberCount::<T>::get(id);
		ensure!(all < T::MaxMembers::get(), Error::<T>::TooManyMembers);
		Members::<T>::insert(id, who, info);
		MemberOf::<T>::insert(who, id);
		Self::authorities_may_have_changed();
		MemberCount::<T>::insert(id, (all + 1, active + u32::from(info.is_active())));
		if info.is_active() {
			ActiveSets::<T>::mutate(id, |set| *set = set.with(who));
		}
		Ok(())
	}

	/// Adds `who` to sub-chain `id`, which must be active: what `add_member` does.
	pub(crate) fn do_add_member_to_active(
		id: SubchainId,
		who: &T::AccountId,
		info: MemberInfo,
	) -> DispatchResult {
		let status = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?.status;
		ensure!(status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		Self::do_add_member(id, who, info)
	}

	/// Replaces member `who`'s record; returns its sub-chain.
	pub fn do_update_member(who: &T::AccountId, info: MemberInfo) -> Result<SubchainId, Error<T>> {
		let id = MemberOf::<T>::get(who).ok_or(Error::<T>::NotMember)?;
		let old = Members::<T>::get(id, who).ok_or(Error::<T>::NotMember)?;
		Members::<T>::insert(id, who, info);
		Self::authorities_may_have_changed();
		MemberCount::<T>::mutate(id, |(_, active)| {
			*active = active
				.saturating_sub(u32::from(old.is_active()))
				.saturating_add(u32::from(info.is_active()));
		});
		match (old.is_active(), info.is_active()) {
			(true, false) => ActiveSets::<T>::mutate(id, |set| *set = set.without(who)),
			(false, true) => ActiveSets::<T>::mutate(id, |set| *set = set.with(who)),
			_ => {}
		}
		Ok(id)
	}

	/// Removes member `who`; returns its sub-chain.
	pub fn do_remove_member(who: &T::AccountId) -> Result<SubchainId, Error<T>> {
		let id = MemberOf::<T>::take(who).ok_or(Error::<T>::NotMember)?;
		let old = Members::<T>::take(id, who).ok_or(Error::<T>::NotMember)?;
		SealOffences::<T>::remove(who);
		Self::authorities_may_have_changed();
		// A former member has no use for parent keys, unless it is an operator.
		if !Operators::<T>::get().contains(who) {
			if let Some(keys) = ParentKeys::<T>::take(who) {
				for key in Self::key_ids(&keys) {
					KeyOwner::<T>::remove(key);
				}
			}
		}
		MemberCount::<T>::mutate(id, |(all, active)| {
			*all = all.saturating_sub(1);
			*active = active.saturating_sub(u32::from(old.is_active()));
		});
		if old.is_active() {
			ActiveSets::<T>::mutate(id, |set| *set = set.without(who));
		}
		Ok(id)
	}

	/// `who` as an active member of sub-chain `id`.
	pub(crate) fn is_active_member(id: SubchainId, who: &T::AccountId) -> bool {
		Members::<T>::get(id, who).is_some_and(|m| m.is_active())
	}

	/// The members of sub-chain `id`.
	pub fn members(id: SubchainId) -> Vec<(T::AccountId, MemberInfo)> {
		Members::<T>::iter_prefix(id).collect()
	}
}

impl<T: Config> MemberRegistry<T::AccountId> for Pallet<T> {
	fn member(who: &T::AccountId) -> Option<MemberInfo> {
		MemberOf::<T>::get(who).and_then(|id| Members::<T>::get(id, who))
	}

	fn active_members() -> u32 {
		MemberCount::<T>::iter_values().map(|(_, active)| active).sum()
	}

	/// The active members of every sub-chain together.
	fn active_set() -> MemberSet {
		ActiveSets::<T>::iter_values().fold(MemberSet::default(), MemberSet::union)
	}
}
