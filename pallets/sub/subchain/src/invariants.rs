//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Invariants: the id is set and is not the reserved 0; the member count is within
	/// `MaxMembers`; `ActiveMembers` counts exactly the members not suspended.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let id = Id::<T>::get().ok_or("the sub-chain id is not set")?;
		ensure!(id.0 != 0, "the sub-chain id is the reserved 0");
		let (count, active) = Members::<T>::iter_values()
			.fold((0u32, 0u32), |(c, a), m| (c + 1, a + u32::from(m.is_active())));
		ensure!(count == Members::<T>::count(), "the member counter is off");
		ensure!(count <= T::MaxMembers::get(), "more members than MaxMembers");
		ensure!(active == ActiveMembers::<T>::get(), "ActiveMembers is off");
		Ok(())
	}
}
