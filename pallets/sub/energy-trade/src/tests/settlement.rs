//! Meter readings, the buyer's confirmation, disputes and undelivered trades.

use crate::{mock::*, *};
use dbm_primitives::membership::{Dispute, Message};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Permill};

pub(super) fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Alice buys 2,000 Wh from Bob at 250 per kWh (escrow 500): trade 0, delivery from block 5
/// to 24, settlement until block 34. Leaves the chain at block 5.
pub(super) fn matched() -> TradeId {
	assert_ok!(EnergyTrade::post_demand(origin(ALICE), terms(2_000, 250), EnergyKind::Any, false));
	assert_ok!(EnergyTrade::accept_offer(origin(BOB), 0, 2_000));
	run_to_block(5);
	0
}

#[test]
fn a_settlement_and_a_ruling_pay_the_network_charge_out_of_the_sellers_proceeds() {
	ExtBuilder::default().charge(20).build_and_execute(|| {
		let trade = matched();
		let grid = free(GRID);
		assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000));
		// 250 per kWh for 2 kWh: 500, of which 20 per kWh (40) for the network.
		System::assert_last_event(
			Event::<Test>::TradeSettled {
				trade,
				delivered_wh: 2_000,
				paid: 460,
				network_charge: 40,
				refunded: 0,
			}
			.into(),
		);
		assert_eq!(
			(free(BOB), free(ALICE), free(GRID)),
			(ENDOWMENT + 460, ENDOWMENT - 500, grid + 40)
		);
		// The trade's record keeps what the buyer paid for the energy.
		assert_eq!(EnergyTrade::block_trades()[0].value, 500);

		// A ruling of 1 kWh delivered: 250 for it, 20 of that to the network, 250 back.
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(2_000, 250),
			EnergyKind::Any,
			false
		));
		assert_ok!(EnergyTrade::accept_offer(origin(BOB), 1, 2_000));
		let disputed = EnergyTrade::open_trades()[0].0;
		assert_ok!(EnergyTrade::dispute(origin(ALICE), disputed));
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), disputed, 1_000));
		System::assert_last_event(
			Event::<Test>::DisputeResolved {
				trade: disputed,
				delivered_wh: 1_000,
				paid: 230,
				network_charge: 20,
				refunded: 250,
			}
			.into(),
		);
		assert_eq!(free(GRID), grid + 60);
	});
}

#[test]
fn the_buyer_confirms_full_delivery() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000));
		System::assert_last_event(
			Event::<Test>::TradeSettled {
				trade,
				delivered_wh: 2_000,
				paid: 500,
				network_charge: 0,
				refunded: 0,
			}
			.into(),
		);
		assert_eq!((free(BOB), free(ALICE)), (ENDOWMENT + 500, ENDOWMENT - 500));
	});
}

#[test]
fn settlement_fails_for_an_unknown_trade() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), 3, 1),
			Error::<Test>::UnknownTrade
		);
	});
}

#[test]
fn settlement_fails_for_anyone_but_the_buyer() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		for who in [BOB, EVE, OUTSIDER] {
			assert_noop!(
				EnergyTrade::confirm_delivery(origin(who), trade, 2_000),
				Error::<Test>::NotBuyer
			);
		}
		assert_noop!(
			EnergyTrade::confirm_delivery(RuntimeOrigin::root(), trade, 2_000),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_buyer_cannot_confirm_a_partial_delivery() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), trade, 1_999),
			Error::<Test>::PartialConfirmation
		);
	});
}

#[test]
fn settlement_fails_for_more_than_agreed() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_001),
			Error::<Test>::ExceedsAgreed
		);
	});
}

#[test]
fn settlement_fails_before_the_delivery_window() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(origin(BOB), terms(1_000, 100)));
		assert_ok!(EnergyTrade::accept_offer(origin(ALICE), 0, 1_000));
		run_to_block(4);
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), 0, 1_000),
			Error::<Test>::DeliveryNotStarted
		);
	});
}

#[test]
fn settlement_fails_once_the_period_is_over() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		// Block 34 has come but its refund has not been handled yet.
		System::set_block_number(34);
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000),
			Error::<Test>::SettlementClosed
		);
		assert_noop!(EnergyTrade::dispute(origin(ALICE), trade), Error::<Test>::SettlementClosed);
		System::set_block_number(5);
	});
}

#[test]
fn an_unsettled_trade_is_refunded_and_counts_against_the_seller() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		run_to_block(33);
		assert!(Trades::<Test>::get(trade).is_some());
		run_to_block(34);
		assert!(trade_events().contains(&Event::<Test>::TradeUndelivered {
			trade,
			seller: BOB,
			refunded: 500
		}));
		assert_eq!((free(ALICE), escrow(ALICE), free(BOB)), (ENDOWMENT, 0, ENDOWMENT));
		assert_eq!(
			EnergyTrade::delivery_record(&BOB),
			DeliveryRecord { trades: 1, undelivered: 1, contracted_wh: 2_000, delivered_wh: 0 }
		);
		assert_eq!(EnergyTrade::delivery_record(&BOB).stability(), Permill::zero());
		assert_eq!(EnergyTrade::block_trades()[0].outcome, TradeOutcome::Undelivered);
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000),
			Error::<Test>::UnknownTrade
		);
	});
}

