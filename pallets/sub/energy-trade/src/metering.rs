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
//! no member has (`UnknownMeter`), a member other than the meter's (`WrongMember`), is not signed by that meter (`BadMeterSignature`), is for
//! an interval not yet over (`FutureInterval`), older than `MaxReadingAge` intervals or than
//! any open trade could use (`StaleReading`), not after the member's last read interval
//! (`ReadingOutOfOrder`), if the counter does not grow (`CounterNotIncreasing`), or if the
//! member's interval was read already (`AlreadyRead`: a revoked meter's readings once its
//! member has a new one). An interval a meter skips counts as nothing measured.
//!
//! **The schedule.** A trade's energy is due at a steady rate over its window's blocks, each
//! interval's share in proportion to the window's blocks in it ([`scheduled_share`]). What a
//! trade takes from a party's reading of an interval is at most its share of that interval and
//! at most what the reading shows that no other trade took: a member's trades in the same
//! interval each take their own share, whichever settles first, and only a member that
//! delivered or drew less than all its trades' shares leaves the trades settled later short.
//!
//! **Settlement** (`settle_trade`). Once both parties' meters have read up to the trade's
//! last interval, anyone may settle it; it is free when it settles. The seller's export and
//! the buyer's import for the trade are taken, interval by interval, by the schedule. If the
//! two differ by more than `MeterTolerance` of the energy agreed, the meters
//! disagree and the trade is disputed at the parent instead (`ReadingsDisagree`), taking
//! nothing. Otherwise it settles by [`settle_metered`]: the seller is paid for what both show,
//! a seller short owes the grid the grid price less the trade price for the energy the grid
//! supplied in its place (paid from its free balance, as far as it goes), and a buyer short
//! pays the seller the trade price less the feed-in tariff for the energy the seller fed to
//! the grid. A trade no readings cover by its `settle_by` block is refunded as before.
//!
//! **Other settlements take their energy too.** A trade settled on the buyer's word
//! (`confirm_delivery`) or by a ruling (`resolve_dispute`) takes its scheduled energy from its
//! metered parties' readings as well: from the intervals read so far at once, and from each
//! later interval of its window as that reading is recorded (a [`Booking`], merged per window
//! and direction, at most `MaxBookings` a member). So no two settlements, of whatever kind,
//! are paid for the same measured Wh. The buyer's word cannot pay a seller whose readings of
//! the intervals read already show less than the trade's share (`SellerMeterShort`); a ruling
//! stands whatever the readings show, and takes what they have.
//!
//! **Pruning.** An interval's records are kept while a trade that can still be settled may
//! cover it, then removed at the start of a block, one interval a block.

