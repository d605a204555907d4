//! Offers: demands and supplies, posted, cancelled, and the order book.
//!
//! * **Demands** (`post_demand`): any active member bids for energy of a kind (renewable only,
//!   or any) at a limit price, for a delivery window, open until an expiry block. The most the
//!   buyer can pay is **held in escrow** on the buyer's account (a `pallet-balances` hold,
//!   [`HoldReason::Escrow`]). With `grid_fallback`, whatever is still unmatched at expiry is
//!   bought from the external grid (below), and the escrow is taken at the grid price so it
//!   covers that.
//! * **Supplies** (`post_supply`): a member whose role supplies power (a generator or a
//!   storage battery) asks a price for energy it will deliver. Its kind is renewable when the
//!   member was attested renewable.
//!
//! Storage members act on both sides. Only active members of the sub-chain (`T::Members`, the
//! member list the join / kick flow keeps) trade; a suspended or removed member's offers can
//! no longer be taken and expire.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{Fortitude, Preservation},
		DefensiveSaturating,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::Saturating, DispatchError};

impl<T: Config> Pallet<T> {
	/// `who` as an active member.
	pub(crate) fn active_member(who: &T::AccountId) -> Result<MemberInfo, Error<T>> {
		T::Members::active_member(who).ok_or(Error::<T>::NotMember)
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
		let (first, last) = Self::window_intervals(terms.delivery_start, terms.delivery_end);
		ensure!(
			last.saturating_sub(first) < T::MaxDeliveryIntervals::get(),
			Error::<T>::WindowTooLong
		);
		Ok(())
	}

	/// Fails unless `who` can put `amount` in escrow and keep its account alive.
	pub(crate) fn ensure_can_pay(who: &T::AccountId, amount: Balance) -> DispatchResult {
		let spendable =
			T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= amount, Error::<T>::InsufficientBalance);
		Ok(())
	}

	/// Open offer `id`; `OfferClosed` if it existed once, `UnknownOffer` if it never did.
	pub(crate) fn open_offer(id: OfferId) -> Result<OfferOf<T>, Error<T>> {
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
	pub(crate) fn remove_offer(id: OfferId, offer: &OfferOf<T>) {
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

	/// `who` cancels offer `id`.
	pub fn do_cancel(who: T::AccountId, id: OfferId) -> DispatchResult {
		let offer = Self::open_offer(id)?;
		ensure!(offer.owner == who, Error::<T>::NotOwner);
		Self::remove_offer(id, &offer);
		Self::release(&offer.owner, offer.escrow)?;
		Self::deposit_event(Event::OfferCancelled { offer: id, refunded: offer.escrow });
		Ok(())
	}

	/// The open offers, oldest first.
	pub fn open_offers() -> Vec<(OfferId, OfferOf<T>)> {
		let mut offers: Vec<_> = Offers::<T>::iter().collect();
		offers.sort_by_key(|(id, _)| *id);
		offers
	}
}
