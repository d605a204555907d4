//! Benchmarks of the proof check every call of the inbox makes: its cost grows with the
//! proof's size (every node is hashed once).

use super::*;
use dbm_primitives::parent_state;
use dbm_primitives::proof::trie;
use frame_benchmarking::v2::*;

#[benchmarks]
mod benches {
	use super::*;

	/// Reading one entry from a proof of `b` bytes (beyond the entry's own nodes).
	#[benchmark]
	fn check_proof(b: Linear<0, 60_000>) -> Result<(), BenchmarkError> {
		let key = parent_state::outbox_key(Destination::Subchain(SubchainId(1)), 0);
		let (root, proof) = trie(&[
			(key.clone(), alloc::vec![7u8; 64]),
			(b"padding".to_vec(), alloc::vec![1u8; b as usize]),
		]);
		let at = T::Parent::finalized_for_benchmarks(root);
		let value: Option<[u8; 64]>;
		#[block]
		{
			value = Pallet::<T>::read(at, proof, &key)
				.map_err(|_| BenchmarkError::Stop("the proof does not verify"))?;
		}
		assert_eq!(value, Some([7u8; 64]));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
