//! The price bounds and the reference price.
//!
//! The internal price stays between the **feed-in tariff** (what the grid pays for energy fed
//! into it: no seller accepts less) and the **grid price** (what the grid charges: no buyer
//! pays more). Both are in storage and set by `PriceOrigin` (`set_prices`); an offer's price
//! must lie in the bounds when it is posted and when it is taken. The **reference price**
//! ([`reference_price`]) follows the supply / demand ratio of the open offers inside those
//! bounds; the `EnergyTradeApi` runtime API and the node's `energy_prices` RPC expose it.
//!
//! The **network charge** (`set_network_charge`, also by `PriceOrigin`: on a sub-chain the
//! parent's decision) is what the grid account is paid per kWh a trade delivers over the
//! network, out of the seller's proceeds. It never exceeds the feed-in tariff (nor, so, any
//! price in the bounds): a seller keeps at least the trade price less the tariff per kWh.

use crate::{pallet::*, *};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Whether the price bounds are consistent: the feed-in tariff is not above the grid price.
	pub fn valid_bounds(feed_in_tariff: Balance, grid_price: Balance) -> bool {
		dbm_primitives::trade::valid_price_bounds(feed_in_tariff, grid_price)
	}

	/// Sets the price bounds, if consistent: what `set_prices` does.
	pub(crate) fn do_set_prices(feed_in_tariff: Balance, grid_price: Balance) -> DispatchResult {
		ensure!(Self::valid_bounds(feed_in_tariff, grid_price), Error::<T>::InvalidPriceBounds);
		ensure!(
			NetworkCharge::<T>::get() <= feed_in_tariff,
			Error::<T>::NetworkChargeAboveFeedInTariff
		);
		FeedInTariff::<T>::put(feed_in_tariff);
		GridPrice::<T>::put(grid_price);
		Ok(())
	}

	/// Sets the network charge, if at most the feed-in tariff: what `set_network_charge` does.
	pub(crate) fn do_set_network_charge(per_kwh: Balance) -> DispatchResult {
		ensure!(per_kwh <= FeedInTariff::<T>::get(), Error::<T>::NetworkChargeAboveFeedInTariff);
		NetworkCharge::<T>::put(per_kwh);
		Ok(())
	}

	/// Fails unless `price` lies within the current bounds.
	pub(crate) fn ensure_price_in_bounds(price: Balance) -> DispatchResult {
		ensure!(
			(FeedInTariff::<T>::get()..=GridPrice::<T>::get()).contains(&price),
			Error::<T>::PriceOutOfBounds
		);
		Ok(())
	}

	/// The price bounds, the reference price and the open energy.
	pub fn prices() -> MarketPrices<Balance> {
		let (feed_in_tariff, grid_price) = (FeedInTariff::<T>::get(), GridPrice::<T>::get());
		let (open_supply_wh, open_demand_wh) = (OpenSupply::<T>::get(), OpenDemand::<T>::get());
		MarketPrices {
			feed_in_tariff,
			grid_price,
			reference: reference_price(feed_in_tariff, grid_price, open_supply_wh, open_demand_wh),
			open_supply_wh,
			open_demand_wh,
			network_charge: NetworkCharge::<T>::get(),
		}
	}
}
