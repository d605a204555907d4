//! Ranking and rounds: opening a round, its committee, and the members' confirmations.
//!
//! A round opens when:
//!
//! * the committee's term of `TermLength` blocks ends (0 turns terms off);
//! * `ElectionOrigin` (the parent chain) asks for one with `request_election`, optionally
//!   excluding one node; this replaces a round that is open or an election awaiting enactment;
//! * the biller is silent: no block of the authoring order's biller slots for more than
//!   `MaxSilentSlots` slots. The silent biller is excluded from that round.
//!
//! * a round stays open without its quorum, or its election awaits the parent's confirmation,
//!   for `ElectionTimeout` blocks: a new round replaces it (excluding whom the expired round
//!   excluded), so no failed round or refused proof holds the elections up for good.
//!
//! On opening, the round ranks the electable candidates (score, then account id, best first)
//! and fixes its committee: the first `CommitteeSize` of them, and the active member set it
//! counts. Members then `confirm` the round's biller, signing the round's
//! [`ElectionStatement`](dbm_primitives::dbsca::ElectionStatement) (genesis hash, sub-chain,
//! round, member set, committee and the committee's GRANDPA keys) with their account key; a
//! confirmation of anyone else fails with `NotTheHighestScore`. When the confirmations reach `Quorum` of that member set the
//! round closes: the committee and the signatures are kept as the [`Election`] awaiting the
//! parent. Anyone can relay that proof; the parent checks it against its own member registry
//! and its record of the sub-chain's recent member sets, so no biller change ever needs the
//! outgoing biller.

use crate::{pallet::*, types::*, *};
use alloc::vec::Vec;
use dbm_primitives::dbsca::rank;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Verify, Zero},
	Permill,
};

impl<T: Config> Pallet<T> {
	/// Every candidate with its effective attributes, score and electability, best first.
	pub fn ranking() -> Vec<RankedCandidate<T::AccountId>> {
		Self::ranking_excluding(None)
	}

	fn ranking_excluding(excluded: Option<&T::AccountId>) -> Vec<RankedCandidate<T::AccountId>> {
		let weights = Weights::<T>::get();
		let mut all: Vec<RankedCandidate<T::AccountId>> = Candidates::<T>::iter()
			.map(|(account, candidate)| {
				let member = T::Members::member(&account);
				let attested = member.map(|m| m.attested).unwrap_or_default();
				let attributes = candidate.attributes.capped_by(&attested);
				let electable = member.is_some_and(|m| m.is_active() && m.role.supplies())
					&& Keys::<T>::contains_key(&account)
					&& excluded != Some(&account);
				RankedCandidate {
					score: weights.score(&attributes),
					account,
					attributes,
					electable,
				}
			})
			.collect();
		let order = rank(&all.iter().map(|c| (c.account.clone(), c.score)).collect::<Vec<_>>());
		all.sort_by_key(|c| order.iter().position(|(a, _)| a == &c.account));
		all
	}

	/// Sets the score weights, if they sum to 100%: what `set_weights` does.
	pub(crate) fn do_set_weights(weights: ScoreWeights) -> DispatchResult {
		weights.validate().map_err(|_| Error::<T>::WeightsDoNotSumTo100Percent)?;
		Weights::<T>::put(weights);
		Ok(())
	}

	/// Opens a round now, dropping any election awaiting enactment: what `request_election`
	/// does.
	pub(crate) fn do_request_election(excluded: Option<T::AccountId>) -> DispatchResult {
		PendingElection::<T>::kill();
		Self::open_round(Trigger::Requested { excluded })
	}

