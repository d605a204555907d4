//! `CheckTradeBatch`: a full trade batch keeps record-adding transactions out of the block.

use crate::{mock::*, weights::WeightInfo, *};
use frame_support::{assert_ok, dispatch::GetDispatchInfo, weights::Weight};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Applies `call` from `who` through the extension, the call itself not dispatched.
fn apply(who: AccountId, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
	let info = call.get_dispatch_info();
	CheckTradeBatch::<Test>::new()
		.test_run(origin(who), call, &info, 0, 0, |_| Ok(().into()))
		.map(|_| ())
}

fn accept(offer: OfferId) -> RuntimeCall {
	RuntimeCall::EnergyTrade(Call::accept_offer { offer, energy_wh: 1 })
}

#[test]
fn a_full_batch_exhausts_the_block_for_calls_that_add_records() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(
			origin(BOB),
			OfferTerms { delivery_start: 1, ..partial(100, 100) }
		));
		for _ in 0..7 {
			assert_ok!(apply(ALICE, &accept(0)));
			assert_ok!(EnergyTrade::accept_offer(origin(ALICE), 0, 1));
		}
		// Room for one more: the last record goes in, then the batch is full.
		assert_ok!(apply(ALICE, &accept(0)));
		assert_ok!(EnergyTrade::accept_offer(origin(ALICE), 0, 1));
		assert!(!EnergyTrade::has_batch_room());

		let exhausted =
			Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources));
		assert_eq!(apply(ALICE, &accept(0)), exhausted);
		let confirm =
			RuntimeCall::EnergyTrade(Call::confirm_delivery { trade: 0, delivered_wh: 1 });
		assert_eq!(apply(ALICE, &confirm), exhausted);
		let ruling = RuntimeCall::EnergyTrade(Call::resolve_dispute { trade: 0, delivered_wh: 1 });
		assert_eq!(apply(ALICE, &ruling), exhausted);
		let settle = RuntimeCall::EnergyTrade(Call::settle_trade { trade: 0 });
		assert_eq!(apply(ALICE, &settle), exhausted);
		// Calls that add no record are not held back.
		let post = RuntimeCall::EnergyTrade(Call::post_supply { terms: partial(100, 100) });
		assert_ok!(apply(BOB, &post));
		let cancel = RuntimeCall::EnergyTrade(Call::cancel_offer { offer: 0 });
		assert_ok!(apply(BOB, &cancel));
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		assert_ok!(apply(ALICE, &remark));

		// The next block has an empty batch.
		run_to_block(2);
		assert_ok!(apply(ALICE, &accept(0)));
		assert_ok!(apply(ALICE, &confirm));
	});
}

#[test]
fn the_transaction_pool_never_sees_a_full_batch() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::post_supply(origin(BOB), partial(100, 100)));
		for _ in 0..8 {
			assert_ok!(EnergyTrade::accept_offer(origin(ALICE), 0, 1));
		}
		assert!(!EnergyTrade::has_batch_room());
		// Validation is against the latest block's state; the next block starts a new batch.
		let call = accept(0);
		assert_ok!(CheckTradeBatch::<Test>::new().validate_only(
			origin(ALICE),
			&call,
			&call.get_dispatch_info(),
			0,
			TransactionSource::External,
			0,
		));
	});
}

#[test]
fn only_calls_that_add_records_pay_for_the_check() {
	ExtBuilder::default().build_and_execute(|| {
		let ext = CheckTradeBatch::<Test>::new();
		let check = <() as WeightInfo>::check_trade_batch();
		assert!(check.any_gt(Weight::zero()));
		assert_eq!(ext.weight(&accept(0)), check);
		let confirm =
			RuntimeCall::EnergyTrade(Call::confirm_delivery { trade: 0, delivered_wh: 1 });
		assert_eq!(ext.weight(&confirm), check);
		let post = RuntimeCall::EnergyTrade(Call::post_supply { terms: partial(100, 100) });
		assert_eq!(ext.weight(&post), Weight::zero());
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		assert_eq!(ext.weight(&remark), Weight::zero());
	});
}
