//! The sub-chains' messages for the parent, taken exactly once and in order, and the
//! acknowledgement of the parent's messages a sub-chain took.

use crate::{pallet::*, *};
use dbm_primitives::subchain_state;
use frame_support::{ensure, pallet_prelude::*, storage::with_storage_layer};

impl<T: Config> Pallet<T> {
	/// Takes `subchain`'s message `nonce`, proven against its anchored block `number`, and
	/// opens it in a storage layer of its own: what `receive` does. Returns the message and
	/// what opening it gave.
	pub(crate) fn do_receive(
		subchain: SubchainId,
		number: SubchainBlockNumber,
		nonce: u64,
		proof: RawProof,
	) -> Result<(MessageOf<T>, DispatchResult), DispatchError> {
		let next = NextNonce::<T>::get(subchain);
		ensure!(nonce >= next, Error::<T>::AlreadyReceived);
		ensure!(nonce == next, Error::<T>::NonceGap);
		let message: MessageOf<T> =
			Self::read(subchain, number, proof, &subchain_state::outbox_key(nonce))?
				.ok_or(Error::<T>::MessageNotFound)?;
		let room = match &message {
			Message::Dispute { .. } => T::Decisions::has_dispute_room(subchain),
			_ => T::Decisions::has_room(),
		};
		ensure!(room, Error::<T>::ParentBusy);
		NextNonce::<T>::insert(subchain, next.saturating_add(1));
		let result = with_storage_layer(|| Self::take(subchain, &message));
		Ok((message, result))
	}

	/// Opens the sub-chain's approved proposal for the parent's vote, or its dispute for
	/// the parent's ruling.
	pub(crate) fn take(subchain: SubchainId, message: &MessageOf<T>) -> DispatchResult {
		let proposal = match message {
			Message::Approved { proposal } => proposal,
			Message::Dispute { trade, dispute } => {
				return T::Decisions::dispute(subchain, *trade, dispute)
			}
			_ => return Err(Error::<T>::NotForTheParent.into()),
		};
		match proposal {
			Proposal::Join { .. } | Proposal::JoinWithMeter { .. } => {}
			Proposal::Kick { member, .. }
			| Proposal::Suspend { member, .. }
			| Proposal::ReplaceMeter { member, .. } => ensure!(
				T::Decisions::subchain_of(member) == Some(subchain),
				Error::<T>::NotItsMember
			),
		}
		T::Decisions::import(proposal)
	}

	/// Prunes the parent's messages `subchain` took, as its anchored block `number` shows:
	/// what `acknowledge` does.
	pub(crate) fn do_acknowledge(
		subchain: SubchainId,
		number: SubchainBlockNumber,
		proof: RawProof,
	) -> DispatchResult {
		let delivered: u64 =
			Self::read(subchain, number, proof, &subchain_state::delivered_nonce_key())?
				.unwrap_or_default();
		let last = delivered.checked_sub(1).ok_or(Error::<T>::NothingDelivered)?;
		T::Decisions::acknowledge(subchain, last)?;
		Ok(())
	}
}
