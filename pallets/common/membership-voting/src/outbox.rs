//! The outbox of decisions for the other layer: messages by destination and nonce, kept until
//! acknowledged.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;

impl<T: Config<I>, I: 'static> Pallet<T, I> {
	/// Puts `message` in the outbox for `destination`, under its next nonce. The caller has
	/// checked there is room.
	pub(crate) fn enqueue(destination: Destination, message: MessageOf<T>) -> u64 {
		let nonce = OutboxNonces::<T, I>::mutate(destination, |(_, next)| {
			let nonce = *next;
			*next = next.saturating_add(1);
			nonce
		});
		Outbox::<T, I>::insert(destination, nonce, message.clone());
		OutboxLen::<T, I>::mutate(|n| *n = n.saturating_add(1));
		Self::deposit_event(Event::MessageQueued { destination, nonce, message });
		nonce
	}

	/// Prunes `destination`'s messages up to `nonce`; how many. What `acknowledge` does,
	/// for a caller that verified the delivery itself.
	pub fn do_acknowledge(destination: Destination, nonce: u64) -> Result<u32, DispatchError> {
		let (first, next) = OutboxNonces::<T, I>::get(destination);
		ensure!(nonce < next, Error::<T, I>::UnknownMessage);
		ensure!(nonce >= first, Error::<T, I>::AlreadyAcknowledged);
		let mut pruned = 0u32;
		for n in first..=nonce {
			if Outbox::<T, I>::take(destination, n).is_some() {
				pruned = pruned.saturating_add(1);
			}
		}
		OutboxNonces::<T, I>::insert(destination, (nonce.saturating_add(1), next));
		OutboxLen::<T, I>::mutate(|n| *n = n.saturating_sub(pruned));
		Self::deposit_event(Event::Acknowledged { destination, nonce, pruned });
		Ok(pruned)
	}

	/// The messages waiting for `destination`, in nonce order, for the runtime API and the
	/// relay.
	pub fn pending_messages(destination: Destination) -> Vec<(u64, MessageOf<T>)> {
		let (first, next) = OutboxNonces::<T, I>::get(destination);
		(first..next).filter_map(|n| Outbox::<T, I>::get(destination, n).map(|m| (n, m))).collect()
	}
}

/// Other pallets of the chain queue their decisions for the other layer here (on the parent,
/// the registry's score weights for a sub-chain).
impl<T: Config<I>, I: 'static> dbm_primitives::membership::Outbox<T::AccountId, Balance>
	for Pallet<T, I>
{
	fn send(
		destination: Destination,
		message: MessageOf<T>,
	) -> Result<u64, sp_runtime::DispatchError> {
		frame_support::ensure!(
			OutboxLen::<T, I>::get() < <T::MaxOutbox as frame_support::traits::Get<u32>>::get(),
			Error::<T, I>::OutboxFull
		);
		Ok(Self::enqueue(destination, message))
	}
}
