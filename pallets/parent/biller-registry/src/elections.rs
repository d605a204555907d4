//! The sub-chains' billers and committees, confirmed from election proofs, and the
//! re-elections the parent asks for.
//!
//! `submit_election` takes a sub-chain's election proof from **any** submitter: the round, the
//! member set it counted, the committee (biller first) and the members' signatures over the
//! round's [`ElectionStatement`](dbm_primitives::dbsca::ElectionStatement), which names the
//! sub-chain's genesis hash (so a proof of one deployment means nothing on another). The
//! signatures are checked against the member registry held here: each by a distinct active
//! member, together at least `Quorum` of the named member set, which must be the sub-chain's
//! active set now ([`ActiveSets`]): the signers commit to the set whose quorum they form, and
//! no submitter can name another. A round whose members changed while it was open is refused
//! (`UnknownMemberSet`); the sub-chain's round expires and the next one counts the new set.
//! The statement also names the committee's GRANDPA keys: the parent keeps them
//! ([`Unenacted`], the last `MAX_UNENACTED` confirmations) until a finalized header of the
//! sub-chain schedules them, and follows a change of the sub-chain's voters only to such a set
//! (see `anchors.rs`).
//! Nothing is needed from the outgoing biller, which may be the node that died. A confirmed
//! election replaces the previous one only with a later round.
//!
//! The parent asks for a new election (`Reelections`, pending until one is confirmed) when the
//! committee's term ends or when `ElectionOrigin` requests it (`request_reelection`, which may
//! name a node to leave out). A request no election answered in `ElectionTimeout` blocks is
//! made again (the sub-chain takes a request only once, so a round that failed would otherwise
//! never be followed by another).
//!
//! Missing anchors are **not** a reason for a re-election: the parent cannot tell a sub-chain
//! that stopped from a relay that stopped (out of funds, restarting, behind a parent upgrade),
//! and only the first is the biller's fault. A sub-chain finds a silent biller itself (its
//! DBSCA pallet opens a round without it after `MaxSilentSlots` of its slots went unauthored)
//! and recovers its own finality from dead voters (`pallet-finality-recovery`), and either
//! reaches the parent as an election proof. A sub-chain whose blocks stopped altogether could
//! not take a request from the parent anyway. After `AnchorsOverdueAfter` blocks without an
//! anchor (counted from the last anchor or the committee's confirmation, whichever is later)
//! the parent says so once (`AnchorsOverdue`), for operators; its biller stops being a parent
//! authority when its liveness runs out (`authorities.rs`).
//!
//! `set_score_weights` (by `ElectionOrigin`) sends a sub-chain the score weights of its biller
//! elections through the outbox.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use dbm_primitives::{
	dbsca::ElectionStatement,
	finality::AuthorityId,
	registry::{CommitteeVoters, ElectedVoters},
};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{Saturating, Verify, Zero};

impl<T: Config> Pallet<T> {
	/// Checks a committee: not empty, at most `MAX_COMMITTEE`, distinct active members.
	pub(crate) fn check_committee(
		id: SubchainId,
		committee: Vec<T::AccountId>,
	) -> Result<Committee<T::AccountId>, Error<T>> {
		ensure!(!committee.is_empty(), Error::<T>::EmptyCommittee);
		let committee = Committee::<T::AccountId>::try_from(committee)
			.map_err(|_| Error::<T>::CommitteeTooLarge)?;
		for (i, who) in committee.iter().enumerate() {
			ensure!(
				Self::is_active_member(id, who) && !committee[..i].contains(who),
				Error::<T>::InvalidCommittee
			);
		}
		Ok(committee)
	}

	/// The confirmations an election counting `members` needs: `Quorum` of them, rounded up,
	/// at least one.
	pub fn quorum(members: &MemberSet) -> u32 {
		T::Quorum::get().mul_ceil(members.count).max(1)
	}

	/// Sub-chain `id`'s active member set now.
	pub fn active_set_of(id: SubchainId) -> MemberSet {
		ActiveSets::<T>::get(id)
	}

