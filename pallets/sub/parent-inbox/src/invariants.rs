//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, *};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Invariants: only a sub-chain (a chain with an id) takes the parent's decisions.
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
		Ok(())
	}
}
