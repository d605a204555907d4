//! The sub-chain's members, as the join / kick flow keeps them.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Admits `who` with `info`: what `add_member` does.
	pub(crate) fn do_add_member(who: &T::AccountId, info: MemberInfo) -> DispatchResult {
		ensure!(!Members::<T>::contains_key(who), Error::<T>::AlreadyMember);
		ensure!(Members::<T>::count() < T::MaxMembers::get(), Error::<T>::TooManyMembers);
		Self::insert_member(who, info);
		if info.is_active() {
			T::OnActiveSetChange::changed(who, true);
		}
		Ok(())
	}

	/// Replaces member `who`'s record, keeping the active set: what `update_member` does.
	pub(crate) fn do_update_member(who: &T::AccountId, info: MemberInfo) -> DispatchResult {
		let old = Members::<T>::get(who).ok_or(Error::<T>::NotMember)?;
		Members::<T>::insert(who, info);
		match (old.is_active(), info.is_active()) {
			(true, false) => {
				ActiveSet::<T>::mutate(|set| *set = set.without(who));
				T::OnActiveSetChange::changed(who, false);
			}
			(false, true) => {
				ActiveSet::<T>::mutate(|set| *set = set.with(who));
				T::OnActiveSetChange::changed(who, true);
			}
			_ => {}
		}
		Ok(())
	}

	/// Removes member `who`: what `remove_member` does.
	pub(crate) fn do_remove_member(who: &T::AccountId) -> DispatchResult {
		let old = Self::take_member(who).ok_or(Error::<T>::NotMember)?;
		if old.is_active() {
			T::OnActiveSetChange::changed(who, false);
		}
		Ok(())
	}

	/// Records `who` as a member with `info`, keeping the active set. Only for genesis,
	/// the calls above and benchmarks of pallets that need members: it checks nothing and
	/// tells nobody.
	pub fn insert_member(who: &T::AccountId, info: MemberInfo) {
		Members::<T>::insert(who, info);
		if info.is_active() {
			ActiveSet::<T>::mutate(|set| *set = set.with(who));
		}
	}

	/// Removes member `who`, keeping the active set, and its meter; its record if it was a
	/// member.
	pub fn take_member(who: &T::AccountId) -> Option<MemberInfo> {
		let old = Members::<T>::take(who)?;
		if let Some(meter) = Meters::<T>::take(who) {
			MeterOwners::<T>::remove(meter.key);
		}
		if old.is_active() {
			ActiveSet::<T>::mutate(|set| *set = set.without(who));
		}
		Some(old)
	}
}

impl<T: Config> MemberRegistry<T::AccountId> for Pallet<T> {
	fn member(who: &T::AccountId) -> Option<MemberInfo> {
		Members::<T>::get(who)
	}

	fn active_members() -> u32 {
		ActiveSet::<T>::get().count
	}

	fn active_set() -> MemberSet {
		ActiveSet::<T>::get()
	}
}
