//! Settlement of matched trades: the buyer's confirmation, disputes, rulings, and the escrow.
//!
//! A matched trade settles from its parties' meter readings (`settle_trade`, in
//! [`metering`](crate::metering)) or, from the delivery window's start on, by the buyer's
//! confirmation of the whole delivery (`confirm_delivery`: the buyer pays in full on its own
//! word). No key says on its own that less was delivered: that is the meters' or a ruling's.
//! The escrow pays the seller for the energy delivered and returns the rest to the buyer. A trade unsettled `SettlementPeriod` blocks after its window closes is refunded
//! to the buyer and counts against the seller's [`DeliveryRecord`] (the stability DBSCA can
//! weigh). Either party may `dispute` an open trade: it is frozen (no settlement, no refund)
//! and the dispute goes to the parent chain through the `Outbox` (a `Message::Dispute`), whose
//! ruling comes back as a message the sub-chain applies with `DisputeOrigin`'s rights
//! (`resolve_dispute`: how much was delivered). `DisputeOrigin` may also rule directly.
//! Cancelling an untaken offer (`cancel_offer`) refunds its escrow.
//!
//! A confirmed or ruled trade takes its energy from its parties' meter readings as a metered
//! settlement would (see [`metering`](crate::metering)): no two settlements are paid for the
//! same measured energy.
//!
//! Every settlement (confirmed, metered or ruled) pays the grid account the network charge
//! (`NetworkCharge` per kWh, at most the feed-in tariff) for the energy delivered, out of what
//! the seller is paid for it.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use sp_runtime::{traits::Saturating, DispatchError};

/// What closing a trade paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Closed {
	/// To the seller, after the network charge.
	pub paid: Balance,
	/// To the grid account, for the energy delivered over the network.
	pub network_charge: Balance,
	/// Back to the buyer.
	pub refunded: Balance,
}

impl<T: Config> Pallet<T> {
	/// The escrow hold reason.
	pub(crate) fn escrow_reason(
	) -> <T::Currency as frame_support::traits::fungible::InspectHold<T::AccountId>>::Reason {
		HoldReason::Escrow.into()
	}

