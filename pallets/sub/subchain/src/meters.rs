//! The members' meters: which key signs each member's readings, and how far they have read.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Gives member `who` the meter `meter`, or revokes its meter: what `set_meter` does.
	pub(crate) fn do_set_meter(who: &T::AccountId, meter: Option<MeterKey>) -> DispatchResult {
		ensure!(Members::<T>::contains_key(who), Error::<T>::NotMember);
		let old = Meters::<T>::get(who);
		ensure!(old.map(|m| m.key) != meter, Error::<T>::MeterUnchanged);
		if let Some(key) = meter {
			ensure!(!MeterOwners::<T>::contains_key(key), Error::<T>::MeterInUse);
		}
		if let Some(old) = old {
			MeterOwners::<T>::remove(old.key);
		}
		match meter {
			// A new device starts its own counter; the member's readings stay in order.
			Some(key) => {
				Self::insert_meter(who, MeterState::new(key, old.and_then(|m| m.last_interval)))
			}
			None => Meters::<T>::remove(who),
		}
		Ok(())
	}

	/// Records `state` as member `who`'s meter. Only for genesis, `set_meter` and benchmarks
	/// of pallets that need meters: it checks nothing.
	pub fn insert_meter(who: &T::AccountId, state: MeterState) {
		MeterOwners::<T>::insert(state.key, who.clone());
		Meters::<T>::insert(who, state);
	}
}

impl<T: Config> MeterRegistry<T::AccountId> for Pallet<T> {
	fn subchain() -> Option<SubchainId> {
		Id::<T>::get()
	}

	fn meter_owner(meter: &MeterKey) -> Option<(T::AccountId, MeterState)> {
		let who = MeterOwners::<T>::get(meter)?;
		let state = Meters::<T>::get(&who)?;
		Some((who, state))
	}

	fn meter_of(who: &T::AccountId) -> Option<MeterState> {
		Meters::<T>::get(who)
	}

	fn note_reading(who: &T::AccountId, interval: IntervalIndex, counter: u64) {
		Meters::<T>::mutate_exists(who, |meter| {
			if let Some(meter) = meter {
				meter.last_interval = Some(interval);
				meter.counter = counter;
			}
		});
	}
}