	/// Verifies an election proof of sub-chain `id` and confirms the election.
	pub fn do_confirm_election(
		id: SubchainId,
		round: u32,
		members: MemberSet,
		committee: Vec<T::AccountId>,
		voters: Vec<AuthorityId>,
		confirmations: Vec<(T::AccountId, T::Signature)>,
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		if let Some(confirmed) = Elections::<T>::get(id) {
			ensure!(round > confirmed.round, Error::<T>::StaleRound);
		}
		ensure!(members == Self::active_set_of(id), Error::<T>::UnknownMemberSet);
		let committee = Self::check_committee(id, committee)?;
		ensure!(
			voters.len() == committee.len()
				&& voters.iter().enumerate().all(|(i, key)| !voters[..i].contains(key)),
			Error::<T>::InvalidVoters
		);
		let voters = CommitteeVoters::try_from(voters).map_err(|_| Error::<T>::InvalidVoters)?;
		ensure!(
			confirmations.len() <= T::MaxMembers::get() as usize,
			Error::<T>::TooManyConfirmations
		);
		let payload = ElectionStatement::new(
			info.genesis_hash,
			id,
			round,
			members,
			committee.to_vec(),
			voters.to_vec(),
		)
		.signing_payload();
		for (i, (who, signature)) in confirmations.iter().enumerate() {
			ensure!(Self::is_active_member(id, who), Error::<T>::ConfirmationByNonMember);
			ensure!(
				!confirmations[..i].iter().any(|(other, _)| other == who),
				Error::<T>::DuplicateConfirmation
			);
			ensure!(signature.verify(&payload[..], who), Error::<T>::BadSignature);
		}
		ensure!(
			confirmations.len() as u32 >= Self::quorum(&members),
			Error::<T>::TooFewConfirmations
		);

		Elections::<T>::insert(
			id,
			ConfirmedElection {
				round,
				committee: committee.clone(),
				voters: voters.clone(),
				confirmed_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::expect_voters(id, ElectedVoters { round, committee: committee.clone(), voters });
		Reelections::<T>::remove(id);
		Self::authorities_may_have_changed();
		Self::deposit_event(Event::ElectionConfirmed {
			subchain: id,
			round,
			committee: committee.into_inner(),
		});
		Ok(())
	}

	/// Adds `elected` to the voter sets sub-chain `id` may change to, the oldest giving way
	/// when `MAX_UNENACTED` are waiting (each confirmation supersedes the earlier ones, which
	/// the sub-chain enacts no more once it holds a later round).
	pub(crate) fn expect_voters(id: SubchainId, elected: ElectedVoters<T::AccountId>) {
		Unenacted::<T>::mutate(id, |waiting| {
			if waiting.is_full() {
				waiting.remove(0);
			}
			// Not full now.
			let _ = waiting.try_push(elected);
		});
	}

	/// Asks active sub-chain `id` for a new election, optionally without `excluded`: what
	/// `request_reelection` does.
	pub(crate) fn do_request_reelection(
		id: SubchainId,
		excluded: Option<T::AccountId>,
	) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		Self::ask_reelection(id, ReelectionReason::Requested, excluded);
		Ok(())
	}

	/// Records a re-election request for sub-chain `id`.
	pub(crate) fn ask_reelection(
		id: SubchainId,
		reason: ReelectionReason,
		excluded: Option<T::AccountId>,
	) {
		Reelections::<T>::insert(
			id,
			Reelection {
				reason,
				excluded: excluded.clone(),
				requested_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ReelectionRequested { subchain: id, reason, excluded });
	}

	/// Asks a re-election of every active sub-chain whose term ended, unless one is pending,
	/// says when a sub-chain's anchors are overdue, and notes a biller whose liveness ran out.
	/// Returns how many sub-chains it looked at.
	pub(crate) fn watch_subchains(now: BlockNumberFor<T>) -> u32 {
		let (term, overdue) = (T::TermLength::get(), T::AnchorsOverdueAfter::get());
		let mut checked = 0;
		for (id, info) in Subchains::<T>::iter() {
			checked += 1;
			Self::watch_biller_liveness(id, now);
			if term.is_zero() && overdue.is_zero() && T::ElectionTimeout::get().is_zero() {
				continue;
			}
			if info.status != SubchainStatus::Active {
				continue;
			}
			let election = Elections::<T>::get(id);
			if !overdue.is_zero() {
				// Counted from the last anchor, or from the committee's confirmation if that is
				// later: a new committee gets the whole time to start anchoring. Said once, in
				// the block the time runs out.
				let last_anchor = LastAnchor::<T>::get(id).map(|last| last.anchored_in);
				let since = match (last_anchor, election.as_ref().map(|e| e.confirmed_at)) {
					(Some(anchored), Some(confirmed)) => Some(anchored.max(confirmed)),
					(anchored, _) => anchored,
				};
				if let Some(since) = since.filter(|since| now.saturating_sub(*since) == overdue) {
					Self::deposit_event(Event::AnchorsOverdue { subchain: id, since });
				}
			}
			if let Some(pending) = Reelections::<T>::get(id) {
				// Unanswered for `ElectionTimeout`: ask again, so the sub-chain opens another
				// round (it takes each request once).
				let timeout = T::ElectionTimeout::get();
				if !timeout.is_zero() && now.saturating_sub(pending.requested_at) >= timeout {
					Self::ask_reelection(id, pending.reason, pending.excluded);
				}
				continue;
			}
			let term_over = !term.is_zero()
				&& election.as_ref().is_some_and(|e| now.saturating_sub(e.confirmed_at) >= term);
			if term_over {
				Self::ask_reelection(id, ReelectionReason::TermEnd, None);
			}
		}
		checked
	}

	/// Sends active sub-chain `id` new score weights for its biller elections; returns the
	/// nonce of the message that carries them.
	pub(crate) fn do_set_score_weights(
		id: SubchainId,
		weights: ScoreWeights,
	) -> Result<u64, DispatchError> {
		Self::ensure_active(id)?;
		weights.validate().map_err(|_| Error::<T>::WeightsDoNotSumTo100Percent)?;
		T::Outbox::send(Destination::Subchain(id), Message::SetWeights { weights })
	}

	/// Sends active sub-chain `id` the size of the committees it elects from now on; returns
	/// the nonce of the message that carries it.
	pub(crate) fn do_set_committee_size(id: SubchainId, size: u32) -> Result<u64, DispatchError> {
		Self::ensure_active(id)?;
		ensure!(
			dbm_primitives::dbsca::valid_committee_size(size),
			Error::<T>::InvalidCommitteeSize
		);
		T::Outbox::send(Destination::Subchain(id), Message::SetCommitteeSize { size })
	}

	/// Sends active sub-chain `id` its market's new network charge per kWh; returns the nonce
	/// of the message that carries it. Whether it fits under the sub-chain's feed-in tariff is
	/// the sub-chain's to check: the parent does not keep the sub-chain's prices.
	pub(crate) fn do_set_network_charge(
		id: SubchainId,
		per_kwh: Balance,
	) -> Result<u64, DispatchError> {
		Self::ensure_active(id)?;
		T::Outbox::send(Destination::Subchain(id), Message::SetNetworkCharge { per_kwh })
	}

	/// Sends active sub-chain `id` its market's new price bounds; returns the nonce of the
	/// message that carries them.
	pub(crate) fn do_set_prices(
		id: SubchainId,
		feed_in_tariff: Balance,
		grid_price: Balance,
	) -> Result<u64, DispatchError> {
		Self::ensure_active(id)?;
		ensure!(
			dbm_primitives::trade::valid_price_bounds(feed_in_tariff, grid_price),
			Error::<T>::InvalidPriceBounds
		);
		T::Outbox::send(
			Destination::Subchain(id),
			Message::SetPrices { feed_in_tariff, grid_price },
		)
	}

	/// Authorizes the upgrade of `target`'s runtime to the code hashed `code_hash`: the parent's
	/// here, a sub-chain's by a message; returns that message's nonce.
	pub(crate) fn do_authorize_upgrade(
		target: UpgradeTarget,
		code_hash: H256,
	) -> Result<Option<u64>, DispatchError> {
		match target {
			UpgradeTarget::Parent => {
				frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
				Ok(None)
			}
			UpgradeTarget::Subchain(id) => {
				Self::ensure_active(id)?;
				T::Outbox::send(Destination::Subchain(id), Message::AuthorizeUpgrade { code_hash })
					.map(Some)
			}
		}
	}

	/// Fails unless sub-chain `id` is registered and active.
	fn ensure_active(id: SubchainId) -> DispatchResult {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status == SubchainStatus::Active, Error::<T>::SubchainNotActive);
		Ok(())
	}
}