	/// Opens a round for `trigger`: ranks the electable candidates and fixes the committee.
	pub(crate) fn open_round(trigger: Trigger<T::AccountId>) -> DispatchResult {
		let size = CommitteeSize::<T>::get().max(1) as usize;
		let committee: BoundedVec<(T::AccountId, Permill), T::MaxCommittee> =
			Self::ranking_excluding(trigger.excluded())
				.into_iter()
				.filter(|c| c.electable)
				.take(size.min(T::MaxCommittee::get() as usize))
				.map(|c| (c.account, c.score))
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| Error::<T>::InvalidCommitteeSize)?;
		ensure!(!committee.is_empty(), Error::<T>::NoElectableCandidates);
		// Every electable candidate has keys; the committee's keep them until its election is
		// enacted or replaced (`set_keys` and `purge_keys` refuse).
		let accounts: Vec<_> = committee.iter().map(|(a, _)| a.clone()).collect();
		let voters: BoundedVec<_, T::MaxCommittee> =
			Self::voters_of(&accounts).try_into().map_err(|_| Error::<T>::InvalidCommitteeSize)?;
		let index = RoundIndex::<T>::get().saturating_add(1);
		let members = T::Members::active_set();
		let needed = T::Quorum::get().mul_ceil(members.count).max(1);
		let now = frame_system::Pallet::<T>::block_number();
		RoundIndex::<T>::put(index);
		Confirmations::<T>::kill();
		CurrentRound::<T>::put(Round {
			index,
			opened_at: now,
			trigger: trigger.clone(),
			committee,
			voters,
			members,
			needed,
		});
		Self::set_deadline(now);
		Self::deposit_event(Event::RoundOpened {
			round: index,
			trigger,
			committee: accounts,
			needed,
		});
		Ok(())
	}

	/// Starts the `ElectionTimeout` of a round opened, or an election closed, at `now`.
	pub(crate) fn set_deadline(now: BlockNumberFor<T>) {
		let timeout = T::ElectionTimeout::get();
		if timeout.is_zero() {
			ElectionDeadline::<T>::kill();
		} else {
			ElectionDeadline::<T>::put(now.saturating_add(timeout));
		}
	}

	/// The registered GRANDPA keys of `committee`, in its order (members without keys left
	/// out).
	pub(crate) fn voters_of(committee: &[T::AccountId]) -> Vec<sp_consensus_grandpa::AuthorityId> {
		committee.iter().filter_map(|who| Keys::<T>::get(who).map(|keys| keys.grandpa())).collect()
	}

	/// The statement members sign to confirm `round`.
	pub fn statement(round: &RoundOf<T>) -> ElectionStatement<T::AccountId> {
		ElectionStatement::new(
			T::GenesisHash::get(),
			T::SubchainId::get(),
			round.index,
			round.members,
			round.committee.iter().map(|(a, _)| a.clone()).collect(),
			round.voters.to_vec(),
		)
	}

	/// Records a confirmation; closes the round at the quorum. Returns the confirmations the
	/// round had before this one (what the weight depends on).
	pub(crate) fn do_confirm(
		who: &T::AccountId,
		index: u32,
		candidate: &T::AccountId,
		signature: T::Signature,
	) -> Result<u32, DispatchError> {
		let round = CurrentRound::<T>::get().ok_or(Error::<T>::NoOpenRound)?;
		ensure!(round.index == index, Error::<T>::WrongRound);
		T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		let biller = &round.committee.first().ok_or(Error::<T>::NoOpenRound)?.0;
		ensure!(biller == candidate, Error::<T>::NotTheHighestScore);
		let mut confirmations = Confirmations::<T>::get();
		let before = confirmations.len() as u32;
		ensure!(confirmations.iter().all(|(a, _)| a != who), Error::<T>::AlreadyConfirmed);
		let payload = Self::statement(&round).signing_payload();
		ensure!(signature.verify(&payload[..], who), Error::<T>::BadSignature);
		confirmations
			.try_push((who.clone(), signature))
			.map_err(|_| Error::<T>::AlreadyConfirmed)?;
		let count = confirmations.len() as u32;
		Self::deposit_event(Event::Confirmed {
			round: index,
			who: who.clone(),
			confirmations: count,
		});
		if count >= round.needed {
			let committee: BoundedVec<T::AccountId, T::MaxCommittee> = round
				.committee
				.iter()
				.map(|(a, _)| a.clone())
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| Error::<T>::InvalidCommitteeSize)?;
			CurrentRound::<T>::kill();
			Confirmations::<T>::kill();
			let now = frame_system::Pallet::<T>::block_number();
			PendingElection::<T>::put(Election {
				round: index,
				elected_at: now,
				committee: committee.clone(),
				voters: round.voters,
				confirmations,
				members: round.members,
				needed: round.needed,
			});
			Self::set_deadline(now);
			Self::deposit_event(Event::Elected { round: index, committee: committee.into_inner() });
		} else {
			Confirmations::<T>::put(confirmations);
		}
		Ok(before)
	}

	/// The open round as clients see it.
	pub fn round_status() -> Option<RoundStatus<T::AccountId, BlockNumberFor<T>>> {
		CurrentRound::<T>::get().map(|r| RoundStatus {
			index: r.index,
			opened_at: r.opened_at,
			committee: r.committee.into_inner(),
			confirmations: Confirmations::<T>::decode_len().unwrap_or(0) as u32,
			needed: r.needed,
		})
	}

	/// The bytes a member signs to confirm round `index`, if it is the open one.
	pub fn confirmation_payload(index: u32) -> Option<Vec<u8>> {
		CurrentRound::<T>::get()
			.filter(|r| r.index == index)
			.map(|r| Self::statement(&r).signing_payload())
	}
}