	/// The id the next trade gets; the counter moves on.
	pub(crate) fn take_trade_id() -> TradeId {
		NextTradeId::<T>::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		})
	}

	/// Releases `amount` of `who`'s escrow.
	pub(crate) fn release(who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount > 0 {
			T::Currency::release(&Self::escrow_reason(), who, amount, Precision::Exact)?;
		}
		Ok(())
	}

	/// Pays `amount` of `from`'s escrow to `to`.
	pub(crate) fn pay_from_escrow(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: Balance,
	) -> DispatchResult {
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

	/// Settles trade `id` on its buyer `who`'s confirmation that all of it was delivered, and
	/// takes its energy from the parties' readings. Returns how many intervals of readings it
	/// walked (for either party, the more).
	pub fn do_confirm_delivery(
		who: T::AccountId,
		id: TradeId,
		delivered_wh: u64,
	) -> Result<u32, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		ensure!(who == trade.buyer, Error::<T>::NotBuyer);
		ensure!(delivered_wh <= trade.energy_wh, Error::<T>::ExceedsAgreed);
		ensure!(delivered_wh == trade.energy_wh, Error::<T>::PartialConfirmation);
		ensure!(!trade.disputed, Error::<T>::TradeDisputed);
		ensure!(now >= trade.delivery_start, Error::<T>::DeliveryNotStarted);
		ensure!(now < trade.settle_by, Error::<T>::SettlementClosed);
		Self::ensure_batch_room()?;
		let seller = Self::take_settled(&trade.seller, &trade, delivered_wh, true, true, true)?;
		let buyer = Self::take_settled(&trade.buyer, &trade, delivered_wh, false, false, true)?;

		Expiries::<T>::remove(trade.settle_by, Expiry::Trade(id));
		let closed =
			Self::close_trade(id, &trade, delivered_wh, TradeOutcome::Delivered { delivered_wh })?;
		Self::deposit_event(Event::TradeSettled {
			trade: id,
			delivered_wh,
			paid: closed.paid,
			network_charge: closed.network_charge,
			refunded: closed.refunded,
		});
		Ok(seller.max(buyer))
	}

	/// `who`, a party to trade `id`, disputes it.
	pub fn do_dispute(who: T::AccountId, id: TradeId) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		ensure!(who == trade.buyer || who == trade.seller, Error::<T>::NotAParty);
		ensure!(!trade.disputed, Error::<T>::TradeDisputed);
		ensure!(now < trade.settle_by, Error::<T>::SettlementClosed);
		let nonce = Self::open_dispute(id, who.clone())?;
		Self::deposit_event(Event::TradeDisputed { trade: id, by: who, nonce });
		Ok(())
	}

	/// Freezes open trade `id` and sends its dispute, raised by party `who`, to the parent.
	/// Returns the message's nonce.
	pub(crate) fn open_dispute(id: TradeId, who: T::AccountId) -> Result<u64, DispatchError> {
		let mut trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
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
		Ok(nonce)
	}

	/// The dispute origin rules that trade `id` delivered `delivered_wh`; that energy is
	/// taken from the parties' readings as far as they show it. Returns how many intervals of
	/// readings it walked (for either party, the more).
	pub fn do_resolve(id: TradeId, delivered_wh: u64) -> Result<u32, DispatchError> {
		let trade = Trades::<T>::get(id).ok_or(Error::<T>::UnknownTrade)?;
		ensure!(trade.disputed, Error::<T>::NotDisputed);
		ensure!(delivered_wh <= trade.energy_wh, Error::<T>::ExceedsAgreed);
		Self::ensure_batch_room()?;
		let seller = Self::take_settled(&trade.seller, &trade, delivered_wh, true, false, false)?;
		let buyer = Self::take_settled(&trade.buyer, &trade, delivered_wh, false, false, false)?;

		let closed =
			Self::close_trade(id, &trade, delivered_wh, TradeOutcome::Ruled { delivered_wh })?;
		Self::deposit_event(Event::DisputeResolved {
			trade: id,
			delivered_wh,
			paid: closed.paid,
			network_charge: closed.network_charge,
			refunded: closed.refunded,
		});
		Ok(seller.max(buyer))
	}

	/// Closes trade `id`: pays the seller for `delivered_wh` from the escrow, less the network
	/// charge, returns the rest to the buyer, updates the seller's record and records the
	/// outcome. Its queue entry is the caller's.
	pub(crate) fn close_trade(
		id: TradeId,
		trade: &TradeOf<T>,
		delivered_wh: u64,
		outcome: TradeOutcome,
	) -> Result<Closed, DispatchError> {
		// The value of a part never exceeds the value of the whole (the escrow); qed.
		let paid = payment(trade.price, delivered_wh).unwrap_or(trade.escrow).min(trade.escrow);
		Self::close_trade_paying(id, trade, (delivered_wh, delivered_wh), outcome, paid, 0)
	}

	/// Closes trade `id` as [`close_trade`](Self::close_trade) does, paying `paid` for the
	/// seller and `to_grid` to the grid account from the escrow (at most the escrow in all).
	/// Of `paid`, the network charge for `delivered_wh` goes to the grid account: the charge
	/// per kWh is at most the trade price (it is at most the feed-in tariff), and `paid`
	/// covers at least the delivered energy at the trade price. The seller's record counts
	/// `seller_wh` delivered: what the seller delivered, which a buyer drawing less than that
	/// does not lower.
	pub(crate) fn close_trade_paying(
		id: TradeId,
		trade: &TradeOf<T>,
		(delivered_wh, seller_wh): (u64, u64),
		outcome: TradeOutcome,
		paid: Balance,
		to_grid: Balance,
	) -> Result<Closed, DispatchError> {
		let paid = paid.min(trade.escrow);
		let to_grid = to_grid.min(trade.escrow - paid);
		let refunded = trade.escrow - paid - to_grid;
		let network_charge = payment(NetworkCharge::<T>::get().min(trade.price), delivered_wh)
			.unwrap_or(paid)
			.min(paid);
		let grid = T::GridAccount::get();
		Self::push_record(TradeRecord {
			trade: id,
			outcome,
			buyer: trade.buyer.clone(),
			seller: trade.seller.clone(),
			energy_wh: trade.energy_wh,
			price: trade.price,
			value: paid,
		})?;
		Self::pay_from_escrow(&trade.buyer, &trade.seller, paid - network_charge)?;
		Self::pay_from_escrow(&trade.buyer, &grid, to_grid.saturating_add(network_charge))?;
		Self::release(&trade.buyer, refunded)?;
		Trades::<T>::remove(id);
		DeliveryRecords::<T>::mutate(&trade.seller, |record| {
			record.trades.saturating_inc();
			if outcome == TradeOutcome::Undelivered {
				record.undelivered.saturating_inc();
			}
			record.contracted_wh.saturating_accrue(trade.energy_wh);
			record.delivered_wh.saturating_accrue(seller_wh.min(trade.energy_wh));
		});
		Ok(Closed { paid: paid - network_charge, network_charge, refunded })
	}

	/// The open trades, oldest first.
	pub fn open_trades() -> Vec<(TradeId, TradeOf<T>)> {
		let mut trades: Vec<_> = Trades::<T>::iter().collect();
		trades.sort_by_key(|(id, _)| *id);
		trades
	}

	/// A seller's delivery record.
	pub fn delivery_record(seller: &T::AccountId) -> DeliveryRecord {
		DeliveryRecords::<T>::get(seller)
	}
}
