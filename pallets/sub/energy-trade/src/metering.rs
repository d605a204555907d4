//! Settlement from signed meter readings.
//!
//! **Intervals.** Time is cut into metering intervals of `MeteringInterval` blocks: interval
//! `k` is blocks `k * N .. (k + 1) * N`. A trade's delivery window (`delivery_start ..=
//! delivery_end`) covers the intervals of its first and last blocks and every one between; an
//! offer's window may cover at most `MaxDeliveryIntervals`.
//!
//! **Readings** (`submit_reading`). A member's meter signs, for each interval, the energy it
//! measured leaving the member's connection (exported) and entering it (imported), with a
//! counter ([`MeterReading`]). Anyone may submit it; it is free when it is recorded. It is
//! refused, each with its own error, if it names another sub-chain (`WrongSubchain`), a meter
//! no member has (`UnknownMeter`), is not signed by that meter (`BadMeterSignature`), is for
//! an interval not yet over (`FutureInterval`), older than `MaxReadingAge` intervals or than
//! any open trade could use (`StaleReading`), not after the member's last read interval
//! (`ReadingOutOfOrder`), if the counter does not grow (`CounterNotIncreasing`), or if the
//! member's interval was read already (`AlreadyRead`: a revoked meter's readings once its
//! member has a new one). An interval a meter skips counts as nothing measured.
//!
//! **Settlement** (`settle_trade`). Once both parties' meters have read up to the trade's
//! last interval, anyone may settle it; it is free when it settles. The seller's export and
//! the buyer's import for the trade are taken, interval by interval from the first, from what
//! their readings show and their trades settled before have not taken, up to the energy
//! agreed: a member's measured energy in an interval goes to its trades in the order they
//! settle. If the two differ by more than `MeterTolerance` of the energy agreed, the meters
//! disagree and the trade is disputed at the parent instead (`ReadingsDisagree`), taking
//! nothing. Otherwise it settles by [`settle_metered`]: the seller is paid for what both show,
//! a seller short owes the grid the grid price less the trade price for the energy the grid
//! supplied in its place (paid from its free balance, as far as it goes), and a buyer short
//! pays the seller the trade price less the feed-in tariff for the energy the seller fed to
//! the grid. A trade no readings cover by its `settle_by` block is refunded as before.
//!
//! **Pruning.** An interval's records are kept while a trade that can still be settled may
//! cover it, then removed at the start of a block, one interval a block.

use crate::{pallet::*, *};
use dbm_primitives::metering::{
	settle_metered, IntervalEnergy, IntervalIndex, MeterReading, MeterRegistry, MeterSignature,
	MeteredSettlement,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Zero},
	DispatchError,
};

/// What one side of a trade takes from its member's readings: the energy, and how much from
/// each interval.
pub(crate) struct Taken {
	/// The energy taken, in Wh, at most the trade's.
	pub total: u64,
	/// Interval and amount, for the intervals something is taken from.
	pub parts: alloc::vec::Vec<(IntervalIndex, u64)>,
}

impl<T: Config> Pallet<T> {
	/// The metering interval block `n` is in.
	pub fn interval_of(n: BlockNumberFor<T>) -> IntervalIndex {
		let length = T::MeteringInterval::get();
		if length.is_zero() {
			return 0;
		}
		(n / length).unique_saturated_into()
	}

	/// The oldest interval an open, undisputed trade may still cover at block `now`: its
	/// window ended at most `SettlementPeriod` blocks ago and spans at most
	/// `MaxDeliveryIntervals` intervals.
	pub fn oldest_needed(now: BlockNumberFor<T>) -> IntervalIndex {
		Self::interval_of(now.saturating_sub(T::SettlementPeriod::get()))
			.saturating_sub(T::MaxDeliveryIntervals::get())
	}

