//! Benchmarks of every call and hook, each in its worst case.

use super::*;
use crate::pallet::*;
use alloc::{vec, vec::Vec};
use codec::Encode;
use dbm_primitives::{
	dbsca::{ElectionStatement, NodeAttributes},
	membership::Role,
	registry::{MAX_BOOT_NODES, MAX_BOOT_NODE_LEN, MAX_COMMITTEE, MAX_LOCATION_LEN, MAX_NAME_LEN},
	trade::TradeOutcome,
	Header,
};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	Permill,
};

type Helper<T> = <T as Config>::BenchmarkHelper;

/// The sub-chain the benchmarks use: above any a genesis registers.
const BENCH: SubchainId = SubchainId(1_000);

fn member_info() -> MemberInfo {
	MemberInfo {
		role: Role::Generator,
		attested: NodeAttributes { renewable: true, ..Default::default() },
		suspended: false,
	}
}

/// A dispute of 2 kWh by the buyer.
fn dispute<T: Config>() -> DisputeOf<T> {
	let (buyer, seller) = (Helper::<T>::account(0), Helper::<T>::account(1));
	Dispute { by: buyer.clone(), buyer, seller, energy_wh: 2_000, escrow: 1_000_000 }
}

/// Starts from no sub-chains but the benchmark's, which has no members.
fn reset<T: Config>() {
	let _ = Subchains::<T>::clear(u32::MAX, None);
	let _ = Members::<T>::clear(u32::MAX, None);
	let _ = MemberOf::<T>::clear(u32::MAX, None);
	let _ = MemberCount::<T>::clear(u32::MAX, None);
	let _ = Elections::<T>::clear(u32::MAX, None);
	let _ = Reelections::<T>::clear(u32::MAX, None);
	let _ = LastAnchor::<T>::clear(u32::MAX, None);
	let _ = Anchors::<T>::clear(u32::MAX, None);
	let _ = AnchorEpochs::<T>::clear(u32::MAX, None);
	let _ = Disputes::<T>::clear(u32::MAX, None);
	let _ = DisputeCount::<T>::clear(u32::MAX, None);
	register::<T>(BENCH);
}

/// Registers `id` with every field at its largest.
fn register<T: Config>(id: SubchainId) {
	Pallet::<T>::do_register(
		id,
		vec![b'n'; MAX_NAME_LEN as usize],
		vec![b'l'; MAX_LOCATION_LEN as usize],
		H256::zero(),
		H256::repeat_byte(1),
		vec![vec![b'b'; MAX_BOOT_NODE_LEN as usize]; MAX_BOOT_NODES as usize],
	)
	.expect("a fresh id registers");
}

/// `n` signing members of the benchmark's sub-chain, accounts `0..n`.
fn members<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let who = Helper::<T>::account(i);
			Pallet::<T>::do_add_member(BENCH, &who, member_info()).expect("room for members");
			who
		})
		.collect()
}

