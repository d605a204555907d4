//! Taking offers: who may take what, escrow, partial fills, and the earliest acceptance.

use crate::{mock::*, *};
use dbm_primitives::membership::Role;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn demand(who: AccountId, terms: OfferTermsOf<Test>, kind: EnergyKind) -> OfferId {
	assert_ok!(EnergyTrade::post_demand(origin(who), terms, kind, false));
	NextOfferId::<Test>::get() - 1
}

fn supply(who: AccountId, terms: OfferTermsOf<Test>) -> OfferId {
	assert_ok!(EnergyTrade::post_supply(origin(who), terms));
	NextOfferId::<Test>::get() - 1
}

#[test]
fn accepting_a_demand_in_full_matches_a_trade() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = demand(ALICE, terms(2_000, 250), EnergyKind::Any);
		assert_ok!(EnergyTrade::accept_offer(origin(CHARLIE), offer, 2_000));
		System::assert_last_event(
			Event::<Test>::OfferAccepted {
				offer,
				trade: 0,
				buyer: ALICE,
				seller: CHARLIE,
				energy_wh: 2_000,
				price: 250,
				value: 500,
			}
			.into(),
		);
		assert!(Offers::<Test>::get(offer).is_none());
		assert!(!OffersOf::<Test>::contains_key(ALICE));
		assert_eq!(OpenDemand::<Test>::get(), 0);
		let trade = Trades::<Test>::get(0).unwrap();
		assert_eq!(
			(trade.buyer, trade.seller, trade.kind, trade.energy_wh, trade.escrow),
			(ALICE, CHARLIE, EnergyKind::Any, 2_000, 500)
		);
		assert_eq!((trade.delivery_start, trade.delivery_end, trade.settle_by), (5, 24, 34));
		assert!(!trade.disputed);
		// The escrow stays on the buyer; the seller is paid at settlement.
		assert_eq!((escrow(ALICE), free(CHARLIE)), (500, ENDOWMENT));
		assert_eq!(
			EnergyTrade::block_trades(),
			vec![TradeRecord {
				trade: 0,
				outcome: TradeOutcome::Matched,
				buyer: ALICE,
				seller: CHARLIE,
				energy_wh: 2_000,
				price: 250,
				value: 500,
			}]
		);
	});
}

#[test]
fn accepting_a_supply_holds_the_buyers_payment() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, terms(4_000, 100));
		assert_ok!(EnergyTrade::accept_offer(origin(EVE), offer, 4_000));
		assert_eq!((escrow(EVE), free(EVE)), (400, ENDOWMENT - 400));
		let trade = Trades::<Test>::get(0).unwrap();
		assert_eq!((trade.buyer, trade.seller, trade.kind), (EVE, BOB, EnergyKind::Renewable));
		assert_eq!(OpenSupply::<Test>::get(), 0);
	});
}

#[test]
fn partial_acceptances_share_the_offer_and_the_last_releases_the_rounding() {
	ExtBuilder::default().build_and_execute(|| {
		// 10 Wh at 250 per kWh: escrow 2; parts of 3 and 7 Wh are worth 0 and 1.
		let offer = demand(ALICE, partial(10, 250), EnergyKind::Any);
		assert_eq!(escrow(ALICE), 2);
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), offer, 3));
		let left = Offers::<Test>::get(offer).unwrap();
		assert_eq!((left.remaining_wh, left.escrow), (7, 2));
		assert_eq!(OpenDemand::<Test>::get(), 7);
		assert_ok!(EnergyTrade::accept_offer(origin(CHARLIE), offer, 7));
		assert!(Offers::<Test>::get(offer).is_none());
		// Trades hold 0 + 1; the remaining 1 went back to Alice.
		assert_eq!(escrow(ALICE), 1);
		assert_eq!(free(ALICE), ENDOWMENT - 1);
		assert_eq!(Trades::<Test>::count(), 2);
	});
}

