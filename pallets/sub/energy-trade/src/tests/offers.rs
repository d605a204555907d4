//! Posting and cancelling offers.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn post_demand_holds_the_most_it_can_cost() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(2_000, 250),
			EnergyKind::Any,
			false
		));
		System::assert_last_event(
			Event::<Test>::OfferPosted {
				offer: 0,
				owner: ALICE,
				side: Side::Demand,
				kind: EnergyKind::Any,
				energy_wh: 2_000,
				price: 250,
				escrow: 500,
			}
			.into(),
		);
		assert_eq!(escrow(ALICE), 500);
		assert_eq!(free(ALICE), ENDOWMENT - 500);
		let offer = Offers::<Test>::get(0).unwrap();
		assert_eq!((offer.remaining_wh, offer.escrow, offer.grid_fallback), (2_000, 500, None));
		assert_eq!(OffersOf::<Test>::get(ALICE).into_inner(), vec![0]);
		assert_eq!(OpenDemand::<Test>::get(), 2_000);
		assert_eq!(NextOfferId::<Test>::get(), 1);
	});
}

#[test]
fn post_demand_with_grid_fallback_holds_the_grid_price() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(2_000, 100),
			EnergyKind::Renewable,
			true
		));
		let offer = Offers::<Test>::get(0).unwrap();
		assert_eq!(offer.grid_fallback, Some(GRID_PRICE));
		assert_eq!(offer.escrow, 600);
		assert_eq!(escrow(ALICE), 600);
	});
}

#[test]
fn post_supply_takes_its_kind_from_the_attestation_and_holds_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(1_000, 120)));
		assert_ok!(EnergyTrade::post_supply(origin(CHARLIE), terms(1_000, 90)));
		// A storage battery sells too.
		assert_ok!(EnergyTrade::post_supply(origin(DAVE), terms(500, 200)));
		System::assert_last_event(
			Event::<Test>::OfferPosted {
				offer: 2,
				owner: DAVE,
				side: Side::Supply,
				kind: EnergyKind::Renewable,
				energy_wh: 500,
				price: 200,
				escrow: 0,
			}
			.into(),
		);
		assert_eq!(Offers::<Test>::get(0).unwrap().kind, EnergyKind::Renewable);
		assert_eq!(Offers::<Test>::get(1).unwrap().kind, EnergyKind::Any);
		assert_eq!(OpenSupply::<Test>::get(), 2_500);
		assert_eq!(escrow(BOB) + escrow(CHARLIE) + escrow(DAVE), 0);
	});
}

#[test]
fn posting_fails_for_a_non_member_or_a_suspended_one() {
	ExtBuilder::default().build_and_execute(|| {
		for who in [OUTSIDER, FERDIE] {
			assert_noop!(
				EnergyTrade::post_demand(origin(who), terms(1_000, 100), EnergyKind::Any, false),
				Error::<Test>::NotMember
			);
			assert_noop!(
				EnergyTrade::post_supply(origin(who), terms(1_000, 100)),
				Error::<Test>::NotMember
			);
		}
		assert_noop!(
			EnergyTrade::post_supply(RuntimeOrigin::root(), terms(1_000, 100)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn post_supply_fails_for_a_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			EnergyTrade::post_supply(origin(ALICE), terms(1_000, 100)),
			Error::<Test>::NotSupplier
		);
	});
}

#[test]
fn posting_fails_with_zero_energy() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), terms(0, 100), EnergyKind::Any, false),
			Error::<Test>::ZeroEnergy
		);
		assert_noop!(
			EnergyTrade::post_supply(origin(BOB), terms(0, 100)),
			Error::<Test>::ZeroEnergy
		);
	});
}

#[test]
fn posting_fails_with_a_price_outside_the_bounds() {
	ExtBuilder::default().build_and_execute(|| {
		for price in [FEED_IN - 1, GRID_PRICE + 1] {
			assert_noop!(
				EnergyTrade::post_demand(
					origin(ALICE),
					terms(1_000, price),
					EnergyKind::Any,
					false
				),
				Error::<Test>::PriceOutOfBounds
			);
			assert_noop!(
				EnergyTrade::post_supply(origin(BOB), terms(1_000, price)),
				Error::<Test>::PriceOutOfBounds
			);
		}
		// The bounds themselves are allowed.
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(1_000, FEED_IN)));
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(1_000, GRID_PRICE)));
	});
}

