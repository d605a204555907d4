//! The sub-chains' trade disputes on the parent: opened from a sub-chain's proven message,
//! ruled by `DisputeOrigin`, the ruling sent back through the outbox.
//!
//! A trade party's dispute reaches the parent from the sub-chain's outbox, with a storage proof
//! against an anchored state (the sub-chain inbox calls [`Pallet::open_dispute`]); it waits in
//! [`Disputes`], at most `MaxDisputes` per sub-chain, until `DisputeOrigin` rules how much
//! energy was delivered (`rule_dispute`). The ruling goes back to the sub-chain as a
//! `Message::Ruling` in the outbox, where the sub-chain settles the frozen trade by it.

use crate::{pallet::*, *};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Whether another dispute of `subchain` can be opened now.
	pub fn has_dispute_room(subchain: SubchainId) -> bool {
		DisputeCount::<T>::get(subchain) < T::MaxDisputes::get()
	}

	/// Opens `subchain`'s dispute of its trade `trade` for the parent's ruling.
	///
	/// Errors: `UnknownSubchain`, `NotAParty`, `AlreadyDisputed`, `TooManyDisputes`. Event:
	/// `DisputeOpened`.
	pub fn open_dispute(
		subchain: SubchainId,
		trade: TradeId,
		dispute: &DisputeOf<T>,
	) -> DispatchResult {
		ensure!(Subchains::<T>::contains_key(subchain), Error::<T>::UnknownSubchain);
		ensure!(dispute.by == dispute.buyer || dispute.by == dispute.seller, Error::<T>::NotAParty);
		ensure!(!Disputes::<T>::contains_key(subchain, trade), Error::<T>::AlreadyDisputed);
		ensure!(Self::has_dispute_room(subchain), Error::<T>::TooManyDisputes);
		Disputes::<T>::insert(subchain, trade, dispute);
		DisputeCount::<T>::mutate(subchain, |count| *count = count.saturating_add(1));
		Self::deposit_event(Event::DisputeOpened { subchain, trade, by: dispute.by.clone() });
		Ok(())
	}

	/// Rules that `subchain`'s disputed trade `trade` delivered `delivered_wh`, and sends the
	/// ruling to the sub-chain.
	pub(crate) fn do_rule(
		subchain: SubchainId,
		trade: TradeId,
		delivered_wh: u64,
	) -> DispatchResult {
		let dispute = Disputes::<T>::get(subchain, trade).ok_or(Error::<T>::UnknownDispute)?;
		ensure!(delivered_wh <= dispute.energy_wh, Error::<T>::ExceedsAgreed);
		let nonce = T::Outbox::send(
			Destination::Subchain(subchain),
			Message::Ruling { trade, delivered_wh },
		)?;
		Disputes::<T>::remove(subchain, trade);
		DisputeCount::<T>::mutate_exists(subchain, |count| {
			*count = count.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0)
		});
		Self::deposit_event(Event::DisputeRuled { subchain, trade, delivered_wh, nonce });
		Ok(())
	}

	/// The disputes' invariants: each of a registered sub-chain, by a party of its trade;
	/// `DisputeCount` counts them, at most `MaxDisputes` per sub-chain.
	pub(crate) fn disputes_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut counted = alloc::collections::BTreeMap::<SubchainId, u32>::new();
		for (subchain, _, dispute) in Disputes::<T>::iter() {
			ensure!(Subchains::<T>::contains_key(subchain), "a dispute of an unknown sub-chain");
			ensure!(
				dispute.by == dispute.buyer || dispute.by == dispute.seller,
				"a dispute by a stranger to the trade"
			);
			*counted.entry(subchain).or_default() += 1;
		}
		for (subchain, count) in DisputeCount::<T>::iter() {
			ensure!(counted.remove(&subchain) == Some(count), "DisputeCount is off");
			ensure!(count <= T::MaxDisputes::get(), "too many disputes");
		}
		ensure!(counted.is_empty(), "a sub-chain with disputes DisputeCount does not count");
		Ok(())
	}
}
