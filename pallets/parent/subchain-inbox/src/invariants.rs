//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, *};
use frame_support::ensure;

impl<T: Config> Pallet<T> {
	/// Invariants: messages are taken only from registered sub-chains, and a sub-chain with
	/// an entry has had at least one taken.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (subchain, next) in NextNonce::<T>::iter() {
			ensure!(
				T::Anchors::is_registered(subchain),
				"messages taken from an unregistered sub-chain"
			);
			ensure!(next > 0, "a sub-chain's entry with no message taken");
		}
		Ok(())
	}
}
