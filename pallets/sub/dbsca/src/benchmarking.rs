//! Benchmarks of every call and hook, each in its worst case.

use super::*;
use crate::{pallet::*, types::Round};
use alloc::{vec, vec::Vec};
use dbm_primitives::finality::StoredEquivocation;
use dbm_primitives::membership::Role;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::*,
	traits::{EnsureOrigin, Hooks},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Hash, Zero},
	Permill,
};

type Helper<T> = <T as Config>::BenchmarkHelper;

/// Starts a benchmark from no candidates, keys, committee or election, whatever the chain's
/// genesis holds.
fn reset<T: Config>() {
	let _ = Candidates::<T>::clear(u32::MAX, None);
	let _ = Keys::<T>::clear(u32::MAX, None);
	let _ = KeyOwner::<T>::clear(u32::MAX, None);
	Committee::<T>::kill();
	AuthoringOrder::<T>::kill();
	CurrentRound::<T>::kill();
	Confirmations::<T>::kill();
	PendingElection::<T>::kill();
	ElectionDeadline::<T>::kill();
	ScheduledRound::<T>::kill();
}

fn best() -> NodeAttributes {
	NodeAttributes {
		renewable: true,
		environmental: Permill::one(),
		cost: Permill::one(),
		stability: Permill::one(),
	}
}

fn location<T: Config>() -> Vec<u8> {
	vec![b'x'; T::MaxLocationLen::get() as usize]
}

/// The `i`-th account, an active generator.
fn generator<T: Config>(i: u32) -> T::AccountId {
	let who = Helper::<T>::account(i);
	Helper::<T>::make_member(
		&who,
		MemberInfo { role: Role::Generator, attested: best(), suspended: false },
	);
	who
}

/// The `i`-th account as a candidate with keys.
fn candidate<T: Config>(i: u32) -> T::AccountId {
	let who = generator::<T>(i);
	Pallet::<T>::do_nominate(&who, best(), 1_000, location::<T>())
		.expect("a fresh generator can stand");
	let (keys, proof) = Helper::<T>::keys(&who, i);
	Pallet::<T>::do_set_keys(&who, keys, &proof).expect("fresh keys register");
	who
}

/// `n` candidates with keys, accounts `0..n`.
fn candidates<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n).map(candidate::<T>).collect()
}

/// A full committee's worth of candidates (accounts `0..MaxCommittee`), and a round open for
/// them.
fn open_full_round<T: Config>() {
	CommitteeSize::<T>::put(T::MaxCommittee::get());
	candidates::<T>(T::MaxCommittee::get());
	Pallet::<T>::open_round(Trigger::TermEnd).expect("candidates are electable");
}