#[test]
fn either_party_may_dispute_and_the_trade_is_frozen() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_ok!(EnergyTrade::dispute(origin(BOB), trade));
		System::assert_last_event(Event::<Test>::TradeDisputed { trade, by: BOB, nonce: 0 }.into());
		assert!(Trades::<Test>::get(trade).unwrap().disputed);
		// The dispute goes to the parent, with what a ruling needs.
		let stored = Trades::<Test>::get(trade).unwrap();
		assert_eq!(
			sent(),
			vec![Message::Dispute {
				trade,
				dispute: Dispute {
					by: BOB,
					buyer: ALICE,
					seller: BOB,
					energy_wh: stored.energy_wh,
					escrow: stored.escrow,
				},
			}]
		);
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), trade, 2_000),
			Error::<Test>::TradeDisputed
		);
		// No refund at the end of the settlement period while the dispute is open.
		run_to_block(40);
		assert!(Trades::<Test>::get(trade).is_some());
		assert_eq!(escrow(ALICE), 500);

		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), trade, 1_000));
		System::assert_last_event(
			Event::<Test>::DisputeResolved {
				trade,
				delivered_wh: 1_000,
				paid: 250,
				network_charge: 0,
				refunded: 250,
			}
			.into(),
		);
		assert_eq!((free(BOB), free(ALICE)), (ENDOWMENT + 250, ENDOWMENT - 250));
		assert_eq!(
			EnergyTrade::block_trades()[0].outcome,
			TradeOutcome::Ruled { delivered_wh: 1_000 }
		);
		assert_eq!(EnergyTrade::delivery_record(&BOB).delivered_wh, 1_000);
	});
}

#[test]
fn the_buyer_may_dispute() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_ok!(EnergyTrade::dispute(origin(ALICE), trade));
		System::assert_last_event(
			Event::<Test>::TradeDisputed { trade, by: ALICE, nonce: 0 }.into(),
		);
	});
}

#[test]
fn a_dispute_the_parent_cannot_be_told_of_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		OUTBOX_FULL.with(|full| full.set(true));
		assert_noop!(
			EnergyTrade::dispute(origin(ALICE), trade),
			DispatchError::Other("the outbox is full")
		);
		assert!(sent().is_empty());
	});
}

#[test]
fn dispute_fails_for_a_third_party() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_noop!(EnergyTrade::dispute(origin(EVE), trade), Error::<Test>::NotAParty);
		assert_noop!(EnergyTrade::dispute(RuntimeOrigin::root(), trade), DispatchError::BadOrigin);
	});
}

#[test]
fn dispute_fails_twice_or_for_an_unknown_trade() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_noop!(EnergyTrade::dispute(origin(ALICE), 9), Error::<Test>::UnknownTrade);
		assert_ok!(EnergyTrade::dispute(origin(ALICE), trade));
		assert_noop!(EnergyTrade::dispute(origin(BOB), trade), Error::<Test>::TradeDisputed);
	});
}

#[test]
fn resolve_fails_for_an_undisputed_or_unknown_trade() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_noop!(
			EnergyTrade::resolve_dispute(RuntimeOrigin::root(), trade, 0),
			Error::<Test>::NotDisputed
		);
		assert_noop!(
			EnergyTrade::resolve_dispute(RuntimeOrigin::root(), 9, 0),
			Error::<Test>::UnknownTrade
		);
	});
}

#[test]
fn resolve_fails_for_more_than_agreed_or_the_wrong_origin() {
	ExtBuilder::default().build_and_execute(|| {
		let trade = matched();
		assert_ok!(EnergyTrade::dispute(origin(ALICE), trade));
		assert_noop!(
			EnergyTrade::resolve_dispute(RuntimeOrigin::root(), trade, 2_001),
			Error::<Test>::ExceedsAgreed
		);
		assert_noop!(
			EnergyTrade::resolve_dispute(origin(STRANGER), trade, 0),
			DispatchError::BadOrigin
		);
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), trade, 0));
		assert_eq!((free(ALICE), free(BOB)), (ENDOWMENT, ENDOWMENT));
	});
}

#[test]
fn settling_fails_when_the_blocks_trade_batch_is_full() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(
			origin(BOB),
			OfferTerms { delivery_start: 1, ..partial(100, 100) }
		));
		for _ in 0..7 {
			assert_ok!(EnergyTrade::accept_offer(origin(ALICE), 0, 1));
		}
		assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), 0, 1));
		// Eight records: full.
		assert_noop!(
			EnergyTrade::confirm_delivery(origin(ALICE), 1, 1),
			Error::<Test>::TradeBatchFull
		);
		assert_ok!(EnergyTrade::dispute(origin(ALICE), 1));
		assert_noop!(
			EnergyTrade::resolve_dispute(RuntimeOrigin::root(), 1, 1),
			Error::<Test>::TradeBatchFull
		);
		run_to_block(2);
		assert_ok!(EnergyTrade::resolve_dispute(RuntimeOrigin::root(), 1, 1));
		assert_ok!(EnergyTrade::confirm_delivery(origin(ALICE), 2, 1));
	});
}
