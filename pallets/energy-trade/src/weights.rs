// Replaced by `make weights` (scripts/benchmark-weights.sh).

#![allow(missing_docs)]

use frame_support::weights::Weight;

/// The weight of each call and hook of `pallet_energy_trade`.
pub trait WeightInfo {
	fn post_demand() -> Weight;
	fn post_supply() -> Weight;
	fn accept_demand() -> Weight;
	fn accept_supply() -> Weight;
	fn cancel_offer() -> Weight;
	fn confirm_delivery() -> Weight;
	fn dispute() -> Weight;
	fn resolve_dispute() -> Weight;
	fn set_prices() -> Weight;
	fn on_initialize_expiries(h: u32) -> Weight;
	fn on_initialize_scan(s: u32) -> Weight;
	fn on_finalize(n: u32) -> Weight;
}

impl WeightInfo for () {
	fn post_demand() -> Weight {
		Weight::zero()
	}
	fn post_supply() -> Weight {
		Weight::zero()
	}
	fn accept_demand() -> Weight {
		Weight::zero()
	}
	fn accept_supply() -> Weight {
		Weight::zero()
	}
	fn cancel_offer() -> Weight {
		Weight::zero()
	}
	fn confirm_delivery() -> Weight {
		Weight::zero()
	}
	fn dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn set_prices() -> Weight {
		Weight::zero()
	}
	fn on_initialize_expiries(_h: u32) -> Weight {
		Weight::zero()
	}
	fn on_initialize_scan(_s: u32) -> Weight {
		Weight::zero()
	}
	fn on_finalize(_n: u32) -> Weight {
		Weight::zero()
	}
}
