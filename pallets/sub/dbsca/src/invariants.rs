//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_runtime::traits::OpaqueKeys;

impl<T: Config> Pallet<T> {
	/// Invariants:
	///
	/// * the weights sum to 100% and the committee size is from 1 to `MaxCommittee`;
	/// * the candidate counter is right and within `MaxCandidates`;
	/// * keys and their owner index agree both ways;
	/// * the committee in force has no duplicate, each member has keys, and the authoring
	///   order names each position of it (and nothing else);
	/// * at most one of an open round and an election awaiting enactment exists; an open
	///   round has a committee without duplicates, fewer confirmations than it needs and no
	///   member twice among them; an election awaiting enactment or in force has at least
	///   the confirmations it needed, each member once;
	/// * the GRANDPA keys an open round or an election awaiting enactment names are its
	///   committee's registered keys, one each, in its order;
	/// * an open round or a pending election has a deadline, and nothing else does (unless
	///   `ElectionTimeout` is 0);
	/// * no round index is above `RoundIndex`;
	/// * the equivocation proofs kept are of one voter set, each a valid proof of a different
	///   voter;
	/// * the members waiting to be taken out of consensus are listed once each, and none is an
	///   active member.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let kept = Equivocations::<T>::get();
		for (i, proof) in kept.iter().enumerate() {
			ensure!(
				sp_consensus_grandpa::check_equivocation_proof(proof.0.clone()),
				"a kept equivocation proof is invalid"
			);
			ensure!(
				kept.iter().skip(i + 1).all(|other| other.0.set_id() == proof.0.set_id()
					&& other.0.offender() != proof.0.offender()),
				"kept equivocation proofs of two sets, or two of one voter"
			);
		}
		ensure!(Weights::<T>::get().validate().is_ok(), "the weights do not sum to 100%");
		ensure!(
			Self::ensure_committee_size(CommitteeSize::<T>::get()).is_ok(),
			"the committee size is out of range"
		);
		let count = Candidates::<T>::iter_keys().count() as u32;
		ensure!(count == Candidates::<T>::count(), "the candidate counter is off");
		ensure!(count <= T::MaxCandidates::get(), "more candidates than MaxCandidates");
		for (who, keys) in Keys::<T>::iter() {
			for key in Self::raw_keys(&keys).map_err(|_| "a stored key is too long")? {
				ensure!(
					KeyOwner::<T>::get(&key).as_ref() == Some(&who),
					"a key has no owner entry"
				);
			}
		}
		for ((id, raw), owner) in KeyOwner::<T>::iter() {
			let keys = Keys::<T>::get(&owner).ok_or("a key owner has no keys")?;
			ensure!(
				keys.get_raw(sp_runtime::KeyTypeId(id)) == &raw[..],
				"a key owner entry is stale"
			);
		}
		let leaving = Leaving::<T>::get();
		ensure!(Self::unique(leaving.iter()), "a member waits twice to be taken out");
		ensure!(
			leaving.iter().all(|who| T::Members::member(who).is_none_or(|m| !m.is_active())),
			"an active member waits to be taken out of consensus"
		);
		let committee = Committee::<T>::get();
		ensure!(Self::unique(committee.iter()), "the committee lists an account twice");
		ensure!(committee.iter().all(Keys::<T>::contains_key), "a committee member has no keys");
		let order = AuthoringOrder::<T>::get();
		ensure!(
			order.iter().all(|&i| (i as usize) < committee.len())
				&& (0..committee.len() as u32).all(|i| order.contains(&i)),
			"the authoring order does not match the committee"
		);
		let round = CurrentRound::<T>::get();
		let pending = PendingElection::<T>::get();
		ensure!(
			round.is_none() || pending.is_none(),
			"a round is open while an election is pending"
		);
		if let Some(r) = &round {
			ensure!(r.index <= RoundIndex::<T>::get(), "the open round's index is ahead");
			ensure!(!r.committee.is_empty(), "the open round has no committee");
			ensure!(
				Self::unique(r.committee.iter().map(|(a, _)| a)),
				"the round's committee repeats"
			);
			let accounts: Vec<_> = r.committee.iter().map(|(a, _)| a.clone()).collect();
			ensure!(Self::names_keys(&accounts, &r.voters), "the round names other keys");
			let confirmations = Confirmations::<T>::get();
			ensure!((confirmations.len() as u32) < r.needed, "an open round has its quorum");
			ensure!(Self::unique(confirmations.iter().map(|(a, _)| a)), "a member confirmed twice");
		} else {
			ensure!(Confirmations::<T>::get().is_empty(), "confirmations without an open round");
		}
		let open = round.is_some() || pending.is_some();
		ensure!(
			ElectionDeadline::<T>::get().is_some()
				== (open && !T::ElectionTimeout::get().is_zero()),
			"a deadline without a round or election, or one of them without a deadline"
		);
		if let Some(e) = &pending {
			ensure!(
				Self::names_keys(&e.committee, &e.voters),
				"the pending election names other keys"
			);
		}
		for e in pending.iter().chain(LastElection::<T>::get().iter()) {
			ensure!(e.round <= RoundIndex::<T>::get(), "an election's round is ahead");
			ensure!(e.confirmations.len() as u32 >= e.needed, "an election lacks its quorum");
			ensure!(
				Self::unique(e.confirmations.iter().map(|(a, _)| a)),
				"an election counts a member twice"
			);
		}
		Ok(())
	}

	/// Whether `voters` are the GRANDPA keys `committee` registered, in its order.
	fn names_keys(
		committee: &[T::AccountId],
		voters: &[sp_consensus_grandpa::AuthorityId],
	) -> bool {
		let keys = Self::voters_of(committee);
		keys.len() == committee.len() && keys == voters
	}

	fn unique<'a>(items: impl Iterator<Item = &'a T::AccountId>) -> bool {
		let items: Vec<_> = items.collect();
		items.iter().enumerate().all(|(i, a)| !items[..i].contains(a))
	}
}
