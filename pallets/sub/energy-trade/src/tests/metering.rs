//! Signed meter readings, and trades settled from them.
//!
//! `matched()` (from the settlement tests) is trade 0: Alice buys 2,000 Wh from Bob at 250 per
//! kWh (escrow 500), delivery from block 5 to 24, which are intervals 1 to 4.

use super::settlement::{matched, origin};
use crate::{mock::*, *};
use dbm_primitives::membership::{Dispute, Message};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_core::Pair;
use sp_runtime::DispatchError;

/// Submits `who`'s signed reading of `interval`, by an outsider.
fn read(who: AccountId, interval: IntervalIndex, exported_wh: u64, imported_wh: u64) {
	let counter = u64::from(interval) + 1;
	let (reading, signature) = signed_reading(who, interval, exported_wh, imported_wh, counter);
	let info = EnergyTrade::submit_reading(origin(OUTSIDER), reading, signature)
		.expect("a valid reading is recorded");
	assert_eq!(info.pays_fee, Pays::No, "a valid reading is free");
}

/// Each of intervals 1 to 4, as it ends: Bob's meter reads `seller` exported and Alice's
/// `buyer` imported. Leaves the chain at block 25.
fn read_window(seller: u64, buyer: u64) {
	for k in 1..=4u32 {
		run_to_block(u64::from(k + 1) * INTERVAL);
		read(BOB, k, seller, 0);
		read(ALICE, k, 0, buyer);
	}
}

fn metered_event() -> Option<Event<Test>> {
	trade_events()
		.into_iter()
		.rev()
		.find(|e| matches!(e, Event::TradeMetered { .. } | Event::ReadingsDisagree { .. }))
}

#[test]
fn a_reading_is_recorded_for_the_meters_member() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		read(BOB, 1, 700, 30);
		System::assert_last_event(
			Event::<Test>::ReadingRecorded {
				who: BOB,
				interval: 1,
				exported_wh: 700,
				imported_wh: 30,
			}
			.into(),
		);
		assert_eq!(
			Metered::<Test>::get(1, BOB),
			Some(IntervalEnergy { exported_wh: 700, imported_wh: 30, ..Default::default() })
		);
		let state = pallet_subchain::Meters::<Test>::get(BOB).unwrap();
		assert_eq!((state.last_interval, state.counter), (Some(1), 2));
		// A suspended member's meter still reads: its open trades still settle.
		read(FERDIE, 1, 0, 10);
	});
}

