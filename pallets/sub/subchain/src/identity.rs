//! The sub-chain's id, set in genesis.

use crate::*;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// This sub-chain's id, `None` only on a chain whose genesis did not set it.
	pub fn subchain_id() -> Option<SubchainId> {
		Id::<T>::get()
	}
}

impl<T: Config> Get<SubchainId> for Pallet<T> {
	/// This sub-chain's id; `SubchainId(0)` (reserved, never valid) if genesis set none.
	fn get() -> SubchainId {
		Id::<T>::get().unwrap_or_default()
	}
}
