//! The parent's membership messages for this sub-chain, taken exactly once and in order, and
//! the acknowledgement of this chain's own messages the parent took.

use crate::{pallet::*, *};
use dbm_primitives::parent_state;
use frame_support::{ensure, pallet_prelude::*, storage::with_storage_layer};

impl<T: Config> Pallet<T> {
	/// Takes the parent's message `nonce`, proven against the finalized parent header `at`,
	/// and carries it out in a storage layer of its own: what `deliver` does. Returns the
	/// message and what carrying it out gave.
	pub(crate) fn do_deliver(
		at: H256,
		nonce: u64,
		proof: RawProof,
	) -> Result<(MessageOf<T>, DispatchResult), DispatchError> {
		let id = Self::subchain()?;
		let next = NextNonce::<T>::get();
		ensure!(nonce >= next, Error::<T>::AlreadyDelivered);
		ensure!(nonce == next, Error::<T>::NonceGap);
		let message: MessageOf<T> =
			Self::read(at, proof, &parent_state::outbox_key(Destination::Subchain(id), nonce))?
				.ok_or(Error::<T>::MessageNotFound)?;
		ensure!(T::Decisions::has_room(&message), Error::<T>::SubchainBusy);
		NextNonce::<T>::put(next.saturating_add(1));
		let result = with_storage_layer(|| T::Decisions::apply(&message));
		Ok((message, result))
	}

	/// Prunes this chain's messages the parent took, as the parent's inbound nonce at `at`
	/// shows: what `acknowledge` does.
	pub(crate) fn do_acknowledge(at: H256, proof: RawProof) -> DispatchResult {
		let id = Self::subchain()?;
		let taken: u64 =
			Self::read(at, proof, &parent_state::inbound_nonce_key(id))?.unwrap_or_default();
		let last = taken.checked_sub(1).ok_or(Error::<T>::NothingTaken)?;
		T::Decisions::acknowledge(last)?;
		Ok(())
	}
}