#[test]
fn an_acceptance_pays_the_weight_of_its_own_case() {
	use crate::weights::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	ExtBuilder::default().build_and_execute(|| {
		let charged = Call::<Test>::accept_offer { offer: 0, energy_wh: 1 }.get_dispatch_info();
		let accept = |who, offer, energy_wh| {
			let post = EnergyTrade::accept_offer(origin(who), offer, energy_wh).unwrap();
			post.calc_actual_weight(&charged)
		};
		let demand = demand(ALICE, partial(10, 250), EnergyKind::Any);
		assert_eq!(accept(BOB, demand, 3), <() as WeightInfo>::accept_demand_partial());
		assert_eq!(accept(CHARLIE, demand, 7), <() as WeightInfo>::accept_demand());
		let supply = supply(BOB, partial(4_000, 100));
		assert_eq!(accept(EVE, supply, 1_000), <() as WeightInfo>::accept_supply_partial());
		assert_eq!(accept(ALICE, supply, 3_000), <() as WeightInfo>::accept_supply());
		// A part leaves the offer in place: less time than the whole charged up front (the
		// proof size is the same bound, the block's whole trade batch).
		for part in [
			<() as WeightInfo>::accept_supply_partial(),
			<() as WeightInfo>::accept_demand_partial(),
		] {
			assert!(part.ref_time() < charged.call_weight.ref_time());
			assert!(part.all_lte(charged.call_weight));
		}
	});
}

#[test]
fn a_full_take_of_a_grid_fallback_demand_releases_the_margin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(1_000, 100),
			EnergyKind::Any,
			true
		));
		assert_eq!(escrow(ALICE), 300);
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), 0, 1_000));
		assert_eq!((escrow(ALICE), free(ALICE)), (100, ENDOWMENT - 100));
	});
}

#[test]
fn the_earliest_acceptance_wins_and_later_ones_pay_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = demand(ALICE, terms(1_000, 200), EnergyKind::Any);
		// Same block: Bob's extrinsic comes first.
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), offer, 1_000));
		assert_noop!(
			EnergyTrade::accept_offer(origin(CHARLIE), offer, 1_000),
			Error::<Test>::OfferClosed
		);
		assert_eq!(Trades::<Test>::get(0).unwrap().seller, BOB);
		// A partial offer: the late taker may take only what is left.
		let offer = supply(BOB, partial(1_000, 200));
		assert_ok!(EnergyTrade::accept_offer(origin(ALICE), offer, 800));
		assert_noop!(
			EnergyTrade::accept_offer(origin(EVE), offer, 300),
			Error::<Test>::ExceedsRemaining
		);
		assert_ok!(EnergyTrade::accept_offer(origin(EVE), offer, 200));
		assert_noop!(EnergyTrade::accept_offer(origin(DAVE), offer, 1), Error::<Test>::OfferClosed);
	});
}

#[test]
fn a_storage_member_trades_on_both_sides() {
	ExtBuilder::default().build_and_execute(|| {
		let wants = demand(ALICE, terms(1_000, 200), EnergyKind::Renewable);
		let sells = supply(BOB, terms(1_000, 150));
		assert_ok!(EnergyTrade::accept_offer(origin(DAVE), wants, 1_000));
		assert_ok!(EnergyTrade::accept_offer(origin(DAVE), sells, 1_000));
		assert_eq!(Trades::<Test>::get(0).unwrap().seller, DAVE);
		assert_eq!(Trades::<Test>::get(1).unwrap().buyer, DAVE);
		assert_eq!(escrow(DAVE), 150);
		demand(DAVE, terms(500, 100), EnergyKind::Any);
		supply(DAVE, terms(500, 100));
	});
}

#[test]
fn accept_fails_for_a_non_member() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, terms(1_000, 100));
		for who in [OUTSIDER, FERDIE] {
			assert_noop!(
				EnergyTrade::accept_offer(origin(who), offer, 1_000),
				Error::<Test>::NotMember
			);
		}
		assert_noop!(
			EnergyTrade::accept_offer(RuntimeOrigin::none(), offer, 1_000),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn accept_fails_with_zero_energy() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, partial(1_000, 100));
		assert_noop!(EnergyTrade::accept_offer(origin(ALICE), offer, 0), Error::<Test>::ZeroEnergy);
	});
}

#[test]
fn accept_fails_for_an_unknown_offer() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), 7, 1_000),
			Error::<Test>::UnknownOffer
		);
	});
}