#[test]
fn readings_are_refused_by_name_and_a_refused_one_pays() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(20); // interval 4: intervals 1 to 3 are over, 0 is the oldest readable.
		read(BOB, 2, 100, 0);
		let submit = |(reading, signature): (MeterReading<AccountId>, MeterSignature)| {
			EnergyTrade::submit_reading(origin(OUTSIDER), reading, signature)
		};
		assert_noop!(
			EnergyTrade::submit_reading(
				RuntimeOrigin::none(),
				signed_reading(ALICE, 3, 0, 0, 1).0,
				signed_reading(ALICE, 3, 0, 0, 1).1
			),
			DispatchError::BadOrigin
		);
		// Another sub-chain's reading, signed as such.
		let (mut other, _) = signed_reading(ALICE, 3, 0, 0, 1);
		other.subchain = dbm_primitives::SubchainId(2);
		let signature = other.sign(&meter_pair(ALICE));
		assert_noop!(submit((other, signature)), Error::<Test>::WrongSubchain);
		// A meter nobody registered: Outsider's.
		assert_noop!(submit(signed_reading(OUTSIDER, 3, 0, 0, 1)), Error::<Test>::UnknownMeter);
		// Alice's meter signing a reading for Bob: it measures only Alice's connection.
		let (mut for_bob, _) = signed_reading(ALICE, 3, 500, 0, 1);
		for_bob.member = BOB;
		let signature = for_bob.sign(&meter_pair(ALICE));
		assert_noop!(submit((for_bob, signature)), Error::<Test>::WrongMember);
		// Forged: Alice's meter named, Bob's meter signed; or a figure changed after signing.
		let (reading, _) = signed_reading(ALICE, 3, 0, 500, 1);
		let forged = reading.sign(&meter_pair(BOB));
		assert_noop!(submit((reading, forged)), Error::<Test>::BadMeterSignature);
		let (mut reading, signature) = signed_reading(ALICE, 3, 0, 500, 1);
		reading.imported_wh = 5;
		assert_noop!(submit((reading, signature)), Error::<Test>::BadMeterSignature);
		// A refused reading is charged.
		let error = submit((reading, signature)).unwrap_err();
		assert_eq!(error.post_info.pays_fee, Pays::Yes);
		// Interval 4 is not over; 5 is ahead.
		assert_noop!(submit(signed_reading(ALICE, 4, 0, 0, 1)), Error::<Test>::FutureInterval);
		assert_noop!(submit(signed_reading(ALICE, 5, 0, 0, 1)), Error::<Test>::FutureInterval);
		// Replayed, or before the last read interval.
		assert_noop!(submit(signed_reading(BOB, 2, 100, 0, 3)), Error::<Test>::ReadingOutOfOrder);
		assert_noop!(submit(signed_reading(BOB, 1, 100, 0, 3)), Error::<Test>::ReadingOutOfOrder);
		// The meter's counter must grow (its last was 3).
		assert_noop!(
			submit(signed_reading(BOB, 3, 100, 0, 3)),
			Error::<Test>::CounterNotIncreasing
		);
		// Too old: at block 40 (interval 8) the oldest readable interval is 5.
		run_to_block(40);
		assert_noop!(submit(signed_reading(ALICE, 4, 0, 0, 1)), Error::<Test>::StaleReading);
		read(ALICE, 5, 0, 0);
	});
}

#[test]
fn a_revoked_meters_readings_cannot_be_replayed_by_a_new_registration() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(10);
		read(BOB, 1, 100, 0);
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), BOB, None));
		assert_noop!(
			EnergyTrade::submit_reading(
				origin(OUTSIDER),
				signed_reading(BOB, 1, 100, 0, 5).0,
				signed_reading(BOB, 1, 100, 0, 5).1
			),
			Error::<Test>::UnknownMeter
		);
		// Registered again, the meter has read nothing; but interval 1 is read already.
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), BOB, Some(meter_of(BOB))));
		let (reading, signature) = signed_reading(BOB, 1, 100, 0, 2);
		assert_noop!(
			EnergyTrade::submit_reading(origin(OUTSIDER), reading, signature),
			Error::<Test>::AlreadyRead
		);
	});
}

#[test]
fn meters_that_agree_settle_the_trade_without_anyones_word() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		read_window(500, 500);
		let info = EnergyTrade::settle_trade(origin(OUTSIDER), trade).expect("it settles");
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			metered_event(),
			Some(Event::TradeMetered {
				trade,
				seller_wh: 2_000,
				buyer_wh: 2_000,
				delivered_wh: 2_000,
				paid: 500,
				network_charge: 0,
				to_grid: 0,
				imbalance_owed: 0,
				imbalance_paid: 0,
				refunded: 0,
			})
		);
		assert_eq!((free(BOB), free(ALICE), escrow(ALICE)), (ENDOWMENT + 500, ENDOWMENT - 500, 0));
		assert!(!Trades::<Test>::contains_key(trade));
		assert_eq!(Expiries::<Test>::iter().count(), 0);
		assert_eq!(EnergyTrade::delivery_record(&BOB).delivered_wh, 2_000);
		assert_eq!(
			EnergyTrade::block_trades()[0].outcome,
			TradeOutcome::Delivered { delivered_wh: 2_000 }
		);
		// The energy is taken: none of it can settle another trade.
		assert!((1..=4).all(|k| Metered::<Test>::get(k, BOB).unwrap().export_left() == 0));
		assert!((1..=4).all(|k| Metered::<Test>::get(k, ALICE).unwrap().import_left() == 0));
	});
}

