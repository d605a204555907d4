//! Expiry of offers and trades, and the external grid's purchases.
//!
//! Offers expire at their `expires` block; trades at their `settle_by` block. Both are queued
//! by block and handled at the start of that block, at most `MaxExpiriesPerBlock` entries (and
//! empty blocks scanned) per block; a longer queue carries over to the next blocks, in order.
//!
//! **The external grid.** A demand posted with `grid_fallback` that is not fully taken at its
//! expiry buys its remainder from the grid: the grid price recorded at posting is paid from
//! the escrow to `GridAccount` (the account that settles with the grid operator) and the record
//! says so (`GridSupplied`). If that transfer is impossible the escrow is released instead.

use crate::{pallet::*, *};
use frame_support::{pallet_prelude::*, storage::with_storage_layer};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError};

impl<T: Config> Pallet<T> {
	/// Handles the expiry queue up to block `now`, at most `MaxExpiriesPerBlock` steps (an
	/// entry handled or an empty block passed). Returns (entries handled, blocks passed).
	pub(crate) fn expire_due(now: BlockNumberFor<T>) -> (u32, u32) {
		let budget = T::MaxExpiriesPerBlock::get();
		let (mut handled, mut scanned) = (0u32, 0u32);
		let mut cursor = ExpiryCursor::<T>::get();
		while cursor <= now && handled.saturating_add(scanned) < budget {
			match Expiries::<T>::iter_key_prefix(cursor).next() {
				Some(entry) => {
					Expiries::<T>::remove(cursor, entry);
					match entry {
						Expiry::Offer(id) => Self::expire_offer(id),
						Expiry::Trade(id) => Self::expire_trade(id),
					}
					handled.saturating_inc();
				}
				None => {
					cursor.saturating_inc();
					scanned.saturating_inc();
				}
			}
		}
		ExpiryCursor::<T>::put(cursor);
		(handled, scanned)
	}

	/// Offer `id` reached its expiry: a demand with a grid fallback buys its remainder from the
	/// grid, and what is left of its escrow returns to the owner.
	fn expire_offer(id: OfferId) {
		let Some(offer) = Offers::<T>::get(id) else {
			log::error!(target: LOG_TARGET, "expiry of offer {id}, which is not stored");
			return;
		};
		Self::remove_offer(id, &offer);
		let mut escrow = offer.escrow;
		if let Some(grid_price) = offer.grid_fallback {
			match Self::buy_from_grid(id, &offer, grid_price) {
				Ok(paid) => escrow = escrow.saturating_sub(paid),
				Err(error) => {
					log::warn!(target: LOG_TARGET, "grid purchase for offer {id} failed: {error:?}");
					Self::deposit_event(Event::GridPurchaseFailed { offer: id });
				}
			}
		}
		if let Err(error) = Self::release(&offer.owner, escrow) {
			log::error!(target: LOG_TARGET, "escrow of offer {id} not released: {error:?}");
		}
		Self::deposit_event(Event::OfferExpired {
			offer: id,
			untaken_wh: offer.remaining_wh,
			refunded: escrow,
		});
	}

	/// Buys a demand's remainder from the grid at `grid_price`, paid from its escrow; all or
	/// nothing. Returns what was paid.
	fn buy_from_grid(
		id: OfferId,
		offer: &OfferOf<T>,
		grid_price: Balance,
	) -> Result<Balance, DispatchError> {
		with_storage_layer(|| {
			// The escrow was taken at this price for the whole demand; qed.
			let value =
				payment(grid_price, offer.remaining_wh).unwrap_or(offer.escrow).min(offer.escrow);
			let grid = T::GridAccount::get();
			let trade = Self::take_trade_id();
			Self::push_record(TradeRecord {
				trade,
				outcome: TradeOutcome::GridSupplied,
				buyer: offer.owner.clone(),
				seller: grid.clone(),
				energy_wh: offer.remaining_wh,
				price: grid_price,
				value,
			})?;
			Self::pay_from_escrow(&offer.owner, &grid, value)?;
			Self::deposit_event(Event::GridPurchase {
				offer: id,
				trade,
				buyer: offer.owner.clone(),
				energy_wh: offer.remaining_wh,
				price: grid_price,
				value,
			});
			Ok(value)
		})
	}

	/// Trade `id` reached its `settle_by` block unsettled: the buyer is refunded and the seller's
	/// record counts it undelivered.
	fn expire_trade(id: TradeId) {
		let Some(trade) = Trades::<T>::get(id) else {
			log::error!(target: LOG_TARGET, "expiry of trade {id}, which is not stored");
			return;
		};
		match Self::close_trade(id, &trade, 0, TradeOutcome::Undelivered) {
			Ok(Closed { refunded, .. }) => Self::deposit_event(Event::TradeUndelivered {
				trade: id,
				seller: trade.seller,
				refunded,
			}),
			Err(error) => log::error!(target: LOG_TARGET, "refund of trade {id} failed: {error:?}"),
		}
	}
}