#[test]
fn accept_fails_for_an_expired_offer() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, terms(1_000, 100));
		run_to_block(9);
		// Block 10 has come but its expiry has not been handled yet.
		System::set_block_number(10);
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 1_000),
			Error::<Test>::OfferExpired
		);
		// Once handled, the offer is closed.
		System::set_block_number(9);
		run_to_block(10);
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 1_000),
			Error::<Test>::OfferClosed
		);
	});
}

#[test]
fn accept_fails_for_ones_own_offer() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(DAVE, terms(1_000, 100));
		assert_noop!(
			EnergyTrade::accept_offer(origin(DAVE), offer, 1_000),
			Error::<Test>::OwnOffer
		);
	});
}

#[test]
fn accept_fails_when_the_owner_is_no_longer_a_member() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = demand(ALICE, terms(1_000, 100), EnergyKind::Any);
		pallet_subchain::Pallet::<Test>::insert_member(&ALICE, member(Role::Consumer, false, true));
		assert_noop!(
			EnergyTrade::accept_offer(origin(BOB), offer, 1_000),
			Error::<Test>::OwnerNotMember
		);
	});
}

#[test]
fn a_demand_cannot_be_taken_by_a_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = demand(ALICE, terms(1_000, 100), EnergyKind::Any);
		assert_noop!(
			EnergyTrade::accept_offer(origin(EVE), offer, 1_000),
			Error::<Test>::NotSupplier
		);
	});
}

#[test]
fn a_renewable_demand_cannot_be_taken_by_a_non_renewable_generator() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = demand(ALICE, terms(1_000, 100), EnergyKind::Renewable);
		assert_noop!(
			EnergyTrade::accept_offer(origin(CHARLIE), offer, 1_000),
			Error::<Test>::NotRenewable
		);
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), offer, 1_000));
		assert_eq!(Trades::<Test>::get(0).unwrap().kind, EnergyKind::Renewable);
	});
}

#[test]
fn accept_fails_for_more_than_is_left() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, partial(1_000, 100));
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 1_001),
			Error::<Test>::ExceedsRemaining
		);
	});
}

#[test]
fn a_whole_offer_cannot_be_taken_in_part() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, terms(1_000, 100));
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 999),
			Error::<Test>::PartialNotAllowed
		);
	});
}

#[test]
fn an_offer_outside_new_bounds_cannot_be_taken() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, terms(1_000, 100));
		assert_ok!(EnergyTrade::set_prices(RuntimeOrigin::root(), 120, 300));
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 1_000),
			Error::<Test>::PriceOutOfBounds
		);
		assert_ok!(EnergyTrade::set_prices(RuntimeOrigin::root(), 100, 300));
		assert_ok!(EnergyTrade::accept_offer(origin(ALICE), offer, 1_000));
	});
}

#[test]
fn accepting_a_supply_fails_without_the_balance() {
	ExtBuilder::default().balance(EVE, 500).build_and_execute(|| {
		// 5,000 Wh at 100 is 500: all of Eve's balance, which would reap her account.
		let offer = supply(BOB, partial(5_000, 100));
		assert_noop!(
			EnergyTrade::accept_offer(origin(EVE), offer, 5_000),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(EnergyTrade::accept_offer(origin(EVE), offer, 4_900));
		assert_eq!(free(EVE), 10);
	});
}

#[test]
fn accept_fails_when_too_many_trades_are_open() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, OfferTerms { expires: 20, ..partial(100, 100) });
		for i in 0..12u64 {
			if i > 0 && i % 6 == 0 {
				run_to_block(System::block_number() + 1);
			}
			assert_ok!(EnergyTrade::accept_offer(origin([ALICE, EVE][i as usize % 2]), offer, 1));
		}
		assert_eq!(Trades::<Test>::count(), 12);
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 1),
			Error::<Test>::TooManyTrades
		);
	});
}

#[test]
fn accept_fails_when_the_blocks_trade_batch_is_full() {
	ExtBuilder::default().build_and_execute(|| {
		let offer = supply(BOB, partial(100, 100));
		for _ in 0..8 {
			assert_ok!(EnergyTrade::accept_offer(origin(ALICE), offer, 1));
		}
		assert_noop!(
			EnergyTrade::accept_offer(origin(ALICE), offer, 1),
			Error::<Test>::TradeBatchFull
		);
		run_to_block(2);
		assert_ok!(EnergyTrade::accept_offer(origin(ALICE), offer, 1));
	});
}
