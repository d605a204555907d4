//! Taking an offer: the trade it makes, and its escrow.
//!
//! `accept_offer` takes an open offer, in full or, if the offer allows it, in part: a demand
//! is taken by a supplier (a renewable-only demand only by a member attested renewable), a
//! supply by any member, never by the offer's owner. The trade is made at the offer's price;
//! the buyer's payment for it is in escrow (moved from the demand's escrow, or held from the
//! taker of a supply). The offer's price must still be within the price bounds.
//!
//! **The earliest acceptance wins.** Transactions are applied in block order and, inside a
//! block, in extrinsic order; the first acceptance that takes the rest of an offer closes it.
//! A later acceptance of the same offer fails with `OfferClosed` (or `ExceedsRemaining` if a
//! part is left but less than it asks): a failed transaction pays its fee and nothing else.

use crate::{pallet::*, *};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, DefensiveSaturating},
};
use sp_runtime::{traits::Saturating, DispatchError};

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
}