use crate::{pallet::*, *};
use dbm_primitives::metering::{
	scheduled_share, settle_metered, IntervalEnergy, IntervalIndex, MeterRegistry, MeterSignature,
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
	/// The schedule's shares of the intervals walked, in Wh: what `total` would be if the
	/// readings showed all of it.
	pub due: u64,
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
		reading: MeterReadingOf<T>,
		signature: &MeterSignature,
	) -> Result<T::AccountId, DispatchError> {
		ensure!(T::Meters::subchain() == Some(reading.subchain), Error::<T>::WrongSubchain);
		let (who, meter) =
			T::Meters::meter_owner(&reading.meter).ok_or(Error::<T>::UnknownMeter)?;
		ensure!(reading.member == who, Error::<T>::WrongMember);
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

		let mut record = IntervalEnergy {
			exported_wh: reading.exported_wh,
			imported_wh: reading.imported_wh,
			..Default::default()
		};
		Self::serve_bookings(&who, reading.interval, &mut record);
		Metered::<T>::insert(reading.interval, &who, record);
		T::Meters::note_reading(&who, reading.interval, reading.counter);
		Self::deposit_event(Event::ReadingRecorded {
			who: who.clone(),
			interval: reading.interval,
			exported_wh: reading.exported_wh,
			imported_wh: reading.imported_wh,
		});
		Ok(who)
	}

	/// The share of `energy_wh`, delivered over blocks `start ..= end`, due in interval `k`.
	pub(crate) fn share(
		energy_wh: u64,
		start: BlockNumberFor<T>,
		end: BlockNumberFor<T>,
		k: IntervalIndex,
	) -> u64 {
		let block = |n: BlockNumberFor<T>| -> u64 { n.unique_saturated_into() };
		let length = block(T::MeteringInterval::get());
		scheduled_share(energy_wh, (block(start), block(end)), length, k)
	}

	/// What `who`'s readings of intervals `from ..= to` have left for `energy_wh` delivered
	/// over blocks `start ..= end`: its export (`export`) or its import, at most the
	/// schedule's share of each interval.
	pub(crate) fn plan_take(
		who: &T::AccountId,
		(start, end): (BlockNumberFor<T>, BlockNumberFor<T>),
		(from, to): (IntervalIndex, IntervalIndex),
		energy_wh: u64,
		export: bool,
	) -> Taken {
		let mut taken = Taken { total: 0, due: 0, parts: alloc::vec::Vec::new() };
		let mut k = from;
		while k <= to {
			let share = Self::share(energy_wh, start, end, k);
			taken.due = taken.due.saturating_add(share);
			if let Some(record) = Metered::<T>::get(k, who) {
				let left = if export { record.export_left() } else { record.import_left() };
				let part = left.min(share);
				if part > 0 {
					taken.total = taken.total.saturating_add(part);
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

	/// Takes `energy_wh`, scheduled over trade `trade`'s window, from party `who`'s readings
	/// (its export if `export`, else its import), if it has a meter: from the intervals its
	/// meter has read, at once, and from the later ones by a booking. If `seller_check`, the
	/// readings read must show the share of each interval read, to within `MeterTolerance`
	/// of `energy_wh` in all (`SellerMeterShort`). A full list of bookings is refused
	/// (`BookingsFull`) if `must_book`, and otherwise left as it is (logged).
	///
	/// Returns how many intervals it walked.
	pub(crate) fn take_settled(
		who: &T::AccountId,
		trade: &TradeOf<T>,
		energy_wh: u64,
		export: bool,
		seller_check: bool,
		must_book: bool,
	) -> Result<u32, DispatchError> {
		let Some(meter) = T::Meters::meter_of(who) else { return Ok(0) };
		let blocks = (trade.delivery_start, trade.delivery_end);
		let (first, last) = Self::window_intervals(blocks.0, blocks.1);
		let mut walked = 0;
		if let Some(read) = meter.last_interval.filter(|read| *read >= first) {
			let to = read.min(last);
			let plan = Self::plan_take(who, blocks, (first, to), energy_wh, export);
			if seller_check {
				let tolerance = T::MeterTolerance::get().mul_floor(energy_wh);
				let short = plan.due.saturating_sub(plan.total);
				ensure!(short <= tolerance, Error::<T>::SellerMeterShort);
			}
			Self::apply_take(who, &plan, export);
			walked = to.saturating_sub(first).saturating_add(1);
		}
		if meter.last_interval.is_none_or(|read| read < last) && energy_wh > 0 {
			let booking = Booking {
				delivery_start: trade.delivery_start,
				delivery_end: trade.delivery_end,
				energy_wh,
				export,
			};
			if let Err(error) = Self::book(who, booking, meter.last_interval) {
				if must_book {
					return Err(error);
				}
				log::warn!(target: LOG_TARGET, "{who:?}'s booking of {booking:?} dropped: {error:?}");
			}
		}
		Ok(walked)
	}

	/// Adds `booking` to `who`'s bookings, merged with one of the same window and direction,
	/// after dropping those no reading can serve any more (their windows read through
	/// `read`, or older than any reading may be).
	fn book(
		who: &T::AccountId,
		booking: BookingOf<T>,
		read: Option<IntervalIndex>,
	) -> DispatchResult {
		let oldest = Self::oldest_needed(frame_system::Pallet::<T>::block_number());
		Bookings::<T>::try_mutate(who, |bookings| {
			bookings.retain(|b| {
				let last = Self::interval_of(b.delivery_end);
				last >= oldest && read.is_none_or(|read| last > read)
			});
			let same = bookings.iter_mut().find(|b| {
				(b.delivery_start, b.delivery_end, b.export)
					== (booking.delivery_start, booking.delivery_end, booking.export)
			});
			match same {
				Some(b) => b.energy_wh = b.energy_wh.saturating_add(booking.energy_wh),
				None => bookings.try_push(booking).map_err(|_| Error::<T>::BookingsFull)?,
			}
			Ok(())
		})
	}

	/// What `who`'s bookings take from its reading `record` of interval `k`; bookings whose
	/// window ends by `k` are done.
	fn serve_bookings(who: &T::AccountId, k: IntervalIndex, record: &mut IntervalEnergy) {
		let mut bookings = Bookings::<T>::get(who);
		if bookings.is_empty() {
			return;
		}
		for b in bookings.iter() {
			let share = Self::share(b.energy_wh, b.delivery_start, b.delivery_end, k);
			if share == 0 {
				continue;
			}
			let (taken, measured) = if b.export {
				(&mut record.export_taken_wh, record.exported_wh)
			} else {
				(&mut record.import_taken_wh, record.imported_wh)
			};
			*taken = taken.saturating_add(share).min(measured);
		}
		bookings.retain(|b| Self::interval_of(b.delivery_end) > k);
		if bookings.is_empty() {
			Bookings::<T>::remove(who);
		} else {
			Bookings::<T>::insert(who, bookings);
		}
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
	/// `settle_trade` does. Returns how many intervals its window covers, and whether it was
	/// disputed.
	pub fn do_settle_metered(id: TradeId) -> Result<(u32, bool), DispatchError> {
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

		let (window, blocks) = ((first, last), (trade.delivery_start, trade.delivery_end));
		let seller = Self::plan_take(&trade.seller, blocks, window, trade.energy_wh, true);
		let buyer = Self::plan_take(&trade.buyer, blocks, window, trade.energy_wh, false);
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
			return Ok((intervals, true));
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
			(settlement.delivered_wh, seller.total),
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
		Ok((intervals, false))
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
