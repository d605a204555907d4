//! Price bounds, the reference price and the genesis config.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_runtime::{BuildStorage, DispatchError};

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn the_price_origin_sets_the_bounds() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(EnergyTrade::set_prices(RuntimeOrigin::root(), 50, 400));
		System::assert_last_event(
			Event::<Test>::PricesSet { feed_in_tariff: 50, grid_price: 400 }.into(),
		);
		assert_eq!((FeedInTariff::<Test>::get(), GridPrice::<Test>::get()), (50, 400));
		// Equal bounds fix the price.
		assert_ok!(EnergyTrade::set_prices(RuntimeOrigin::root(), 200, 200));
	});
}

#[test]
fn set_prices_fails_with_the_tariff_above_the_grid_price() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			EnergyTrade::set_prices(RuntimeOrigin::root(), 301, 300),
			Error::<Test>::InvalidPriceBounds
		);
	});
}

#[test]
fn set_prices_fails_for_anyone_else() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(EnergyTrade::set_prices(origin(ALICE), 50, 400), DispatchError::BadOrigin);
	});
}

#[test]
fn the_reference_price_follows_the_open_offers() {
	ExtBuilder::default().build_and_execute(|| {
		let prices = EnergyTrade::prices();
		assert_eq!(
			prices,
			MarketPrices {
				feed_in_tariff: FEED_IN,
				grid_price: GRID_PRICE,
				reference: FEED_IN,
				open_supply_wh: 0,
				open_demand_wh: 0,
				network_charge: 0,
			}
		);
		// Demand only: the grid price.
		assert_ok!(EnergyTrade::post_demand(
			origin(ALICE),
			terms(4_000, 200),
			EnergyKind::Any,
			false
		));
		assert_eq!(EnergyTrade::prices().reference, GRID_PRICE);
		// Supply half the demand: 80 * 300 / (220 / 2 + 80) = 126.
		assert_ok!(EnergyTrade::post_supply(origin(BOB), partial(2_000, 150)));
		let prices = EnergyTrade::prices();
		assert_eq!((prices.open_supply_wh, prices.open_demand_wh), (2_000, 4_000));
		assert_eq!(prices.reference, 126);
		// Supply covers demand: the feed-in tariff.
		assert_ok!(EnergyTrade::post_supply(origin(CHARLIE), terms(2_000, 150)));
		assert_eq!(EnergyTrade::prices().reference, FEED_IN);
		// Taking energy removes it from both sides of the ratio.
		assert_ok!(EnergyTrade::accept_offer(origin(EVE), 1, 1_000));
		assert_eq!(EnergyTrade::prices().open_supply_wh, 3_000);
	});
}

#[test]
fn genesis_sets_the_bounds() {
	ExtBuilder::default().prices(10, 20).build_and_execute(|| {
		assert_eq!((FeedInTariff::<Test>::get(), GridPrice::<Test>::get()), (10, 20));
	});
}

#[test]
#[should_panic(
	expected = "energy-trade genesis: the feed-in tariff (21) is above the grid price (20)"
)]
fn genesis_refuses_a_tariff_above_the_grid_price() {
	let _ = ExtBuilder::default().prices(21, 20).genesis().build_storage();
}

#[test]
#[should_panic(
	expected = "energy-trade genesis: the network charge (81) is above the feed-in tariff (80)"
)]
fn genesis_refuses_a_network_charge_above_the_tariff() {
	let _ = ExtBuilder::default().charge(FEED_IN + 1).genesis().build_storage();
}

#[test]
fn the_price_origin_sets_the_network_charge_up_to_the_feed_in_tariff() {
	ExtBuilder::default().charge(10).build_and_execute(|| {
		assert_eq!(EnergyTrade::prices().network_charge, 10);
		assert_ok!(EnergyTrade::set_network_charge(RuntimeOrigin::root(), FEED_IN));
		System::assert_last_event(Event::<Test>::NetworkChargeSet { per_kwh: FEED_IN }.into());
		assert_eq!(NetworkCharge::<Test>::get(), FEED_IN);
		assert_eq!(EnergyTrade::prices().network_charge, FEED_IN);

		assert_noop!(
			EnergyTrade::set_network_charge(RuntimeOrigin::root(), FEED_IN + 1),
			Error::<Test>::NetworkChargeAboveFeedInTariff
		);
		assert_noop!(EnergyTrade::set_network_charge(origin(ALICE), 0), DispatchError::BadOrigin);
		// Nor may the tariff fall below the charge.
		assert_noop!(
			EnergyTrade::set_prices(RuntimeOrigin::root(), FEED_IN - 1, GRID_PRICE),
			Error::<Test>::NetworkChargeAboveFeedInTariff
		);
		assert_ok!(EnergyTrade::set_network_charge(RuntimeOrigin::root(), 0));
		assert_ok!(EnergyTrade::set_prices(RuntimeOrigin::root(), 0, GRID_PRICE));
	});
}

#[test]
fn the_config_passes_the_integrity_test() {
	ExtBuilder::default().build_and_execute(|| {
		<EnergyTrade as Hooks<u64>>::integrity_test();
	});
}