/// Accounts numbered from here on are not in the committee of `open_full_round`.
const OUTSIDER: u32 = 1_000;

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn nominate() {
		reset::<T>();
		CommitteeSize::<T>::put(T::MaxCommittee::get());
		let who = generator::<T>(OUTSIDER);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), best(), 1_000, location::<T>());
		assert!(Candidates::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_candidacy() {
		reset::<T>();
		open_full_round::<T>();
		let who = generator::<T>(OUTSIDER);
		Pallet::<T>::do_nominate(&who, best(), 1, vec![]).expect("can stand");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), best(), 2_000, location::<T>());
		assert_eq!(Candidates::<T>::get(&who).map(|c| c.capacity_w), Some(2_000));
	}

	#[benchmark]
	fn withdraw() {
		reset::<T>();
		open_full_round::<T>();
		let who = generator::<T>(OUTSIDER);
		Pallet::<T>::do_nominate(&who, best(), 1, vec![]).expect("can stand");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Candidates::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_keys() {
		reset::<T>();
		// A full round open, without the caller: `set_keys` reads it, and finds no pending
		// election.
		open_full_round::<T>();
		let who = candidate::<T>(OUTSIDER);
		// Replacing keys is the worst case: the old ones are removed first.
		let (keys, proof) = Helper::<T>::keys(&who, OUTSIDER + 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), keys.clone(), proof);
		assert_eq!(Keys::<T>::get(&who), Some(keys));
	}

	#[benchmark]
	fn purge_keys() {
		reset::<T>();
		open_full_round::<T>();
		let who = candidate::<T>(OUTSIDER);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Keys::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_weights() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ConfigOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let weights = ScoreWeights::from_percent(25, 25, 25, 25);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, weights);
		assert_eq!(Weights::<T>::get(), weights);
		Ok(())
	}

	#[benchmark]
	fn set_committee_size() -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ConfigOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let size = T::MaxCommittee::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, size);
		assert_eq!(CommitteeSize::<T>::get(), size);
		Ok(())
	}

	#[benchmark]
	fn request_election(c: Linear<1, { T::MaxCandidates::get() }>) -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::ElectionOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		CommitteeSize::<T>::put(T::MaxCommittee::get());
		candidates::<T>(c);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, None);
		assert!(CurrentRound::<T>::exists());
		Ok(())
	}

	/// `m` confirmations already in; this one reaches the quorum and closes the round.
	#[benchmark]
	fn confirm(m: Linear<0, { T::MaxMembers::get() - 1 }>) {
		reset::<T>();
		open_full_round::<T>();
		let mut round = CurrentRound::<T>::get().expect("the round is open");
		round.needed = m + 1;
		CurrentRound::<T>::put(round.clone());
		let payload = Pallet::<T>::statement(&round).signing_payload();
		let confirmations: BoundedVec<_, T::MaxMembers> = (0..m)
			.map(|i| {
				let who = generator::<T>(OUTSIDER + i);
				let signature = Helper::<T>::sign(&who, &payload);
				(who, signature)
			})
			.collect::<Vec<_>>()
			.try_into()
			.expect("fewer than MaxMembers");
		Confirmations::<T>::put(confirmations);
		let who = generator::<T>(OUTSIDER + m);
		let signature = Helper::<T>::sign(&who, &payload);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), round.index, round.committee[0].0.clone(), signature);
		assert!(PendingElection::<T>::exists());
	}

	#[benchmark]
	fn enact(k: Linear<1, { T::MaxCommittee::get() }>) -> Result<(), BenchmarkError> {
		reset::<T>();
		let origin =
			T::EnactOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		CommitteeSize::<T>::put(k);
		candidates::<T>(k);
		Pallet::<T>::open_round(Trigger::TermEnd).expect("candidates are electable");
		let mut round: Round<_, _, _> = CurrentRound::<T>::get().expect("the round is open");
		round.needed = 1;
		CurrentRound::<T>::put(round.clone());
		let payload = Pallet::<T>::statement(&round).signing_payload();
		let who = generator::<T>(OUTSIDER);
		let signature = Helper::<T>::sign(&who, &payload);
		Pallet::<T>::do_confirm(&who, round.index, &round.committee[0].0, signature)
			.expect("the confirmation closes the round");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, round.index);
		assert_eq!(Committee::<T>::get().len() as u32, k);
		Ok(())
	}

	#[benchmark]
	fn prune() {
		reset::<T>();
		open_full_round::<T>();
		let who = candidate::<T>(OUTSIDER);
		Helper::<T>::remove_member(&who);
		let caller = Helper::<T>::account(OUTSIDER + 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), who.clone());
		assert!(!Candidates::<T>::contains_key(&who));
	}

	/// A member outside every committee leaves while a round is open: every committee is
	/// searched (the one in force, the round's and a pending election's, each full) before
	/// the round that counts the new set is scheduled.
	#[benchmark]
	fn active_set_changed() {
		reset::<T>();
		open_full_round::<T>();
		let round = CurrentRound::<T>::get().expect("the round is open");
		let committee: BoundedVec<T::AccountId, T::MaxCommittee> = round
			.committee
			.iter()
			.map(|(a, _)| a.clone())
			.collect::<Vec<_>>()
			.try_into()
			.expect("as large");
		Committee::<T>::put(committee.clone());
		PendingElection::<T>::put(types::Election {
			round: round.index,
			elected_at: Zero::zero(),
			committee,
			voters: round.voters.clone(),
			confirmations: BoundedVec::new(),
			members: round.members,
			needed: round.needed,
		});
		let who = generator::<T>(OUTSIDER);
		#[block]
		{
			Pallet::<T>::note_active_set_change(&who, false);
		}
		assert!(matches!(ScheduledRound::<T>::get(), Some(Trigger::MembersChanged { .. })));
	}

	/// Taking a member out of consensus, in the worst case: the biller of a full committee,
	/// elected with its keys, out of a full voter set and of an authors list of the longest
	/// authoring order.
	#[benchmark]
	fn take_out() {
		reset::<T>();
		open_full_round::<T>();
		let round = CurrentRound::<T>::take().expect("the round is open");
		Confirmations::<T>::kill();
		ElectionDeadline::<T>::kill();
		let committee: Vec<T::AccountId> = round.committee.iter().map(|(a, _)| a.clone()).collect();
		let size = committee.len() as u32;
		let order = Pallet::<T>::authoring_order(size);
		Committee::<T>::put(BoundedVec::truncate_from(committee.clone()));
		AuthoringOrder::<T>::put(BoundedVec::truncate_from(order.clone()));
		LastElection::<T>::put(types::Election {
			round: round.index,
			elected_at: Zero::zero(),
			committee: BoundedVec::truncate_from(committee.clone()),
			voters: round.voters.clone(),
			confirmations: BoundedVec::new(),
			members: round.members,
			needed: 0,
		});
		Helper::<T>::set_voters(1, round.voters.to_vec());
		let keys: Vec<T::Keys> =
			committee.iter().map(|who| Keys::<T>::get(who).expect("a candidate's keys")).collect();
		Helper::<T>::set_authors(order.iter().map(|&i| keys[i as usize].clone()).collect());
		let who = committee[0].clone();
		Helper::<T>::remove_member(&who);
		Leaving::<T>::put(BoundedVec::truncate_from(vec![who.clone()]));
		#[block]
		{
			Pallet::<T>::take_out_next();
		}
		assert_eq!(Committee::<T>::get().len() as u32, size - 1, "the biller is taken out");
		assert!(Leaving::<T>::get().is_empty());
	}

	/// A block with a committee in force and nothing to open.
	#[benchmark]
	fn on_initialize_idle() {
		reset::<T>();
		candidates::<T>(1);
		let committee: BoundedVec<_, T::MaxCommittee> =
			vec![Helper::<T>::account(0)].try_into().expect("one fits");
		Committee::<T>::put(committee);
		AuthoringOrder::<T>::put(BoundedVec::truncate_from(vec![0]));
		BillerLastSlot::<T>::put(0);
		let now: BlockNumberFor<T> = 1u32.into();
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert!(!CurrentRound::<T>::exists());
	}

	/// A block that ends the term and opens a round over `c` candidates.
	#[benchmark]
	fn on_initialize_open_round(c: Linear<1, { T::MaxCandidates::get() }>) {
		reset::<T>();
		CommitteeSize::<T>::put(T::MaxCommittee::get());
		let all = candidates::<T>(c);
		let committee: BoundedVec<_, T::MaxCommittee> =
			vec![all[0].clone()].try_into().expect("one fits");
		Committee::<T>::put(committee);
		AuthoringOrder::<T>::put(BoundedVec::truncate_from(vec![0]));
		TermStart::<T>::put(BlockNumberFor::<T>::zero());
		let now = T::TermLength::get().max(1u32.into());
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert!(CurrentRound::<T>::exists() || T::TermLength::get().is_zero());
	}

	/// An equivocation of the last voter of the largest voter set, every other voter of which
	/// was reported already (so the duplicate check reads them all).
	#[benchmark]
	fn note_equivocation() -> Result<(), BenchmarkError> {
		const SET: u64 = 7;
		const ROUND: u64 = 3;
		let n = T::MaxEquivocations::get();
		let voters: Vec<_> = (0..n).map(Helper::<T>::grandpa_key).collect();
		Helper::<T>::set_voters(SET, voters.clone());
		let proof_of = |i: u32| {
			let vote = |hash: T::Hash| {
				let precommit = finality_grandpa::Precommit::<T::Hash, BlockNumberFor<T>> {
					target_hash: hash,
					target_number: 1u32.into(),
				};
				let message = finality_grandpa::Message::Precommit(precommit.clone());
				let payload = sp_consensus_grandpa::localized_payload(ROUND, SET, &message);
				(precommit, Helper::<T>::grandpa_sign(i, &payload))
			};
			sp_consensus_grandpa::EquivocationProof::new(
				SET,
				sp_consensus_grandpa::Equivocation::Precommit(finality_grandpa::Equivocation {
					round_number: ROUND,
					identity: voters[i as usize].clone(),
					first: vote(T::Hashing::hash(b"first")),
					second: vote(T::Hashing::hash(b"second")),
				}),
			)
		};
		let reported: Vec<_> =
			(0..n.saturating_sub(1)).map(|i| StoredEquivocation(proof_of(i))).collect();
		Equivocations::<T>::put(BoundedVec::truncate_from(reported));
		let offender = n.saturating_sub(1);
		let owner = Helper::<T>::account(0);
		KeyOwner::<T>::insert(Pallet::<T>::grandpa_key_of(&voters[offender as usize]), &owner);
		let proof = proof_of(offender);
		let key_owner = Pallet::<T>::voter_proof(SET, &voters[offender as usize])
			.ok_or(BenchmarkError::Stop("the offender is a voter"))?;
		#[block]
		{
			Pallet::<T>::note_equivocation(None, proof, key_owner)?;
		}
		assert_eq!(Equivocations::<T>::get().len() as u32, n);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().no_committee().candidates(vec![]).keys(vec![]).build(),
		crate::mock::Test
	);
}
