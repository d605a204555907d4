//! Benchmarks of the member registry's calls.

use super::*;
use dbm_primitives::dbsca::NodeAttributes;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};

fn info(suspended: bool) -> MemberInfo {
	MemberInfo { role: Role::Generator, attested: NodeAttributes::default(), suspended }
}

/// Fills the registry up to one below `MaxMembers`, with at least one member named
/// `account("member", 0, 0)`.
fn fill<T: Config>() {
	let present = Members::<T>::count();
	for i in 0..T::MaxMembers::get().saturating_sub(1).saturating_sub(present).max(1) {
		Pallet::<T>::insert_member(&account("member", i, 0), info(false));
	}
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn add_member() -> Result<(), BenchmarkError> {
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill::<T>();
		let who: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), info(false));
		assert!(Members::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn update_member() -> Result<(), BenchmarkError> {
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill::<T>();
		let who: T::AccountId = account("member", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), info(true));
		assert_eq!(Members::<T>::get(&who).map(|m| m.suspended), Some(true));
		Ok(())
	}

	#[benchmark]
	fn remove_member() -> Result<(), BenchmarkError> {
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill::<T>();
		let who: T::AccountId = account("member", 0, 0);
		// With its meter, which leaves with it.
		let meter = MeterKey::from_raw([1; 32]);
		Pallet::<T>::insert_meter(&who, MeterState::new(meter, Some(9)));
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Members::<T>::contains_key(&who));
		assert!(!MeterOwners::<T>::contains_key(meter));
		Ok(())
	}

	/// The worst case: a member's meter replaced by another (both keys looked up, the old
	/// one's owner removed, the new one's written).
	#[benchmark]
	fn set_meter() -> Result<(), BenchmarkError> {
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill::<T>();
		let who: T::AccountId = account("member", 0, 0);
		let old = MeterKey::from_raw([1; 32]);
		Pallet::<T>::insert_meter(
			&who,
			MeterState { key: old, last_interval: Some(9), counter: 9 },
		);
		let new = MeterKey::from_raw([2; 32]);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Some(new));
		assert_eq!(Meters::<T>::get(&who).map(|m| (m.key, m.last_interval)), Some((new, Some(9))));
		assert!(!MeterOwners::<T>::contains_key(old));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(Some(1)), crate::mock::Test);
}