#[test]
fn posting_fails_with_a_bad_window() {
	ExtBuilder::default().build_and_execute(|| {
		let starts_after_end = OfferTerms { delivery_start: 25, ..terms(1_000, 100) };
		let expires_after_end = OfferTerms { expires: 25, ..terms(1_000, 100) };
		for bad in [starts_after_end, expires_after_end] {
			assert_noop!(
				EnergyTrade::post_demand(origin(ALICE), bad, EnergyKind::Any, false),
				Error::<Test>::InvalidWindow
			);
			assert_noop!(EnergyTrade::post_supply(origin(BOB), bad), Error::<Test>::InvalidWindow);
		}
	});
}

#[test]
fn posting_fails_with_an_expiry_not_in_the_future() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(10);
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), terms(1_000, 100), EnergyKind::Any, false),
			Error::<Test>::ExpiryInPast
		);
		assert_noop!(
			EnergyTrade::post_supply(origin(BOB), terms(1_000, 100)),
			Error::<Test>::ExpiryInPast
		);
	});
}

#[test]
fn posting_fails_beyond_the_horizon() {
	ExtBuilder::default().build_and_execute(|| {
		// Block 1 + MaxHorizon (1000) is the last allowed end.
		let far = OfferTerms { delivery_end: 1_002, ..terms(1_000, 100) };
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), far, EnergyKind::Any, false),
			Error::<Test>::TooFarAhead
		);
		assert_noop!(EnergyTrade::post_supply(origin(BOB), far), Error::<Test>::TooFarAhead);
		assert_ok!(EnergyTrade::post_supply(
			origin(BOB),
			OfferTerms { delivery_start: 990, delivery_end: 1_001, ..terms(1_000, 100) }
		));
	});
}

#[test]
fn posting_fails_when_the_window_covers_too_many_intervals() {
	ExtBuilder::default().build_and_execute(|| {
		// Intervals of 5 blocks, at most 6 of them: blocks 5 to 34 are intervals 1 to 6.
		let longest = OfferTerms { delivery_start: 5, delivery_end: 34, ..terms(1_000, 100) };
		let longer = OfferTerms { delivery_end: 35, ..longest };
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), longer, EnergyKind::Any, false),
			Error::<Test>::WindowTooLong
		);
		assert_noop!(EnergyTrade::post_supply(origin(BOB), longer), Error::<Test>::WindowTooLong);
		assert_ok!(EnergyTrade::post_supply(origin(BOB), longest));
	});
}

#[test]
fn posting_fails_when_price_times_energy_overflows() {
	ExtBuilder::default().prices(0, Balance::MAX).build_and_execute(|| {
		let huge = terms(u64::MAX, Balance::MAX / 2);
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), huge, EnergyKind::Any, false),
			Error::<Test>::PaymentOverflow
		);
		assert_noop!(EnergyTrade::post_supply(origin(BOB), huge), Error::<Test>::PaymentOverflow);
		// With the grid fallback the escrow is at the grid price, which overflows first.
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), terms(2_000, 1), EnergyKind::Any, true),
			Error::<Test>::PaymentOverflow
		);
	});
}

#[test]
fn post_demand_fails_without_the_balance_for_the_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		// 300 per kWh for 3,334 kWh is 1,000,200: more than Alice has.
		assert_noop!(
			EnergyTrade::post_demand(origin(ALICE), terms(3_334_000, 300), EnergyKind::Any, false),
			Error::<Test>::InsufficientBalance
		);
		// All of it but the existential deposit would reap the account: refused too.
		assert_noop!(
			EnergyTrade::post_demand(
				origin(ALICE),
				terms(ENDOWMENT as u64 * 10, 100),
				EnergyKind::Any,
				false
			),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms((ENDOWMENT - ED) as u64 * 10, 100),
			EnergyKind::Any,
			false
		));
		assert_eq!(free(ALICE), ED);
	});
}