#[test]
fn a_metered_settlement_pays_the_network_charge_for_what_both_meters_show() {
	ExtBuilder::default().charge(20).build_and_execute(|| {
		let trade = matched();
		// Bob delivers 2,000; Alice draws 1,840: 1,840 Wh went over the network.
		read_window(500, 460);
		let grid = free(GRID);
		assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), trade));
		// As without a charge (487 for Bob, 13 back), less 20/kWh for 1,840 Wh (36) to the
		// grid account.
		assert_eq!(
			metered_event(),
			Some(Event::TradeMetered {
				trade,
				seller_wh: 2_000,
				buyer_wh: 1_840,
				delivered_wh: 1_840,
				paid: 451,
				network_charge: 36,
				to_grid: 0,
				imbalance_owed: 0,
				imbalance_paid: 0,
				refunded: 13,
			})
		);
		assert_eq!((free(BOB), free(GRID)), (ENDOWMENT + 451, grid + 36));
	});
}

#[test]
fn a_seller_short_within_the_tolerance_owes_the_grid_the_difference() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		// Bob delivers 1,900 of 2,000 Wh; Alice draws 2,000: the grid supplied 100.
		read_window(475, 500);
		let grid = free(GRID);
		assert_ok!(EnergyTrade::settle_trade(origin(ALICE), trade));
		// 250/kWh for 1,900 Wh to Bob; 250/kWh for 100 Wh from the escrow and (300 - 250)/kWh
		// for 100 Wh from Bob to the grid.
		assert_eq!(
			metered_event(),
			Some(Event::TradeMetered {
				trade,
				seller_wh: 1_900,
				buyer_wh: 2_000,
				delivered_wh: 1_900,
				paid: 475,
				network_charge: 0,
				to_grid: 25,
				imbalance_owed: 5,
				imbalance_paid: 5,
				refunded: 0,
			})
		);
		assert_eq!(free(GRID), grid + 30);
		assert_eq!(free(BOB), ENDOWMENT + 475 - 5);
		assert_eq!(free(ALICE), ENDOWMENT - 500);
	});
}

#[test]
fn a_seller_pays_what_imbalance_its_balance_allows() {
	// A free trade (a feed-in tariff of 0): the seller is paid nothing it could pay from.
	ExtBuilder::default().prices(0, GRID_PRICE).build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(2_000, 0),
			EnergyKind::Any,
			false
		));
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), 0, 2_000));
		run_to_block(5);
		read_window(475, 500);
		// Bob keeps only the existential deposit and 2 more.
		assert_ok!(Balances::transfer_allow_death(origin(BOB), OUTSIDER, ENDOWMENT - ED - 2));
		let grid = free(GRID);
		assert_ok!(EnergyTrade::settle_trade(origin(ALICE), 0));
		// Bob owes 300/kWh for the 100 Wh the grid supplied, and can pay 2 of the 30.
		assert_eq!(
			metered_event(),
			Some(Event::TradeMetered {
				trade: 0,
				seller_wh: 1_900,
				buyer_wh: 2_000,
				delivered_wh: 1_900,
				paid: 0,
				network_charge: 0,
				to_grid: 0,
				imbalance_owed: 30,
				imbalance_paid: 2,
				refunded: 0,
			})
		);
		assert_eq!((free(BOB), free(GRID)), (ED, grid + 2));
	});
}

