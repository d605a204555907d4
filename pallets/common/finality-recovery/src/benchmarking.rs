//! Benchmarks: the two reports and the three paths of the block hook, each over `n` voters.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::traits::Hooks;

/// `n` voter keys from the keystore, in key order.
fn voters(n: u32) -> Vec<(AuthorityId, AuthorityWeight)> {
	(0..n)
		.map(|i| {
			let seed = alloc::format!("//voter{i}");
			(AuthorityId::generate_pair(Some(seed.into_bytes())), 1)
		})
		.collect()
}

fn sign(key: &AuthorityId, payload: &[u8]) -> AuthoritySignature {
	key.sign(&payload).expect("the key is in the keystore")
}

/// `MAX_SETS` remembered sets of the same `n` voters, ids 0 to `MAX_SETS - 1`, the newest in
/// force.
fn remembered<T: Config>(n: u32) -> Vec<(AuthorityId, AuthorityWeight)> {
	let voters = voters(n);
	let sets: Vec<VoterSet<T>> = (0..MAX_SETS as u64)
		.map(|id| VoterSet {
			id,
			from: Zero::zero(),
			voters: BoundedVec::truncate_from(voters.clone()),
		})
		.collect();
	Sets::<T>::put(BoundedVec::truncate_from(sets));
	pallet_grandpa::CurrentSetId::<T>::put(MAX_SETS as u64 - 1);
	pallet_grandpa::Authorities::<T>::put(sp_runtime::WeakBoundedVec::force_from(
		voters.clone(),
		None,
	));
	voters
}

fn report_of<T: Config>(set_id: SetId, voter: &AuthorityId) -> Report<T> {
	Report { set_id, voter: voter.clone(), finalized: 1u32.into(), at: 10u32.into() }
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A report of the newest set, after every other voter reported every set (the most the
	/// duplicate check reads).
	#[benchmark]
	fn report_stall(n: Linear<4, 32>) {
		frame_system::Pallet::<T>::set_block_number(10u32.into());
		let voters = remembered::<T>(n);
		let newest = MAX_SETS as u64 - 1;
		let held: Vec<Report<T>> = (0..MAX_SETS as u64)
			.flat_map(|id| voters.iter().map(move |(key, _)| (id, key.clone())))
			.filter(|(id, key)| !(*id == newest && *key == voters[0].0))
			.map(|(id, key)| report_of::<T>(id, &key))
			.collect();
		Reports::<T>::put(BoundedVec::truncate_from(held));
		let report =
			StallReport { set_id: newest, finalized: 5u32.into(), voter: voters[0].0.clone() };
		let signature = sign(&report.voter, &stall_payload(&Pallet::<T>::genesis(), &report));

		#[extrinsic_call]
		_(frame_system::RawOrigin::None, report, signature);

		assert_eq!(Reports::<T>::get().len() as u32, MAX_SETS * n);
	}

	/// The last of `n` sidelined voters reports its return.
	#[benchmark]
	fn report_return(n: Linear<4, 32>) {
		let voters = remembered::<T>(n);
		Sidelined::<T>::put(BoundedVec::truncate_from(voters.clone()));
		let returning: Vec<AuthorityId> =
			voters.iter().take(n as usize - 1).map(|(key, _)| key.clone()).collect();
		Returning::<T>::put(BoundedVec::truncate_from(returning));
		let report =
			ReturnReport { set_id: MAX_SETS as u64 - 1, voter: voters[n as usize - 1].0.clone() };
		let signature = sign(&report.voter, &return_payload(&Pallet::<T>::genesis(), &report));

		#[extrinsic_call]
		_(frame_system::RawOrigin::None, report, signature);

		assert_eq!(Returning::<T>::get().len() as u32, n);
	}

	/// The hook when nothing is forced: it follows a governance change (a fifth set, so the
	/// oldest is forgotten) and prunes every report, all expired.
	#[benchmark]
	fn on_initialize_idle(n: Linear<4, 32>) {
		let voters = remembered::<T>(n);
		pallet_grandpa::CurrentSetId::<T>::put(MAX_SETS as u64);
		let held: Vec<Report<T>> = (0..MAX_SETS as u64)
			.flat_map(|id| voters.iter().map(move |(key, _)| (id, key.clone())))
			.map(|(id, key)| report_of::<T>(id, &key))
			.collect();
		Reports::<T>::put(BoundedVec::truncate_from(held));
		let now: BlockNumberFor<T> = T::ReportLifetime::get().saturating_add(100u32.into());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert!(Reports::<T>::get().is_empty());
		assert_eq!(Sets::<T>::get().last().map(|set| set.id), Some(MAX_SETS as u64));
	}

	/// The hook forces a change: more than half of the newest set's voters reported, the
	/// older sets were checked first.
	#[benchmark]
	fn on_initialize_force(n: Linear<4, 32>) {
		let voters = remembered::<T>(n);
		let newest = MAX_SETS as u64 - 1;
		let held: Vec<Report<T>> = voters
			.iter()
			.take(n as usize / 2 + 1)
			.map(|(key, _)| report_of::<T>(newest, key))
			.collect();
		Reports::<T>::put(BoundedVec::truncate_from(held));
		// The reports are older than the grace.
		let now: BlockNumberFor<T> = T::ReportGrace::get().saturating_add(12u32.into());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert!(Enacting::<T>::get().is_some());
		assert_eq!(Sidelined::<T>::get().len() as u32, n - (n / 2 + 1));
	}

	/// The hook takes half of `n` voters back.
	#[benchmark]
	fn on_initialize_return(n: Linear<4, 32>) {
		let voters = remembered::<T>(n);
		let (kept, out) = voters.split_at(n as usize / 2);
		pallet_grandpa::Authorities::<T>::put(sp_runtime::WeakBoundedVec::force_from(
			kept.to_vec(),
			None,
		));
		Sidelined::<T>::put(BoundedVec::truncate_from(out.to_vec()));
		Returning::<T>::put(BoundedVec::truncate_from(
			out.iter().map(|(key, _)| key.clone()).collect::<Vec<_>>(),
		));
		let now: BlockNumberFor<T> = 12u32.into();
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert!(Sidelined::<T>::get().is_empty());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_bench_ext(), crate::mock::Test);
}
