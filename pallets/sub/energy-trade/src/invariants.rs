//! The market's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, *};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// The pallet's invariants:
	///
	/// * the price bounds are consistent;
	/// * every open offer has energy left (at most what was posted), an id below
	///   `NextOfferId`, a place in its owner's list and a queue entry at its expiry; every
	///   owner list holds only the owner's open offers, no list is empty;
	/// * a demand's escrow covers its remaining energy at its price (the grid price with a
	///   fallback); a supply holds no escrow; `OpenSupply` / `OpenDemand` are the sums of the
	///   remaining energy;
	/// * every open trade has an id below `NextTradeId`, an escrow equal to its value, and a
	///   queue entry at `settle_by` unless it is disputed;
	/// * every queue entry is at or after the cursor and points at an offer or trade due then;
	/// * each account's escrow hold equals its demands' escrow plus its trades' (as buyer);
	/// * no reading has more taken from it than it measured, and none is for an interval
	///   before the prune cursor or not yet over;
	/// * every booking has energy and a window a trade can have, and no two of a member's
	///   have the same window and direction.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		ensure!(
			Self::valid_bounds(FeedInTariff::<T>::get(), GridPrice::<T>::get()),
			"the feed-in tariff is above the grid price"
		);
		let mut held = BTreeMap::<T::AccountId, Balance>::new();
		let (mut supply, mut demand) = (0u128, 0u128);
		let next_offer = NextOfferId::<T>::get();
		for (id, offer) in Offers::<T>::iter() {
			ensure!(id < next_offer, "an offer's id is not below NextOfferId");
			ensure!(
				offer.remaining_wh > 0 && offer.remaining_wh <= offer.terms.energy_wh,
				"an open offer's remaining energy is zero or more than posted"
			);
			ensure!(
				OffersOf::<T>::get(&offer.owner).contains(&id),
				"an open offer is missing from its owner's list"
			);
			ensure!(
				Expiries::<T>::contains_key(offer.terms.expires, Expiry::Offer(id)),
				"an open offer has no queue entry at its expiry"
			);
			match offer.side {
				Side::Demand => {
					demand = demand.saturating_add(offer.remaining_wh.into());
					let price = offer.grid_fallback.unwrap_or(offer.terms.price);
					ensure!(
						payment(price, offer.remaining_wh).is_some_and(|v| v <= offer.escrow),
						"a demand's escrow does not cover its remaining energy"
					);
					let entry = held.entry(offer.owner.clone()).or_default();
					*entry = entry.saturating_add(offer.escrow);
				}
				Side::Supply => {
					supply = supply.saturating_add(offer.remaining_wh.into());
					ensure!(offer.escrow == 0, "a supply offer holds escrow");
				}
			}
		}
		ensure!(supply == OpenSupply::<T>::get(), "OpenSupply is not the open supply offers' sum");
		ensure!(demand == OpenDemand::<T>::get(), "OpenDemand is not the open demands' sum");
		let mut listed = 0u32;
		for (owner, ids) in OffersOf::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty owner list is stored");
			for id in ids.iter() {
				ensure!(
					Offers::<T>::get(id).is_some_and(|offer| offer.owner == owner),
					"an owner list holds an offer that is not the owner's open offer"
				);
				listed.saturating_inc();
			}
		}
		ensure!(listed == Offers::<T>::count(), "owner lists and open offers differ in number");

		let next_trade = NextTradeId::<T>::get();
		for (id, trade) in Trades::<T>::iter() {
			ensure!(id < next_trade, "a trade's id is not below NextTradeId");
			ensure!(
				payment(trade.price, trade.energy_wh) == Some(trade.escrow),
				"a trade's escrow is not its value"
			);
			ensure!(
				trade.disputed != Expiries::<T>::contains_key(trade.settle_by, Expiry::Trade(id)),
				"a trade's queue entry does not match its dispute state"
			);
			let entry = held.entry(trade.buyer.clone()).or_default();
			*entry = entry.saturating_add(trade.escrow);
		}

		let cursor = ExpiryCursor::<T>::get();
		for (block, entry) in Expiries::<T>::iter_keys() {
			ensure!(block >= cursor, "a queue entry is before the cursor");
			let due = match entry {
				Expiry::Offer(id) => Offers::<T>::get(id).map(|offer| offer.terms.expires),
				Expiry::Trade(id) => Trades::<T>::get(id).map(|trade| trade.settle_by),
			};
			ensure!(due == Some(block), "a queue entry points at nothing due then");
		}
		ensure!(
			cursor <= frame_system::Pallet::<T>::block_number().saturating_add(One::one()),
			"the expiry cursor is ahead of the chain"
		);

		let cursor = PruneCursor::<T>::get();
		let current = Self::interval_of(frame_system::Pallet::<T>::block_number());
		for (interval, _, record) in Metered::<T>::iter() {
			ensure!(
				record.export_taken_wh <= record.exported_wh
					&& record.import_taken_wh <= record.imported_wh,
				"more was taken from a reading than it measured"
			);
			ensure!(cursor.is_none_or(|c| interval >= c), "a reading before the prune cursor");
			ensure!(interval < current, "a reading of an interval not yet over");
		}

		for (_, bookings) in Bookings::<T>::iter() {
			ensure!(!bookings.is_empty(), "an empty list of bookings is stored");
			for (i, b) in bookings.iter().enumerate() {
				ensure!(b.energy_wh > 0, "a booking of no energy");
				let (first, last) = Self::window_intervals(b.delivery_start, b.delivery_end);
				ensure!(
					first <= last && last - first < T::MaxDeliveryIntervals::get(),
					"a booking's window is not one a trade can have"
				);
				ensure!(
					bookings.iter().skip(i + 1).all(|o| {
						(o.delivery_start, o.delivery_end, o.export)
							!= (b.delivery_start, b.delivery_end, b.export)
					}),
					"two bookings of one window and direction are not merged"
				);
			}
		}

		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&Self::escrow_reason(), &who) == amount,
				"an account's escrow hold differs from its demands' and trades' escrow"
			);
		}
		Ok(())
	}
}