#[test]
fn a_buyer_short_within_the_tolerance_pays_the_seller_above_the_feed_in_tariff() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		// Bob delivers 2,000; Alice draws 1,840: 160 Wh went to the grid.
		read_window(500, 460);
		assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), trade));
		// 250/kWh for 1,840 Wh (460) and (250 - 80)/kWh for 160 Wh (27) to Bob; 13 back.
		assert_eq!(
			metered_event(),
			Some(Event::TradeMetered {
				trade,
				seller_wh: 2_000,
				buyer_wh: 1_840,
				delivered_wh: 1_840,
				paid: 487,
				network_charge: 0,
				to_grid: 0,
				imbalance_owed: 0,
				imbalance_paid: 0,
				refunded: 13,
			})
		);
		assert_eq!((free(BOB), free(ALICE)), (ENDOWMENT + 487, ENDOWMENT - 487));
		// Bob's record shows what his meter shows he delivered, not what Alice drew.
		let record = EnergyTrade::delivery_record(&BOB);
		assert_eq!((record.contracted_wh, record.delivered_wh), (2_000, 2_000));
	});
}

#[test]
fn meters_that_disagree_dispute_the_trade_and_take_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		// Bob's meter shows 2,000 delivered, Alice's 1,500 drawn: beyond 10% of 2,000.
		read_window(500, 375);
		let info = EnergyTrade::settle_trade(origin(OUTSIDER), trade).expect("disputed");
		assert_eq!(
			metered_event(),
			Some(Event::ReadingsDisagree { trade, seller_wh: 2_000, buyer_wh: 1_500, nonce: 0 })
		);
		// Reading the window's four intervals, and the dispute, are charged; nothing paid.
		let weight = <() as WeightInfo>::settle_trade(4) + <() as WeightInfo>::dispute();
		assert_eq!((info.actual_weight, info.pays_fee), (Some(weight), Pays::No));
		assert!(Trades::<Test>::get(trade).is_some_and(|t| t.disputed));
		assert_eq!(
			sent(),
			vec![Message::Dispute {
				trade,
				dispute: Dispute {
					by: BOB,
					buyer: ALICE,
					seller: BOB,
					energy_wh: 2_000,
					escrow: 500
				}
			}]
		);
		assert_eq!(Metered::<Test>::get(1, BOB).unwrap().export_taken_wh, 0);
		assert_eq!(escrow(ALICE), 500);
		// The ruling settles it, as any dispute.
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), trade, 1_500));
	});
}

/// Alice buys 2,000 Wh (trade 0) and Eve 1,000 Wh (trade 1) from Bob, both in intervals 1 to
/// 4: 500 and 250 Wh an interval on their schedules.
fn two_trades_of_bob() {
	assert_ok!(EnergyTrade::post_demand(origin(ALICE), terms(2_000, 250), EnergyKind::Any, false));
	assert_ok!(EnergyTrade::post_demand(origin(EVE), terms(1_000, 250), EnergyKind::Any, false));
	assert_ok!(EnergyTrade::accept_offer(origin(BOB), 0, 2_000));
	assert_ok!(EnergyTrade::accept_offer(origin(BOB), 1, 1_000));
}

/// Each of intervals 1 to 4, as it ends: Bob exports `bob`, Alice imports 500, Eve 250.
fn read_two_trades(bob: u64) {
	for k in 1..=4u32 {
		run_to_block(u64::from(k + 1) * INTERVAL);
		read(BOB, k, bob, 0);
		read(ALICE, k, 0, 500);
		read(EVE, k, 0, 250);
	}
}

#[test]
fn a_members_trades_in_the_same_intervals_each_take_their_share_whichever_settles_first() {
	for first in [0, 1] {
		ExtBuilder::default().build_and_execute(|| {
			two_trades_of_bob();
			read_two_trades(750);
			for trade in [first, 1 - first] {
				assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), trade));
				let energy = if trade == 0 { 2_000 } else { 1_000 };
				assert!(matches!(
					metered_event(),
					Some(Event::TradeMetered { trade: t, delivered_wh, .. })
						if t == trade && delivered_wh == energy
				));
			}
			assert!((1..=4).all(|k| Metered::<Test>::get(k, BOB).unwrap().export_left() == 0));
			assert_eq!(free(BOB), ENDOWMENT + 500 + 250);
		});
	}
}