	/// The intervals a delivery window covers: its first and its last.
	pub fn window_intervals(
		start: BlockNumberFor<T>,
		end: BlockNumberFor<T>,
	) -> (IntervalIndex, IntervalIndex) {
		(Self::interval_of(start), Self::interval_of(end))
	}

	/// Records a signed reading: what `submit_reading` does. Returns the member it is for.
	pub fn do_submit_reading(
		reading: MeterReading,
		signature: &MeterSignature,
	) -> Result<T::AccountId, DispatchError> {
		ensure!(T::Meters::subchain() == Some(reading.subchain), Error::<T>::WrongSubchain);
		let (who, meter) =
			T::Meters::meter_owner(&reading.meter).ok_or(Error::<T>::UnknownMeter)?;
		ensure!(reading.verify(signature), Error::<T>::BadMeterSignature);
		let now = frame_system::Pallet::<T>::block_number();
		let current = Self::interval_of(now);
		ensure!(reading.interval < current, Error::<T>::FutureInterval);
		ensure!(
			reading.interval.saturating_add(T::MaxReadingAge::get()) >= current
				&& reading.interval >= Self::oldest_needed(now),
			Error::<T>::StaleReading
		);
		if let Some(last) = meter.last_interval {
			ensure!(reading.interval > last, Error::<T>::ReadingOutOfOrder);
		}
		ensure!(reading.counter > meter.counter, Error::<T>::CounterNotIncreasing);
		ensure!(!Metered::<T>::contains_key(reading.interval, &who), Error::<T>::AlreadyRead);

		Metered::<T>::insert(
			reading.interval,
			&who,
			IntervalEnergy {
				exported_wh: reading.exported_wh,
				imported_wh: reading.imported_wh,
				..Default::default()
			},
		);
		T::Meters::note_reading(&who, reading.interval, reading.counter);
		Self::deposit_event(Event::ReadingRecorded {
			who: who.clone(),
			interval: reading.interval,
			exported_wh: reading.exported_wh,
			imported_wh: reading.imported_wh,
		});
		Ok(who)
	}

	/// What `who`'s readings of `first ..= last` have left for a trade of `energy_wh`:
	/// its export (`export`) or its import, taken from the first interval on.
	pub(crate) fn plan_take(
		who: &T::AccountId,
		first: IntervalIndex,
		last: IntervalIndex,
		energy_wh: u64,
		export: bool,
	) -> Taken {
		let mut taken = Taken { total: 0, parts: alloc::vec::Vec::new() };
		let mut k = first;
		while k <= last && taken.total < energy_wh {
			if let Some(record) = Metered::<T>::get(k, who) {
				let left = if export { record.export_left() } else { record.import_left() };
				let part = left.min(energy_wh - taken.total);
				if part > 0 {
					taken.total += part;
					taken.parts.push((k, part));
				}
			}
			match k.checked_add(1) {
				Some(next) => k = next,
				None => break,
			}
		}
		taken
	}

	/// Marks what `plan` takes from `who`'s readings as taken.
	fn apply_take(who: &T::AccountId, plan: &Taken, export: bool) {
		for (k, part) in &plan.parts {
			Metered::<T>::mutate_exists(k, who, |record| {
				if let Some(record) = record {
					let taken = if export {
						&mut record.export_taken_wh
					} else {
						&mut record.import_taken_wh
					};
					taken.saturating_accrue(*part);
				}
			});
		}
	}

	/// Settles trade `id` from its parties' readings, or disputes it if they disagree: what
	/// `settle_trade` does. Returns how many intervals its window covers.
	pub fn do_settle_metered(id: TradeId) -> Result<u32, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		ensure!(!trade.disputed, Error::<T>::TradeDisputed);
		ensure!(now < trade.settle_by, Error::<T>::SettlementClosed);
		let (first, last) = Self::window_intervals(trade.delivery_start, trade.delivery_end);
		let covered = |who: &T::AccountId| {
			T::Meters::meter_of(who)
				.and_then(|meter| meter.last_interval)
				.is_some_and(|read| read >= last)
		};
		ensure!(covered(&trade.seller) && covered(&trade.buyer), Error::<T>::ReadingsMissing);
		Self::ensure_batch_room()?;
		let intervals = last.saturating_sub(first).saturating_add(1);

