//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Invariants: the id is set and is not the reserved 0; the member count is within
	/// `MaxMembers`; `ActiveSet` is exactly the members not suspended; every meter is a
	/// member's, and `MeterOwners` is exactly the reverse of `Meters`.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let id = Id::<T>::get().ok_or("the sub-chain id is not set")?;
		ensure!(id.0 != 0, "the sub-chain id is the reserved 0");
		let members: alloc::vec::Vec<_> = Members::<T>::iter().collect();
		let count = members.len() as u32;
		ensure!(count == Members::<T>::count(), "the member counter is off");
		ensure!(count <= T::MaxMembers::get(), "more members than MaxMembers");
		let active = MemberSet::of(members.iter().filter(|(_, m)| m.is_active()).map(|(a, _)| a));
		ensure!(active == ActiveSet::<T>::get(), "ActiveSet is off");
		let mut meters = 0u32;
		for (who, meter) in Meters::<T>::iter() {
			ensure!(Members::<T>::contains_key(&who), "a meter of a non-member");
			ensure!(MeterOwners::<T>::get(meter.key) == Some(who), "MeterOwners is off");
			meters += 1;
		}
		ensure!(MeterOwners::<T>::iter_keys().count() as u32 == meters, "a stray meter owner");
		Ok(())
	}
}