#[test]
fn a_member_short_of_its_trades_shares_serves_the_trades_settled_first() {
	ExtBuilder::default().build_and_execute(|| {
		two_trades_of_bob();
		read_two_trades(500);
		// Eve's trade settles first and takes its 250 of each of Bob's intervals.
		assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), 1));
		assert!(matches!(metered_event(), Some(Event::TradeMetered { delivered_wh: 1_000, .. })));
		assert!((1..=4).all(|k| Metered::<Test>::get(k, BOB).unwrap().export_left() == 250));
		// Bob has 1,000 left for Alice's 2,000: the meters disagree.
		assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), 0));
		assert_eq!(
			metered_event(),
			Some(Event::ReadingsDisagree { trade: 0, seller_wh: 1_000, buyer_wh: 2_000, nonce: 0 })
		);
		assert_eq!(sent().len(), 1);
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), 0, 1_000));
	});
}

#[test]
fn a_confirmed_trade_takes_its_energy_so_no_other_trade_is_paid_for_it() {
	ExtBuilder::default().build_and_execute(|| {
		two_trades_of_bob();
		run_to_block(5);
		// Alice pays on her word before any reading: her trade books Bob's export and her
		// import of the window.
		assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), 0, 2_000));
		let booking =
			|energy_wh, export| Booking { delivery_start: 5, delivery_end: 24, energy_wh, export };
		assert_eq!(Bookings::<Test>::get(BOB).into_inner(), vec![booking(2_000, true)]);
		assert_eq!(Bookings::<Test>::get(ALICE).into_inner(), vec![booking(2_000, false)]);
		assert_eq!(free(BOB), ENDOWMENT + 500);
		// Bob exports only what Alice bought; each reading gives Alice's trade its share.
		read_two_trades(500);
		assert!((1..=4).all(|k| Metered::<Test>::get(k, BOB).unwrap().export_left() == 0));
		assert!((1..=4).all(|k| Metered::<Test>::get(k, ALICE).unwrap().import_left() == 0));
		assert!(!Bookings::<Test>::contains_key(BOB), "the window is read: its booking is done");
		assert!(!Bookings::<Test>::contains_key(ALICE));
		// Eve's trade finds nothing of Bob's export left: Bob is not paid twice.
		assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), 1));
		assert_eq!(
			metered_event(),
			Some(Event::ReadingsDisagree { trade: 1, seller_wh: 0, buyer_wh: 1_000, nonce: 0 })
		);
		assert_eq!(free(BOB), ENDOWMENT + 500);
	});
}

#[test]
fn a_confirmation_takes_the_intervals_read_at_once_and_books_the_rest() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		for k in 1..=2u32 {
			run_to_block(u64::from(k + 1) * INTERVAL);
			read(BOB, k, 600, 0);
			read(ALICE, k, 0, 450);
		}
		assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000));
		for k in 1..=2 {
			let (bob, alice) = (Metered::<Test>::get(k, BOB), Metered::<Test>::get(k, ALICE));
			assert_eq!(bob.unwrap().export_taken_wh, 500, "its share, not all Bob exported");
			assert_eq!(alice.unwrap().import_taken_wh, 450, "all Alice drew, under its share");
		}
		assert_eq!(Bookings::<Test>::get(BOB)[0].energy_wh, 2_000);
		run_to_block(20);
		read(BOB, 3, 900, 0);
		assert_eq!(Metered::<Test>::get(3, BOB).unwrap().export_left(), 400);
		assert!(Bookings::<Test>::contains_key(BOB), "interval 4 is still to come");
		// The meter skips interval 4 and reads 5: the window is over, the booking done.
		run_to_block(30);
		read(BOB, 5, 100, 0);
		assert!(!Bookings::<Test>::contains_key(BOB));
		assert_eq!(Metered::<Test>::get(5, BOB).unwrap().export_left(), 100);
	});
}