/// `n` trade records.
fn records<T: Config>(
	n: u32,
	buyer: &T::AccountId,
	seller: &T::AccountId,
) -> Vec<TradeRecordOf<T>> {
	(0..n)
		.map(|i| TradeRecord {
			trade: i.into(),
			outcome: TradeOutcome::Delivered { delivered_wh: u64::MAX },
			buyer: buyer.clone(),
			seller: seller.clone(),
			energy_wh: u64::MAX,
			price: Balance::MAX,
			value: Balance::MAX,
		})
		.collect()
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn register_subchain() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = SubchainId(BENCH.0 + 1);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			id,
			vec![b'n'; MAX_NAME_LEN as usize],
			vec![b'l'; MAX_LOCATION_LEN as usize],
			H256::zero(),
			H256::zero(),
			vec![vec![b'b'; MAX_BOOT_NODE_LEN as usize]; MAX_BOOT_NODES as usize],
		);
		assert!(Subchains::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn set_boot_nodes() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let nodes = vec![vec![b'c'; MAX_BOOT_NODE_LEN as usize]; MAX_BOOT_NODES as usize];
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, nodes);
		assert_eq!(Subchains::<T>::get(BENCH).map(|s| s.boot_nodes[0][0]), Some(b'c'));
		Ok(())
	}

	#[benchmark]
	fn set_status() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::RegistryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, SubchainStatus::Paused);
		assert_eq!(Subchains::<T>::get(BENCH).map(|s| s.status), Some(SubchainStatus::Paused));
		Ok(())
	}

	#[benchmark]
	fn add_member() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		members::<T>(T::MaxMembers::get() - 1);
		let who = Helper::<T>::account(T::MaxMembers::get());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, who.clone(), member_info());
		assert_eq!(MemberOf::<T>::get(&who), Some(BENCH));
		Ok(())
	}

	#[benchmark]
	fn update_member() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = members::<T>(1).remove(0);
		let suspended = MemberInfo { suspended: true, ..member_info() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), suspended);
		assert_eq!(MemberCount::<T>::get(BENCH), (1, 0));
		Ok(())
	}

	#[benchmark]
	fn remove_member() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::MembershipOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = members::<T>(1).remove(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(MemberOf::<T>::get(&who).is_none());
		Ok(())
	}

	/// `c` members, all confirming a full committee.
	#[benchmark]
	fn submit_election(c: Linear<1, { T::MaxMembers::get() }>) {
		reset::<T>();
		let all = members::<T>(c);
		let committee: Vec<_> =
			all.iter().cycle().take(MAX_COMMITTEE.min(c) as usize).cloned().collect();
		let payload = ElectionStatement::new(BENCH, 1, committee.clone()).signing_payload();
		let confirmations: Vec<_> =
			all.iter().map(|who| (who.clone(), Helper::<T>::sign(who, &payload))).collect();
		let relayer = Helper::<T>::account(u32::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), BENCH, 1, committee, confirmations);
		assert_eq!(Elections::<T>::get(BENCH).map(|e| e.round), Some(1));
	}

	#[benchmark]
	fn request_reelection() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ElectionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let excluded = Helper::<T>::account(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, Some(excluded));
		assert!(Reelections::<T>::contains_key(BENCH));
		Ok(())
	}

	#[benchmark]
	fn set_score_weights() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ElectionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let weights = ScoreWeights {
			renewable: Permill::from_percent(25),
			environmental: Permill::from_percent(25),
			cost: Permill::from_percent(25),
			stability: Permill::from_percent(25),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, weights);
		Ok(())
	}

	/// A ruling on an open dispute, sent to the sub-chain.
	#[benchmark]
	fn rule_dispute() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::DisputeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let dispute = dispute::<T>();
		Pallet::<T>::open_dispute(BENCH, 7, &dispute)
			.map_err(|_| BenchmarkError::Stop("the dispute opens"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BENCH, 7, 1_000);
		assert!(!Disputes::<T>::contains_key(BENCH, 7));
		Ok(())
	}

	/// A sub-chain's dispute opened from its message.
	#[benchmark]
	fn open_dispute() -> Result<(), BenchmarkError> {
		reset::<T>();
		let dispute = dispute::<T>();
		#[block]
		{
			Pallet::<T>::open_dispute(BENCH, 7, &dispute)
				.map_err(|_| BenchmarkError::Stop("the dispute opens"))?;
		}
		assert!(Disputes::<T>::contains_key(BENCH, 7));
		Ok(())
	}

	/// A header of the largest size after a full window, with `t` trade records and a proof
	/// of its authors of `p` bytes (beyond the authorities' own nodes).
	#[benchmark]
	fn anchor(
		t: Linear<0, { T::MaxTradesPerAnchor::get() }>,
		p: Linear<0, { T::MaxProofSize::get().saturating_sub(1_024) }>,
	) {
		reset::<T>();
		let (buyer, seller) = (Helper::<T>::account(0), Helper::<T>::account(1));
		let (author, _) = Helper::<T>::aura_sign(b"");
		let (state_root, proof) = dbm_primitives::proof::trie(&[
			(dbm_primitives::seal::aura_authorities_key(), vec![author].encode()),
			(b"padding".to_vec(), vec![1u8; p as usize]),
		]);
		let window = T::AnchorWindow::get();
		let last = window + 1;
		// The window (blocks 2 to `last`) is full: anchoring prunes its oldest entry.
		for number in 2..=last {
			Anchors::<T>::insert(
				BENCH,
				number,
				Anchor {
					hash: H256::repeat_byte(number as u8),
					state_root,
					trade_root: H256::zero(),
					trade_count: 0,
					anchored_in: Default::default(),
				},
			);
		}
		let parent = H256::repeat_byte(last as u8);
		LastAnchor::<T>::insert(
			BENCH,
			AnchorHead { number: last, hash: parent, anchored_in: Default::default() },
		);
		let trades = records::<T>(t, &buyer, &seller);
		let mut digest = Digest::default();
		digest.push(DigestItem::PreRuntime(dbm_primitives::seal::AURA_ENGINE_ID, 7u64.encode()));
		digest.push(TradeRoot::of(&trades).to_digest_item());
		let bare = Header::new(last + 1, H256::zero(), H256::zero(), parent, digest.clone());
		// Pad the digest so the sealed header has the largest allowed size (a seal takes 71
		// bytes).
		let room = (T::MaxHeaderLen::get() as usize).saturating_sub(bare.encode().len() + 8 + 71);
		digest.push(DigestItem::Other(vec![0; room]));
		let mut header = Header::new(last + 1, H256::zero(), H256::zero(), parent, digest);
		dbm_primitives::seal::seal(&mut header, |hash| Helper::<T>::aura_sign(hash).1);
		let encoded = header.encode();
		assert!(encoded.len() <= T::MaxHeaderLen::get() as usize);
		assert!(encoded.len() + 16 > T::MaxHeaderLen::get() as usize, "the header is padded");
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), BENCH, encoded, proof, trades);
		assert_eq!(LastAnchor::<T>::get(BENCH).map(|a| a.hash), Some(header.hash()));
	}

	/// `s` sub-chains, each silent: every one gets a re-election request.
	#[benchmark]
	fn on_initialize(s: Linear<1, { T::MaxSubchains::get() }>) {
		reset::<T>();
		for i in 1..s {
			register::<T>(SubchainId(BENCH.0 + i));
		}
		let committee: Committee<T::AccountId> =
			vec![Helper::<T>::account(0)].try_into().expect("one fits");
		for (id, _) in Subchains::<T>::iter() {
			Elections::<T>::insert(
				id,
				ConfirmedElection {
					round: 1,
					committee: committee.clone(),
					confirmed_at: Default::default(),
				},
			);
			LastAnchor::<T>::insert(
				id,
				AnchorHead { number: 1, hash: H256::zero(), anchored_in: Default::default() },
			);
		}
		let now = T::MaxAnchorSilence::get().max(T::TermLength::get()).max(1u32.into());
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(Reelections::<T>::iter().count() as u32, s);
	}

	#[benchmark]
	fn set_operators() -> Result<(), BenchmarkError> {
		let origin =
			T::OperatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let operators: Vec<T::AccountId> =
			(0..T::MaxOperators::get()).map(|i| Helper::<T>::account(500 + i)).collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, operators.clone());
		assert_eq!(Operators::<T>::get().into_inner(), operators);
		Ok(())
	}

	/// A member replacing its keys.
	#[benchmark]
	fn set_parent_keys() {
		reset::<T>();
		let who = members::<T>(1).remove(0);
		Pallet::<T>::do_set_parent_keys(&who, Helper::<T>::authority_keys(0)).expect("fresh keys");
		let keys = Helper::<T>::authority_keys(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), keys.clone());
		assert_eq!(ParentKeys::<T>::get(&who), Some(keys));
	}

	/// `MaxOperators` operators and `MaxSubchains` active sub-chains, each with a biller with
	/// parent keys: the largest set, computed and applied.
	#[benchmark]
	fn refresh_authorities() {
		reset::<T>();
		for i in 1..T::MaxSubchains::get() {
			register::<T>(SubchainId(BENCH.0 + i));
		}
		let ids: Vec<SubchainId> = Subchains::<T>::iter_keys().collect();
		for (i, id) in ids.into_iter().enumerate() {
			let biller = Helper::<T>::account(1_000 + i as u32);
			Pallet::<T>::do_add_member(id, &biller, member_info()).expect("room");
			Pallet::<T>::do_set_parent_keys(&biller, Helper::<T>::authority_keys(1_000 + i as u32))
				.expect("fresh keys");
			Elections::<T>::insert(
				id,
				ConfirmedElection {
					round: 1,
					committee: vec![biller].try_into().expect("one fits"),
					confirmed_at: Default::default(),
				},
			);
		}
		let operators: Vec<T::AccountId> =
			(0..T::MaxOperators::get()).map(|i| Helper::<T>::account(500 + i)).collect();
		for (i, who) in operators.iter().enumerate() {
			Pallet::<T>::do_set_parent_keys(who, Helper::<T>::authority_keys(500 + i as u32))
				.expect("fresh keys");
		}
		Operators::<T>::put(BoundedVec::try_from(operators).expect("MaxOperators"));
		Authorities::<T>::kill();
		AuthoritiesStale::<T>::put(true);
		#[block]
		{
			assert!(Pallet::<T>::refresh_authorities());
		}
		assert_eq!(
			Authorities::<T>::decode_len(),
			Some((T::MaxOperators::get() + T::MaxSubchains::get()) as usize)
		);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
