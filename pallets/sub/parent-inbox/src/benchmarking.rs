//! Benchmarks of the proof check every call of the inbox makes (its cost grows with the
//! proof's size: every node is hashed once), of following the parent's forced change (by the
//! headers hashed and the votes checked) and of the block hook that notes a new parent set.

use super::*;
use alloc::{vec, vec::Vec};
use codec::{Decode, Encode};
use dbm_primitives::finality::{
	forced_change_item, justification, precommit_payload, signed_precommit, AuthorityId,
};
use dbm_primitives::parent_state;
use dbm_primitives::proof::trie;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
};

/// Bytes a benchmark parent header takes (parent headers are a couple of hundred).
const HEADER_BYTES: usize = 512;

/// The `i`-th parent voter's key, in the benchmark keystore.
fn voter(i: u32) -> AuthorityId {
	let seed = alloc::format!("//parent-voter-{i}").into_bytes();
	sp_io::crypto::ed25519_generate(sp_core::crypto::key_types::GRANDPA, Some(seed)).into()
}

/// Parent header `number` on `parent`, with `item` in its digest, padded to
/// [`HEADER_BYTES`].
fn header(number: ParentBlockNumber, parent: H256, item: Option<DigestItem>) -> ParentHeader {
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(*b"aura", 7u64.encode()));
	if let Some(item) = item {
		digest.push(item);
	}
	let bare = ParentHeader::new(number, H256::zero(), H256::zero(), parent, digest.clone());
	let room = HEADER_BYTES.saturating_sub(bare.encode().len() + 5);
	digest.push(DigestItem::Other(vec![0; room]));
	ParentHeader::new(number, H256::zero(), H256::zero(), parent, digest)
}

/// The light client at parent header 10 with `n` voters of set 0; their list.
fn light_client<T: Config>(n: u32) -> Result<(AuthorityList, ParentHeader), BenchmarkError> {
	T::Parent::finalized_for_benchmarks(H256::zero());
	let voters: AuthorityList = (0..n).map(|i| (voter(i), 1)).collect();
	let finalized = header(10, H256::repeat_byte(1), None);
	T::Parent::follow(0, voters.clone(), finalized.clone())
		.map_err(|_| BenchmarkError::Stop("the light client takes the benchmark's set"))?;
	ParentSetStart::<T>::kill();
	Ok((voters, finalized))
}

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

	/// Following a forced change through `h` headers (the first forces it from `p + 1` voters
	/// to `p`) with a justification of the last by all `p`. The call is charged for its
	/// justification's ancestry headers as for as many more headers.
	#[benchmark]
	fn follow_parent_forced_change(
		h: Linear<2, { T::MaxForcedHeaders::get() }>,
		p: Linear<1, { T::MaxParentVoters::get().saturating_sub(1).max(1) }>,
	) -> Result<(), BenchmarkError> {
		let (voters, finalized) = light_client::<T>(p + 1)?;
		let next: AuthorityList = voters[..p as usize].to_vec();
		let mut headers: Vec<ParentHeader> = Vec::new();
		for number in 11..11 + h {
			let parent = headers.last().map_or(finalized.hash(), |last| last.hash());
			let item = (number == 11).then(|| forced_change_item(next.clone(), 1, 10));
			headers.push(header(number, parent, item));
		}
		let last = headers.last().cloned().ok_or(BenchmarkError::Weightless)?;
		let target = (last.hash(), *last.number());
		let precommits = next
			.iter()
			.map(|(id, _)| {
				let public: sp_core::ed25519::Public = id.clone().into();
				let signature = sp_io::crypto::ed25519_sign(
					sp_core::crypto::key_types::GRANDPA,
					&public,
					&precommit_payload(1, 1, target),
				)
				.expect("the voter's key is in the benchmark keystore");
				signed_precommit(target, signature.into(), id.clone())
			})
			.collect();
		let justification = justification(1, target, precommits, Vec::new());
		let justification = ParentJustification::decode(&mut &justification.encode()[..])
			.map_err(|_| BenchmarkError::Stop("the justification types encode alike"))?;
		let headers: BoundedVec<_, _> =
			headers.try_into().map_err(|_| BenchmarkError::Stop("the headers fit"))?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), headers, justification);

		assert_eq!(ParentSetStart::<T>::get(), Some((1, 13)));
		assert_eq!(T::Parent::light_client().map(|client| client.finalized.1), Some(10 + h));
		Ok(())
	}

	/// The block hook when the light client's set is the one noted (the most voters).
	#[benchmark]
	fn on_initialize_same_set() -> Result<(), BenchmarkError> {
		light_client::<T>(T::MaxParentVoters::get())?;
		#[block]
		{
			assert!(!Pallet::<T>::note_set_start());
		}
		assert_eq!(ParentSetStart::<T>::get(), None);
		Ok(())
	}

	/// The block hook when the light client's set is new (the most voters).
	#[benchmark]
	fn on_initialize_new_set() -> Result<(), BenchmarkError> {
		let (voters, finalized) = light_client::<T>(T::MaxParentVoters::get())?;
		T::Parent::follow(1, voters, finalized)
			.map_err(|_| BenchmarkError::Stop("the light client takes the benchmark's set"))?;
		#[block]
		{
			assert!(Pallet::<T>::note_set_start());
		}
		assert_eq!(ParentSetStart::<T>::get(), Some((1, 11)));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