#[test]
fn the_buyers_word_cannot_pay_a_seller_whose_meter_shows_less() {
	// Bob's share of interval 1 is 500; the tolerance is 10% of 2,000.
	for (bob, ok) in [(299, false), (300, true)] {
		ExtBuilder::default().build_and_execute(|| {
			let trade = matched();
			run_to_block(10);
			read(BOB, 1, bob, 0);
			if ok {
				// Within the tolerance it is the buyer's call.
				assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000));
				assert_eq!(Metered::<Test>::get(1, BOB).unwrap().export_left(), 0);
			} else {
				assert_noop!(
					EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000),
					Error::<Test>::SellerMeterShort
				);
			}
		});
	}
}

#[test]
fn a_members_bookings_are_bounded_and_merged_per_window() {
	ExtBuilder::default().build_and_execute(|| {
		// Bob takes five demands, all of intervals 1 to 4: Alice's starting at blocks 5, 6 and
		// 5 again, Eve's at 7 and 8.
		for (who, start) in [(ALICE, 5), (ALICE, 6), (ALICE, 5), (EVE, 7), (EVE, 8)] {
			let terms = OfferTerms { delivery_start: start, ..terms(1_000, 250) };
			assert_ok!(EnergyTrade::post_demand(origin(who), terms, EnergyKind::Any, false));
		}
		for offer in 0..5 {
			assert_ok!(EnergyTrade::accept_offer(origin(BOB), offer, 1_000));
		}
		run_to_block(8);
		for (who, trade) in [(ALICE, 0), (ALICE, 1), (ALICE, 2), (EVE, 3)] {
			assert_ok!(EnergyTrade::confirm_delivery(origin(who), trade, 1_000));
		}
		let bob = Bookings::<Test>::get(BOB);
		assert_eq!(bob.len(), 3, "the two trades of one window share a booking");
		assert_eq!(bob[0].energy_wh, 2_000);
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(EVE), 4, 1_000),
			Error::<Test>::BookingsFull
		);
		// Once the windows are read, there is room again.
		for k in 1..=4u32 {
			run_to_block(u64::from(k + 1) * INTERVAL);
			read(BOB, k, 1_500, 0);
			read(ALICE, k, 0, 1_000);
			read(EVE, k, 0, 1_000);
		}
		assert!(!Bookings::<Test>::contains_key(BOB));
		assert_ok!(EnergyTrade::confirm_delivery(origin(EVE), 4, 1_000));
		assert!(!Bookings::<Test>::contains_key(BOB), "read through: nothing left to book");
		// Each trade took its share of interval 4: by the blocks of its window in it.
		let shares: u64 = [(2_000, 5), (1_000, 6), (1_000, 7), (1_000, 8)]
			.map(|(energy, start)| EnergyTrade::share(energy, start, 24, 4))
			.iter()
			.sum();
		assert_eq!(shares, 500 + 264 + 278 + 295);
		assert_eq!(Metered::<Test>::get(4, BOB).unwrap().export_taken_wh, shares);
	});
}

#[test]
fn a_ruling_takes_what_the_readings_show_and_stands_whatever_they_show() {
	ExtBuilder::default().build_and_execute(|| {
		two_trades_of_bob();
		run_to_block(5);
		assert_ok!(EnergyTrade::dispute(origin(ALICE), 0));
		read_two_trades(500);
		// The ruling: 1,000 delivered, 250 an interval on the schedule.
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), 0, 1_000));
		assert!((1..=4).all(|k| Metered::<Test>::get(k, BOB).unwrap().export_left() == 250));
		// Eve's trade gets the rest.
		assert_ok!(EnergyTrade::settle_trade(origin(OUTSIDER), 1));
		assert!(matches!(metered_event(), Some(Event::TradeMetered { delivered_wh: 1_000, .. })));
		// Bob is paid once for each Wh his meter shows.
		assert_eq!(free(BOB), ENDOWMENT + 250 + 250);
	});
}

