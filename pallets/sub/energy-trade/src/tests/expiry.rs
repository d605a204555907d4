//! Expiry of offers, the external grid, and the trade root in the header.

use crate::{mock::*, *};
use frame_support::{assert_ok, traits::Hooks};
use sp_core::H256;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn an_expired_demand_returns_its_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			partial(2_000, 250),
			EnergyKind::Any,
			false
		));
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), 0, 400));
		run_to_block(9);
		assert!(Offers::<Test>::get(0).is_some());
		run_to_block(10);
		System::assert_last_event(
			Event::<Test>::OfferExpired { offer: 0, untaken_wh: 1_600, refunded: 400 }.into(),
		);
		assert!(Offers::<Test>::get(0).is_none());
		assert_eq!(OpenDemand::<Test>::get(), 0);
		// Only the trade's escrow is left.
		assert_eq!(escrow(ALICE), 100);
		assert!(EnergyTrade::block_trades().is_empty());
	});
}

#[test]
fn an_expired_supply_is_removed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(2_000, 250)));
		run_to_block(10);
		System::assert_last_event(
			Event::<Test>::OfferExpired { offer: 0, untaken_wh: 2_000, refunded: 0 }.into(),
		);
		assert_eq!((Offers::<Test>::count(), OpenSupply::<Test>::get()), (0, 0));
		assert!(!OffersOf::<Test>::contains_key(BOB));
	});
}

#[test]
fn unmatched_demand_with_a_grid_fallback_is_bought_from_the_grid() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			partial(2_000, 100),
			EnergyKind::Any,
			true
		));
		assert_eq!(escrow(ALICE), 600);
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), 0, 500));
		// The grid raising its price later does not change what the escrow covers.
		assert_ok!(EnergyTrade::set_prices(RuntimeOrigin::root(), FEED_IN, 400));
		run_to_block(10);
		let events = trade_events();
		assert!(events.contains(&Event::<Test>::GridPurchase {
			offer: 0,
			trade: 1,
			buyer: ALICE,
			energy_wh: 1_500,
			price: GRID_PRICE,
			value: 450,
		}));
		// 600 - 50 (Bob's trade) - 450 (the grid) = 100 back to Alice.
		System::assert_last_event(
			Event::<Test>::OfferExpired { offer: 0, untaken_wh: 1_500, refunded: 100 }.into(),
		);
		assert_eq!(free(GRID), ENDOWMENT + 450);
		assert_eq!((escrow(ALICE), free(ALICE)), (50, ENDOWMENT - 500));
		assert_eq!(
			EnergyTrade::block_trades(),
			vec![TradeRecord {
				trade: 1,
				outcome: TradeOutcome::GridSupplied,
				buyer: ALICE,
				seller: GRID,
				energy_wh: 1_500,
				price: GRID_PRICE,
				value: 450,
			}]
		);
		assert_eq!(NextTradeId::<Test>::get(), 2);
	});
}

#[test]
fn a_grid_purchase_that_cannot_be_paid_releases_the_escrow() {
	// No grid account, and 30 Wh at 300 (9) is below the existential deposit.
	ExtBuilder::default().balance(GRID, 0).build_and_execute(|| {
		assert_ok!(EnergyTrade::post_demand(origin(ALICE), terms(30, 100), EnergyKind::Any, true));
		run_to_block(10);
		let events = trade_events();
		assert!(events.contains(&Event::<Test>::GridPurchaseFailed { offer: 0 }));
		System::assert_last_event(
			Event::<Test>::OfferExpired { offer: 0, untaken_wh: 30, refunded: 9 }.into(),
		);
		assert_eq!((free(ALICE), free(GRID)), (ENDOWMENT, 0));
		assert!(EnergyTrade::block_trades().is_empty());
	});
}

#[test]
fn a_long_expiry_queue_carries_over_in_order() {
	ExtBuilder::default().build_and_execute(|| {
		for who in [BOB, CHARLIE] {
			for _ in 0..3 {
				assert_ok!(EnergyTrade::post_supply(origin(who), terms(100, 100)));
			}
		}
		run_to_block(10);
		// Four entries per block.
		assert_eq!(Offers::<Test>::count(), 2);
		assert_eq!(ExpiryCursor::<Test>::get(), 10);
		run_to_block(11);
		assert_eq!(Offers::<Test>::count(), 0);
		assert_eq!(ExpiryCursor::<Test>::get(), 12);
	});
}

#[test]
fn each_header_carries_the_root_of_its_blocks_trades() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(origin(BOB), partial(3_000, 100)));
		for who in [ALICE, EVE, DAVE] {
			assert_ok!(EnergyTrade::accept_offer(origin(who), 0, 1_000));
		}
		let records = EnergyTrade::block_trades();
		assert_eq!(records.len(), 3);
		EnergyTrade::on_finalize(1);
		let header = System::finalize();
		let root = TradeRoot::find(&header.digest).expect("the header has a trade root");
		assert_eq!(root, TradeRoot::of(&records));
		assert_eq!(root.count, 3);
		for index in 0..3 {
			let proof = EnergyTrade::trade_proof(index).unwrap();
			assert_eq!(proof.record, records[index as usize]);
			assert!(proof.verify(&root));
		}
		assert!(EnergyTrade::trade_proof(3).is_none());

		// The next block starts with an empty batch, and its header says so.
		System::initialize(&2, &header.hash(), &Default::default());
		EnergyTrade::on_initialize(2);
		assert!(EnergyTrade::block_trades().is_empty());
		EnergyTrade::on_finalize(2);
		let header = System::finalize();
		assert_eq!(
			TradeRoot::find(&header.digest),
			Some(TradeRoot { root: H256::zero(), count: 0 })
		);
	});
}