#[test]
fn posting_fails_past_the_per_account_limit() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..4 {
			assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(100, 100)));
		}
		assert_noop!(
			EnergyTrade::post_supply(origin(BOB), terms(100, 100)),
			Error::<Test>::TooManyOffers
		);
		assert_noop!(
			EnergyTrade::post_demand(origin(BOB), terms(100, 100), EnergyKind::Any, false),
			Error::<Test>::TooManyOffers
		);
		// Cancelling one makes room.
		assert_ok!(EnergyTrade::cancel_offer(origin(BOB), 2));
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(100, 100)));
		assert_eq!(OffersOf::<Test>::get(BOB).into_inner(), vec![0, 1, 3, 4]);
	});
}

#[test]
fn posting_fails_when_the_order_book_is_full() {
	ExtBuilder::default().build_and_execute(|| {
		for who in [ALICE, EVE, CHARLIE] {
			for _ in 0..4 {
				assert_ok!(EnergyTrade::post_demand(
					origin(who),
					terms(100, 100),
					EnergyKind::Any,
					false
				));
			}
		}
		assert_eq!(Offers::<Test>::count(), 12);
		assert_noop!(
			EnergyTrade::post_supply(origin(BOB), terms(100, 100)),
			Error::<Test>::OrderBookFull
		);
		assert_noop!(
			EnergyTrade::post_demand(origin(DAVE), terms(100, 100), EnergyKind::Any, false),
			Error::<Test>::OrderBookFull
		);
	});
}

#[test]
fn cancelling_a_demand_returns_its_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(2_000, 250),
			EnergyKind::Any,
			true
		));
		assert_eq!(escrow(ALICE), 600);
		assert_ok!(EnergyTrade::cancel_offer(origin(ALICE), 0));
		System::assert_last_event(Event::<Test>::OfferCancelled { offer: 0, refunded: 600 }.into());
		assert_eq!((escrow(ALICE), free(ALICE)), (0, ENDOWMENT));
		assert!(Offers::<Test>::get(0).is_none());
		assert!(!OffersOf::<Test>::contains_key(ALICE));
		assert_eq!(OpenDemand::<Test>::get(), 0);
		assert_eq!(Expiries::<Test>::iter().count(), 0);
	});
}

#[test]
fn cancelling_a_supply_removes_it() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(2_000, 250)));
		assert_ok!(EnergyTrade::cancel_offer(origin(BOB), 0));
		System::assert_last_event(Event::<Test>::OfferCancelled { offer: 0, refunded: 0 }.into());
		assert_eq!(OpenSupply::<Test>::get(), 0);
		assert_eq!(Offers::<Test>::count(), 0);
	});
}

#[test]
fn cancel_fails_for_an_unknown_or_closed_offer() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(EnergyTrade::cancel_offer(origin(ALICE), 0), Error::<Test>::UnknownOffer);
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(100, 100),
			EnergyKind::Any,
			false
		));
		assert_ok!(EnergyTrade::cancel_offer(origin(ALICE), 0));
		assert_noop!(EnergyTrade::cancel_offer(origin(ALICE), 0), Error::<Test>::OfferClosed);
	});
}

#[test]
fn cancel_fails_for_someone_else() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(100, 100),
			EnergyKind::Any,
			false
		));
		assert_noop!(EnergyTrade::cancel_offer(origin(EVE), 0), Error::<Test>::NotOwner);
		assert_noop!(EnergyTrade::cancel_offer(RuntimeOrigin::root(), 0), DispatchError::BadOrigin);
	});
}

#[test]
fn a_removed_member_can_still_cancel() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(100, 100),
			EnergyKind::Any,
			false
		));
		pallet_subchain::Pallet::<Test>::take_member(&ALICE);
		assert_ok!(EnergyTrade::cancel_offer(origin(ALICE), 0));
		assert_eq!(escrow(ALICE), 0);
	});
}
