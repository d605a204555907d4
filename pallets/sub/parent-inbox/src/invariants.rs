//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, *};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Invariants: only a sub-chain (a chain with an id) takes the parent's decisions; the
	/// noted start of the parent's set is the light client's, and not after its next header.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		if NextNonce::<T>::get() > 0
			|| LastReelection::<T>::get().is_some()
			|| LastConfirmation::<T>::get().is_some()
		{
			ensure!(
				T::SubchainId::get() != SubchainId::default(),
				"parent decisions taken by a chain without a sub-chain id"
			);
		}
		if let Some((set_id, start)) = ParentSetStart::<T>::get() {
			let client = T::Parent::light_client()
				.ok_or("a parent set noted without a light client of the parent")?;
			ensure!(set_id <= client.set_id, "the noted parent set is ahead of the light client");
			ensure!(
				set_id < client.set_id || start <= client.finalized.1.saturating_add(1),
				"the parent set in force starts after the light client's next header"
			);
		}
		Ok(())
	}
}