#[test]
fn settling_from_readings_is_refused_by_name() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_noop!(
			EnergyTrade::settle_trade(RuntimeOrigin::none(), trade),
			DispatchError::BadOrigin
		);
		assert_noop!(EnergyTrade::settle_trade(origin(BOB), 7), Error::<Test>::UnknownTrade);
		// Nobody has read; then only the seller up to the last interval.
		assert_noop!(EnergyTrade::settle_trade(origin(BOB), trade), Error::<Test>::ReadingsMissing);
		for k in 1..=4u32 {
			run_to_block(u64::from(k + 1) * INTERVAL);
			read(BOB, k, 500, 0);
		}
		read(ALICE, 3, 0, 500);
		assert_noop!(EnergyTrade::settle_trade(origin(BOB), trade), Error::<Test>::ReadingsMissing);
		read(ALICE, 4, 0, 500);
		// A full batch waits for the next block.
		let record = EnergyTrade::block_trades().first().cloned();
		BlockTrades::<Test>::mutate(|batch| {
			let filler = record.clone().unwrap_or(TradeRecord {
				trade: 99,
				outcome: TradeOutcome::Undelivered,
				buyer: EVE,
				seller: DAVE,
				energy_wh: 1,
				price: 100,
				value: 0,
			});
			while batch.try_push(filler.clone()).is_ok() {}
		});
		assert_noop!(EnergyTrade::settle_trade(origin(BOB), trade), Error::<Test>::TradeBatchFull);
		BlockTrades::<Test>::kill();
		// Disputed by a party: only the ruling settles it.
		assert_ok!(EnergyTrade::dispute(origin(ALICE), trade));
		assert_noop!(EnergyTrade::settle_trade(origin(BOB), trade), Error::<Test>::TradeDisputed);
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), trade, 0));
	});
}

#[test]
fn settling_after_the_settlement_period_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		read_window(500, 500);
		// Block 34 is the trade's `settle_by`, before its expiry is handled.
		System::set_block_number(34);
		assert_noop!(
			EnergyTrade::settle_trade(origin(BOB), trade),
			Error::<Test>::SettlementClosed
		);
		// Its expiry refunds the buyer as before (the queue passes at most 4 blocks a block).
		System::set_block_number(33);
		run_to_block(36);
		assert!(!Trades::<Test>::contains_key(trade));
		assert_eq!(escrow(ALICE), 0);
	});
}

#[test]
fn readings_are_pruned_once_no_open_trade_can_cover_them() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		read_window(500, 500);
		assert_ok!(EnergyTrade::settle_trade(origin(BOB), trade));
		assert_eq!(Metered::<Test>::iter().count(), 8);
		// At block 65 the oldest interval an open trade may cover is interval(55) - 6 = 5.
		run_to_block(64);
		assert!(Metered::<Test>::iter().count() > 0);
		run_to_block(80);
		assert_eq!(Metered::<Test>::iter().count(), 0);
		assert!(PruneCursor::<Test>::get().is_some_and(|cursor| cursor >= 5));
	});
}

#[test]
fn a_meter_signs_only_its_own_reading() {
	// The mock's meters are distinct keys, none of them an account's.
	let keys: Vec<_> = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE].map(meter_of).into();
	for (i, key) in keys.iter().enumerate() {
		assert!(keys[i + 1..].iter().all(|other| other != key));
	}
	let (reading, signature) = signed_reading(BOB, 1, 1, 1, 1);
	assert!(reading.verify(&signature));
	assert!(!reading.verify(&meter_pair(ALICE).sign(&reading.signing_payload())));
}
