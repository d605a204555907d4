//! The market's logic: the calls, the hooks and the runtime API reuse these helpers.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		DefensiveSaturating,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating},
	DispatchError,
};

/// What an acceptance did: the trade it made, and which of the measured cases it was.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Accepted {
	/// The new trade.
	pub trade: TradeId,
	/// The side of the offer taken.
	pub side: Side,
	/// Whether it took the rest of the offer, which closed.
	pub closed: bool,
}

impl Accepted {
	/// The measured weight of this case.
	pub fn weight<W: WeightInfo>(&self) -> Weight {
		match (self.side, self.closed) {
			(Side::Demand, true) => W::accept_demand(),
			(Side::Demand, false) => W::accept_demand_partial(),
			(Side::Supply, true) => W::accept_supply(),
			(Side::Supply, false) => W::accept_supply_partial(),
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Whether the price bounds are consistent: the feed-in tariff is not above the grid price.
	pub fn valid_bounds(feed_in_tariff: Balance, grid_price: Balance) -> bool {
		feed_in_tariff <= grid_price
	}

	/// `who` as an active member.
	fn active_member(who: &T::AccountId) -> Result<MemberInfo, Error<T>> {
		T::Members::active_member(who).ok_or(Error::<T>::NotMember)
	}

	/// Fails unless `price` lies within the current bounds.
	fn ensure_price_in_bounds(price: Balance) -> DispatchResult {
		ensure!(
			(FeedInTariff::<T>::get()..=GridPrice::<T>::get()).contains(&price),
			Error::<T>::PriceOutOfBounds
		);
		Ok(())
	}

	/// Checks an offer's terms at block `now`.
	fn check_terms(terms: &OfferTermsOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		ensure!(terms.energy_wh > 0, Error::<T>::ZeroEnergy);
		Self::ensure_price_in_bounds(terms.price)?;
		ensure!(terms.expires > now, Error::<T>::ExpiryInPast);
		ensure!(
			terms.delivery_start <= terms.delivery_end && terms.expires <= terms.delivery_end,
			Error::<T>::InvalidWindow
		);
		ensure!(
			terms.delivery_end.saturating_sub(now) <= T::MaxHorizon::get(),
			Error::<T>::TooFarAhead
		);
		Ok(())
	}

	/// Fails unless `who` can put `amount` in escrow and keep its account alive.
	fn ensure_can_pay(who: &T::AccountId, amount: Balance) -> DispatchResult {
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= amount, Error::<T>::InsufficientBalance);
		Ok(())
	}

	/// Open offer `id`; `OfferClosed` if it existed once, `UnknownOffer` if it never did.
	fn open_offer(id: OfferId) -> Result<OfferOf<T>, Error<T>> {
		Offers::<T>::get(id).ok_or_else(|| {
			if id < NextOfferId::<T>::get() {
				Error::<T>::OfferClosed
			} else {
				Error::<T>::UnknownOffer
			}
		})
	}

	/// Fails unless `who` may open another offer.
	fn ensure_offer_room(who: &T::AccountId) -> DispatchResult {
		ensure!(Offers::<T>::count() < T::MaxOpenOffers::get(), Error::<T>::OrderBookFull);
		ensure!(
			OffersOf::<T>::decode_len(who).unwrap_or(0) < T::MaxOffersPerAccount::get() as usize,
			Error::<T>::TooManyOffers
		);
		Ok(())
	}

	/// Whether the block's trade batch has room for another record (a trade, a settlement, a
	/// ruling).
	pub fn has_batch_room() -> bool {
		Self::ensure_batch_room().is_ok()
	}

	/// Fails unless the block's trade batch has room for one more record.
	fn ensure_batch_room() -> DispatchResult {
		ensure!(
			BlockTrades::<T>::decode_len().unwrap_or(0) < T::MaxTradesPerBlock::get() as usize,
			Error::<T>::TradeBatchFull
		);
		Ok(())
	}

	/// Appends a record to the block's trade batch.
	fn push_record(record: TradeRecordOf<T>) -> DispatchResult {
		BlockTrades::<T>::try_append(record).map_err(|_| Error::<T>::TradeBatchFull.into())
	}

	/// The escrow hold reason.
	fn escrow_reason(
	) -> <T::Currency as frame_support::traits::fungible::InspectHold<T::AccountId>>::Reason {
		HoldReason::Escrow.into()
	}

	/// The id the next trade gets; the counter moves on.
	fn take_trade_id() -> TradeId {
		NextTradeId::<T>::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		})
	}

	/// Stores a new offer with its queue entries and the open totals; the caller checked
	/// `ensure_offer_room`.
	fn insert_offer(offer: OfferOf<T>) -> Result<OfferId, DispatchError> {
		let id = NextOfferId::<T>::get();
		OffersOf::<T>::try_mutate(&offer.owner, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::TooManyOffers)?;
		NextOfferId::<T>::put(id.saturating_add(1));
		Expiries::<T>::insert(offer.terms.expires, Expiry::Offer(id), ());
		match offer.side {
			Side::Demand => {
				OpenDemand::<T>::mutate(|d| *d = d.saturating_add(offer.remaining_wh.into()))
			}
			Side::Supply => {
				OpenSupply::<T>::mutate(|s| *s = s.saturating_add(offer.remaining_wh.into()))
			}
		}
		Offers::<T>::insert(id, offer);
		Ok(id)
	}

	/// Removes an offer, its queue entry, its place in its owner's list and its open energy.
	/// Its escrow stays held: the caller moves or releases it.
	fn remove_offer(id: OfferId, offer: &OfferOf<T>) {
		Offers::<T>::remove(id);
		Expiries::<T>::remove(offer.terms.expires, Expiry::Offer(id));
		OffersOf::<T>::mutate_exists(&offer.owner, |ids| {
			if let Some(list) = ids {
				list.retain(|other| *other != id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
		let open = u128::from(offer.remaining_wh);
		match offer.side {
			Side::Demand => OpenDemand::<T>::mutate(|d| *d = d.defensive_saturating_sub(open)),
			Side::Supply => OpenSupply::<T>::mutate(|s| *s = s.defensive_saturating_sub(open)),
		}
	}

	/// Releases `amount` of `who`'s escrow.
	fn release(who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount > 0 {
			T::Currency::release(&Self::escrow_reason(), who, amount, Precision::Exact)?;
		}
		Ok(())
	}

	/// Pays `amount` of `from`'s escrow to `to`.
	fn pay_from_escrow(from: &T::AccountId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount > 0 {
			T::Currency::transfer_on_hold(
				&Self::escrow_reason(),
				from,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
		}
		Ok(())
	}

	/// Posts `who`'s demand.
	pub fn do_post_demand(
		who: T::AccountId,
		terms: OfferTermsOf<T>,
		kind: EnergyKind,
		grid_fallback: bool,
	) -> Result<OfferId, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::active_member(&who)?;
		Self::check_terms(&terms, now)?;
		let grid_price = GridPrice::<T>::get();
		let escrow_price = if grid_fallback { grid_price } else { terms.price };
		let escrow = payment(escrow_price, terms.energy_wh).ok_or(Error::<T>::PaymentOverflow)?;
		Self::ensure_can_pay(&who, escrow)?;
		Self::ensure_offer_room(&who)?;

		T::Currency::hold(&Self::escrow_reason(), &who, escrow)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let offer = Offer {
			owner: who.clone(),
			side: Side::Demand,
			kind,
			terms,
			remaining_wh: terms.energy_wh,
			escrow,
			grid_fallback: grid_fallback.then_some(grid_price),
		};
		let id = Self::insert_offer(offer)?;
		Self::deposit_event(Event::OfferPosted {
			offer: id,
			owner: who,
			side: Side::Demand,
			kind,
			energy_wh: terms.energy_wh,
			price: terms.price,
			escrow,
		});
		Ok(id)
	}

	/// Posts `who`'s supply.
	pub fn do_post_supply(
		who: T::AccountId,
		terms: OfferTermsOf<T>,
	) -> Result<OfferId, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let member = Self::active_member(&who)?;
		ensure!(member.role.supplies(), Error::<T>::NotSupplier);
		Self::check_terms(&terms, now)?;
		payment(terms.price, terms.energy_wh).ok_or(Error::<T>::PaymentOverflow)?;
		Self::ensure_offer_room(&who)?;

		let kind = if member.attested.renewable { EnergyKind::Renewable } else { EnergyKind::Any };
		let offer = Offer {
			owner: who.clone(),
			side: Side::Supply,
			kind,
			terms,
			remaining_wh: terms.energy_wh,
			escrow: 0,
			grid_fallback: None,
		};
		let id = Self::insert_offer(offer)?;
		Self::deposit_event(Event::OfferPosted {
			offer: id,
			owner: who,
			side: Side::Supply,
			kind,
			energy_wh: terms.energy_wh,
			price: terms.price,
			escrow: 0,
		});
		Ok(id)
	}

	/// `who` takes `energy_wh` of offer `id`.
	pub fn do_accept(
		who: T::AccountId,
		id: OfferId,
		energy_wh: u64,
	) -> Result<Accepted, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let taker = Self::active_member(&who)?;
		ensure!(energy_wh > 0, Error::<T>::ZeroEnergy);
		let mut offer = Self::open_offer(id)?;
		ensure!(now < offer.terms.expires, Error::<T>::OfferExpired);
		ensure!(offer.owner != who, Error::<T>::OwnOffer);
		let owner = T::Members::active_member(&offer.owner).ok_or(Error::<T>::OwnerNotMember)?;
		let (buyer, seller, seller_info) = match offer.side {
			Side::Demand => {
				ensure!(taker.role.supplies(), Error::<T>::NotSupplier);
				ensure!(
					offer.kind == EnergyKind::Any || taker.attested.renewable,
					Error::<T>::NotRenewable
				);
				(offer.owner.clone(), who.clone(), taker)
			}
			Side::Supply => (who.clone(), offer.owner.clone(), owner),
		};
		ensure!(energy_wh <= offer.remaining_wh, Error::<T>::ExceedsRemaining);
		ensure!(
			offer.terms.allow_partial || energy_wh == offer.remaining_wh,
			Error::<T>::PartialNotAllowed
		);
		Self::ensure_price_in_bounds(offer.terms.price)?;
		let price = offer.terms.price;
		let value = payment(price, energy_wh).ok_or(Error::<T>::PaymentOverflow)?;
		if offer.side == Side::Supply {
			Self::ensure_can_pay(&who, value)?;
		}
		ensure!(Trades::<T>::count() < T::MaxOpenTrades::get(), Error::<T>::TooManyTrades);
		Self::ensure_batch_room()?;

		// The buyer's payment goes into (or stays in) escrow.
		match offer.side {
			Side::Supply => {
				T::Currency::hold(&Self::escrow_reason(), &who, value)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
				OpenSupply::<T>::mutate(|s| *s = s.defensive_saturating_sub(energy_wh.into()));
			}
			Side::Demand => {
				// The demand's escrow covers its remaining energy at its price (or more), and the
				// value of a part never exceeds the value of the whole; qed.
				offer.escrow = offer.escrow.defensive_saturating_sub(value);
				OpenDemand::<T>::mutate(|d| *d = d.defensive_saturating_sub(energy_wh.into()));
			}
		}
		offer.remaining_wh = offer.remaining_wh.saturating_sub(energy_wh);
		let closed = offer.remaining_wh == 0;
		if closed {
			Self::remove_offer(id, &offer);
			// What rounding (and a grid fallback's margin) left in the demand's escrow.
			Self::release(&offer.owner, offer.escrow)?;
		} else {
			Offers::<T>::insert(id, &offer);
		}

		let trade_id = Self::take_trade_id();
		let kind =
			if seller_info.attested.renewable { EnergyKind::Renewable } else { EnergyKind::Any };
		let settle_by = offer.terms.delivery_end.saturating_add(T::SettlementPeriod::get());
		let trade = Trade {
			offer: id,
			buyer: buyer.clone(),
			seller: seller.clone(),
			kind,
			energy_wh,
			price,
			escrow: value,
			delivery_start: offer.terms.delivery_start,
			delivery_end: offer.terms.delivery_end,
			settle_by,
			disputed: false,
		};
		Trades::<T>::insert(trade_id, trade);
		Expiries::<T>::insert(settle_by, Expiry::Trade(trade_id), ());
		Self::push_record(TradeRecord {
			trade: trade_id,
			outcome: TradeOutcome::Matched,
			buyer: buyer.clone(),
			seller: seller.clone(),
			energy_wh,
			price,
			value,
		})?;
		Self::deposit_event(Event::OfferAccepted {
			offer: id,
			trade: trade_id,
			buyer,
			seller,
			energy_wh,
			price,
			value,
		});
		Ok(Accepted { trade: trade_id, side: offer.side, closed })
	}

	/// `who` cancels offer `id`.
	pub fn do_cancel(who: T::AccountId, id: OfferId) -> DispatchResult {
		let offer = Self::open_offer(id)?;
		ensure!(offer.owner == who, Error::<T>::NotOwner);
		Self::remove_offer(id, &offer);
		Self::release(&offer.owner, offer.escrow)?;
		Self::deposit_event(Event::OfferCancelled { offer: id, refunded: offer.escrow });
		Ok(())
	}

	/// Settles trade `id` by a meter reading (`by` is `None`) or the buyer's confirmation.
	pub fn do_confirm_delivery(
		by: Option<T::AccountId>,
		id: TradeId,
		delivered_wh: u64,
	) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		if let Some(who) = &by {
			ensure!(*who == trade.buyer, Error::<T>::NotBuyer);
		}
		ensure!(delivered_wh <= trade.energy_wh, Error::<T>::ExceedsAgreed);
		if by.is_some() {
			ensure!(delivered_wh == trade.energy_wh, Error::<T>::PartialConfirmation);
		}
		ensure!(!trade.disputed, Error::<T>::TradeDisputed);
		ensure!(now >= trade.delivery_start, Error::<T>::DeliveryNotStarted);
		ensure!(now < trade.settle_by, Error::<T>::SettlementClosed);
		Self::ensure_batch_room()?;

		Expiries::<T>::remove(trade.settle_by, Expiry::Trade(id));
		let (paid, refunded) =
			Self::close_trade(id, &trade, delivered_wh, TradeOutcome::Delivered { delivered_wh })?;
		Self::deposit_event(Event::TradeSettled { trade: id, delivered_wh, paid, refunded });
		Ok(())
	}

	/// `who`, a party to trade `id`, disputes it.
	pub fn do_dispute(who: T::AccountId, id: TradeId) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let mut trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		ensure!(who == trade.buyer || who == trade.seller, Error::<T>::NotAParty);
		ensure!(!trade.disputed, Error::<T>::TradeDisputed);
		ensure!(now < trade.settle_by, Error::<T>::SettlementClosed);

		use dbm_primitives::membership::{Destination, Dispute, Message, Outbox};
		let dispute = Dispute {
			by: who.clone(),
			buyer: trade.buyer.clone(),
			seller: trade.seller.clone(),
			energy_wh: trade.energy_wh,
			escrow: trade.escrow,
		};
		let nonce = T::Outbox::send(Destination::Parent, Message::Dispute { trade: id, dispute })?;
		// Frozen: no refund at `settle_by` while the dispute is open.
		Expiries::<T>::remove(trade.settle_by, Expiry::Trade(id));
		trade.disputed = true;
		Trades::<T>::insert(id, trade);
		Self::deposit_event(Event::TradeDisputed { trade: id, by: who, nonce });
		Ok(())
	}

	/// The dispute origin rules that trade `id` delivered `delivered_wh`.
	pub fn do_resolve(id: TradeId, delivered_wh: u64) -> DispatchResult {
		let trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		ensure!(trade.disputed, Error::<T>::NotDisputed);
		ensure!(delivered_wh <= trade.energy_wh, Error::<T>::ExceedsAgreed);
		Self::ensure_batch_room()?;

		let (paid, refunded) =
			Self::close_trade(id, &trade, delivered_wh, TradeOutcome::Ruled { delivered_wh })?;
		Self::deposit_event(Event::DisputeResolved { trade: id, delivered_wh, paid, refunded });
		Ok(())
	}

	/// Closes trade `id`: pays the seller for `delivered_wh` from the escrow, returns the rest
	/// to the buyer, updates the seller's record and records the outcome. Its queue entry is
	/// the caller's. Returns (paid, refunded).
	fn close_trade(
		id: TradeId,
		trade: &TradeOf<T>,
		delivered_wh: u64,
		outcome: TradeOutcome,
	) -> Result<(Balance, Balance), DispatchError> {
		// The value of a part never exceeds the value of the whole (the escrow); qed.
		let paid = payment(trade.price, delivered_wh).unwrap_or(trade.escrow).min(trade.escrow);
		let refunded = trade.escrow.saturating_sub(paid);
		Self::push_record(TradeRecord {
			trade: id,
			outcome,
			buyer: trade.buyer.clone(),
			seller: trade.seller.clone(),
			energy_wh: trade.energy_wh,
			price: trade.price,
			value: paid,
		})?;
		Self::pay_from_escrow(&trade.buyer, &trade.seller, paid)?;
		Self::release(&trade.buyer, refunded)?;
		Trades::<T>::remove(id);
		DeliveryRecords::<T>::mutate(&trade.seller, |record| {
			record.trades.saturating_inc();
			if outcome == TradeOutcome::Undelivered {
				record.undelivered.saturating_inc();
			}
			record.contracted_wh.saturating_accrue(trade.energy_wh);
			record.delivered_wh.saturating_accrue(delivered_wh);
		});
		Ok((paid, refunded))
	}

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
			Ok((_, refunded)) => Self::deposit_event(Event::TradeUndelivered {
				trade: id,
				seller: trade.seller,
				refunded,
			}),
			Err(error) => log::error!(target: LOG_TARGET, "refund of trade {id} failed: {error:?}"),
		}
	}

	/// The price bounds, the reference price and the open energy.
	pub fn prices() -> MarketPrices<Balance> {
		let (feed_in_tariff, grid_price) = (FeedInTariff::<T>::get(), GridPrice::<T>::get());
		let (open_supply_wh, open_demand_wh) = (OpenSupply::<T>::get(), OpenDemand::<T>::get());
		MarketPrices {
			feed_in_tariff,
			grid_price,
			reference: reference_price(feed_in_tariff, grid_price, open_supply_wh, open_demand_wh),
			open_supply_wh,
			open_demand_wh,
		}
	}

	/// The open offers, oldest first.
	pub fn open_offers() -> Vec<(OfferId, OfferOf<T>)> {
		let mut offers: Vec<_> = Offers::<T>::iter().collect();
		offers.sort_by_key(|(id, _)| *id);
		offers
	}

	/// The open trades, oldest first.
	pub fn open_trades() -> Vec<(TradeId, TradeOf<T>)> {
		let mut trades: Vec<_> = Trades::<T>::iter().collect();
		trades.sort_by_key(|(id, _)| *id);
		trades
	}

	/// This block's trade batch.
	pub fn block_trades() -> Vec<TradeRecordOf<T>> {
		BlockTrades::<T>::get().into_inner()
	}

	/// The proof of record `index` of this block's trade batch.
	pub fn trade_proof(index: u32) -> Option<TradeProof<T::AccountId, Balance>> {
		TradeProof::build(&BlockTrades::<T>::get(), index)
	}

	/// A seller's delivery record.
	pub fn delivery_record(seller: &T::AccountId) -> DeliveryRecord {
		DeliveryRecords::<T>::get(seller)
	}

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
	/// * each account's escrow hold equals its demands' escrow plus its trades' (as buyer).
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

		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&Self::escrow_reason(), &who) == amount,
				"an account's escrow hold differs from its demands' and trades' escrow"
			);
		}
		Ok(())
	}
}