		let seller = Self::plan_take(&trade.seller, first, last, trade.energy_wh, true);
		let buyer = Self::plan_take(&trade.buyer, first, last, trade.energy_wh, false);
		let tolerance = T::MeterTolerance::get().mul_floor(trade.energy_wh);
		if seller.total.abs_diff(buyer.total) > tolerance {
			// The side whose meter shows more is the one the other's reading wrongs.
			let by =
				if seller.total > buyer.total { trade.seller.clone() } else { trade.buyer.clone() };
			let nonce = Self::open_dispute(id, by)?;
			Self::deposit_event(Event::ReadingsDisagree {
				trade: id,
				seller_wh: seller.total,
				buyer_wh: buyer.total,
				nonce,
			});
			return Ok(intervals);
		}

		Self::apply_take(&trade.seller, &seller, true);
		Self::apply_take(&trade.buyer, &buyer, false);
		let settlement = settle_metered(
			trade.energy_wh,
			trade.price,
			trade.escrow,
			seller.total,
			buyer.total,
			FeedInTariff::<T>::get(),
			GridPrice::<T>::get(),
		);
		Expiries::<T>::remove(trade.settle_by, Expiry::Trade(id));
		let grid = T::GridAccount::get();
		let closed = Self::close_trade_paying(
			id,
			&trade,
			settlement.delivered_wh,
			TradeOutcome::Delivered { delivered_wh: settlement.delivered_wh },
			settlement.to_seller,
			settlement.to_grid,
		)?;
		let imbalance_paid = Self::collect_imbalance(&trade.seller, &grid, &settlement);
		Self::deposit_event(Event::TradeMetered {
			trade: id,
			seller_wh: seller.total,
			buyer_wh: buyer.total,
			delivered_wh: settlement.delivered_wh,
			paid: closed.paid,
			network_charge: closed.network_charge,
			to_grid: settlement.to_grid,
			imbalance_owed: settlement.seller_owes,
			imbalance_paid,
			refunded: closed.refunded,
		});
		Ok(intervals)
	}

	/// The seller pays the grid what it owes for falling short, from its free balance, as far
	/// as that goes without ending its account. Returns what was paid.
	fn collect_imbalance(
		seller: &T::AccountId,
		grid: &T::AccountId,
		settlement: &MeteredSettlement,
	) -> Balance {
		if settlement.seller_owes == 0 {
			return 0;
		}
		let can = T::Currency::reducible_balance(seller, Preservation::Preserve, Fortitude::Polite);
		let amount = settlement.seller_owes.min(can);
		match T::Currency::transfer(seller, grid, amount, Preservation::Preserve) {
			Ok(paid) => paid,
			Err(error) => {
				log::warn!(target: LOG_TARGET, "imbalance of {seller:?} not paid: {error:?}");
				0
			}
		}
	}

	/// Removes the records of one interval no open trade can still cover, if there is one:
	/// at most `limit` of them. Returns how many were removed.
	pub(crate) fn prune_metered(now: BlockNumberFor<T>, limit: u32) -> u32 {
		let oldest = Self::oldest_needed(now);
		let Some(cursor) = PruneCursor::<T>::get() else {
			// Nothing was read before the first block that prunes: start from here.
			PruneCursor::<T>::put(oldest);
			return 0;
		};
		if cursor >= oldest {
			return 0;
		}
		let result = Metered::<T>::clear_prefix(cursor, limit, None);
		if result.maybe_cursor.is_none() {
			PruneCursor::<T>::put(cursor.saturating_add(1));
		}
		result.unique
	}
}
