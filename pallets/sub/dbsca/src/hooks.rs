//! What the hooks do: rounds opened at the end of a term, on the biller's silence, when a
//! round or election expires or when a committee member leaves, and the configuration's
//! checks.
//!
//! # Members leaving
//!
//! The member registry tells the pallet of every change of the active set
//! ([`OnActiveSetChange`]), in the call that made it (the parent's kick or suspension,
//! delivered by the relay). When the member that left is in the committee in force, in the
//! open round's committee or in the election awaiting enactment, a round that excludes it is
//! scheduled ([`ScheduledRound`], `Trigger::CommitteeMemberLeft`, keeping the open round's
//! exclusion) and opens at the start of
//! the next block, replacing the open round or the election awaiting enactment: a kicked
//! biller or standby does not wait for the end of the term, and a committee being elected
//! with it is never enacted.
//!
//! A member of the committee in force is also **taken out of consensus** ([`Leaving`]) at the
//! start of the next block, before the round opens (`TakenOutOfConsensus`): the committee in
//! force becomes the others, in their order (a standby first when the biller left), its Aura
//! slots go at once and GRANDPA schedules the voters in force without its key (see
//! [`authorities`](crate::authorities)), which the parent follows without an election. One
//! member a block, and only in a block in which no other change of the authorities is pending
//! (an election enacted in the block that delivered the suspension comes first; the take-out
//! waits for the block after); a member taken back into the active set before that stays. The
//! others must then finalize without it: three voters left of four need all three, as four
//! with it did unless it voted with them. When it cannot be done (a forced change left its key
//! out, or it is the last member) it keeps its place until the new committee is enacted
//! (`KeptInConsensus`); a member no longer in the committee in force (one enacted without it)
//! is simply dropped from [`Leaving`].
//!
//! Any other change of the active set while a round is open schedules a round that counts
//! the new set (`Trigger::MembersChanged`, with the open round's exclusion): the open round's
//! statement names the old set, which the parent no longer accepts. An election that already
//! reached its quorum is kept, as the parent may have confirmed it before the change; if it
//! did not, it expires after `ElectionTimeout`.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Per block: notes the biller's slots and opens a round when the open round or pending
	/// election expired, at the term's end, or when the biller is silent.
	pub(crate) fn on_block(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::WeightInfo::on_initialize_idle().saturating_add(Self::take_out_next());
		let committee = Committee::<T>::get();
		let Some(biller) = committee.first() else { return weight };
		let last = BillerLastSlot::<T>::get();
		let mut silent = false;
		if let Some((slot, position)) = T::SlotAuthor::current() {
			let order = AuthoringOrder::<T>::get();
			let author = order.get(position as usize).copied();
			if author == Some(0) || last.is_none() {
				// Counting starts at the first block the committee is seen in.
				BillerLastSlot::<T>::put(slot);
			} else if let Some(last) = last {
				let max = T::MaxSilentSlots::get();
				silent = max > 0 && slot.saturating_sub(last) > max;
			}
		}
		let scheduled = ScheduledRound::<T>::take();
		let replacing = scheduled.is_some();
		let expired = match ElectionDeadline::<T>::get() {
			_ if replacing => None,
			Some(deadline) if now >= deadline => Self::expire(),
			_ if CurrentRound::<T>::exists() || PendingElection::<T>::exists() => return weight,
			_ => None,
		};
		let expired_round = expired.is_some();
		let term = T::TermLength::get();
		let trigger = if replacing {
			scheduled
		} else if expired_round {
			expired
		} else if silent {
			Some(Trigger::BillerSilent { biller: biller.clone() })
		} else if !term.is_zero() && now.saturating_sub(TermStart::<T>::get()) >= term {
			Some(Trigger::TermEnd)
		} else {
			None
		};
		if let Some(trigger) = trigger {
			weight = T::WeightInfo::on_initialize_open_round(T::MaxCandidates::get());
			if expired_round || replacing {
				// Taking the expired or replaced round or election, its confirmations and the
				// deadline.
				weight = weight.saturating_add(T::DbWeight::get().reads_writes(2, 4));
			}
			let opened = Self::open_round(trigger.clone());
			if opened.is_ok() && replacing {
				PendingElection::<T>::kill();
			}
			if opened.is_err() {
				// Nobody to elect: try again next term (or when the biller speaks again).
				TermStart::<T>::put(now);
				BillerLastSlot::<T>::kill();
				Self::deposit_event(Event::RoundNotOpened { trigger });
			}
		}
		weight
	}

	/// Drops the round or the election whose deadline passed; the trigger of the round that
	/// replaces it.
	fn expire() -> Option<Trigger<T::AccountId>> {
		ElectionDeadline::<T>::kill();
		let (round, excluded) = if let Some(round) = CurrentRound::<T>::take() {
			Confirmations::<T>::kill();
			(round.index, round.trigger.excluded().cloned())
		} else {
			(PendingElection::<T>::take()?.round, None)
		};
		Self::deposit_event(Event::ElectionExpired { round });
		Some(Trigger::Expired { round, excluded })
	}

	/// Schedules the round a change of the active set calls for, and takes a member of the
	/// committee in force that left out of consensus (see the module docs).
	pub(crate) fn note_active_set_change(who: &T::AccountId, joined: bool) {
		Self::schedule_round_for(who, joined);
		if joined {
			if Leaving::<T>::get().contains(who) {
				Leaving::<T>::mutate(|leaving| leaving.retain(|other| other != who));
			}
		} else if Committee::<T>::get().contains(who) {
			Leaving::<T>::mutate(|leaving| {
				if !leaving.contains(who) {
					// At most the committee's size: only its members are added, once each.
					let _ = leaving.try_push(who.clone());
				}
			});
		}
	}

	/// Takes the first member of [`Leaving`] out of consensus, unless the authorities cannot
	/// change in this block; the weight it took beyond the idle block's.
	pub(crate) fn take_out_next() -> Weight {
		let mut leaving = Leaving::<T>::get();
		if leaving.is_empty() || T::CommitteeHandler::busy() {
			return Weight::zero();
		}
		let who = leaving.remove(0);
		Leaving::<T>::put(leaving);
		Self::take_out_of_consensus(&who);
		T::WeightInfo::take_out()
	}

	/// Schedules the round a change of the active set calls for.
	fn schedule_round_for(who: &T::AccountId, joined: bool) {
		let scheduled = ScheduledRound::<T>::get();
		if matches!(scheduled, Some(Trigger::CommitteeMemberLeft { .. })) {
			// The committee member that left first is named; any other is inactive too, and
			// so not electable.
			return;
		}
		let round = CurrentRound::<T>::get();
		let in_committee = !joined
			&& (Committee::<T>::get().contains(who)
				|| round.as_ref().is_some_and(|r| r.committee.iter().any(|(a, _)| a == who))
				|| PendingElection::<T>::get().is_some_and(|e| e.committee.contains(who)));
		let excluded = round.as_ref().and_then(|r| r.trigger.excluded().cloned());
		if in_committee {
			ScheduledRound::<T>::put(Trigger::CommitteeMemberLeft { who: who.clone(), excluded });
		} else if scheduled.is_none() && round.is_some() {
			ScheduledRound::<T>::put(Trigger::MembersChanged { excluded });
		}
	}

	/// Takes `who` out of the committee in force and of consensus, if it is in it and not the
	/// only member.
	pub(crate) fn take_out_of_consensus(who: &T::AccountId) {
		let committee = Committee::<T>::get();
		let Some(index) = committee.iter().position(|member| member == who) else { return };
		let index = index as u32;
		let order = AuthoringOrder::<T>::get();
		let taken = (|| {
			ensure!(committee.len() > 1, Error::<T>::LastVoter);
			// The finality key in force: the one its election named (it may have registered
			// others since), or for the genesis committee its registered one.
			let voter = LastElection::<T>::get()
				.and_then(|e| {
					let at = e.committee.iter().position(|member| member == who)?;
					e.voters.get(at).cloned()
				})
				.or_else(|| Keys::<T>::get(who).map(|keys| keys.grandpa()))
				.ok_or(Error::<T>::NoKeys)?;
			T::CommitteeHandler::remove(&voter, &order, index)?;
			Ok::<_, DispatchError>(())
		})();
		if let Err(error) = taken {
			log::warn!(target: LOG_TARGET, "{who:?} stays in consensus: {error:?}");
			Self::deposit_event(Event::KeptInConsensus { who: who.clone(), error });
			return;
		}
		let rest: Vec<T::AccountId> =
			committee.iter().filter(|member| *member != who).cloned().collect();
		let order: Vec<u32> = order
			.into_iter()
			.filter(|&i| i != index)
			.map(|i| if i > index { i - 1 } else { i })
			.collect();
		Committee::<T>::put(BoundedVec::truncate_from(rest.clone()));
		AuthoringOrder::<T>::put(BoundedVec::truncate_from(order));
		if index == 0 {
			// A standby authors as the biller now: its silence counts from its first block.
			BillerLastSlot::<T>::kill();
		}
		Self::deposit_event(Event::TakenOutOfConsensus { who: who.clone(), committee: rest });
	}

	/// Checks the configuration (the runtime's `integrity_test`).
	pub(crate) fn check_config() {
		assert!(T::MaxCommittee::get() >= 1, "MaxCommittee must be at least 1");
		assert!(T::MaxCandidates::get() >= 1, "MaxCandidates must be at least 1");
		assert!(T::BillerAuraSlots::get() >= 1, "BillerAuraSlots must be at least 1");
		let longest = T::MaxCommittee::get() + T::BillerAuraSlots::get() - 1;
		assert!(
			longest <= 64 && longest <= T::CommitteeHandler::max_authorities(),
			"MaxCommittee + BillerAuraSlots - 1 exceeds the authorities the consensus allows"
		);
		assert!(!T::Quorum::get().is_zero(), "a zero Quorum would elect without confirmations");
		ScoreWeights::default().validate().expect("the default weights sum to 100%; qed");
	}
}

impl<T: Config> OnActiveSetChange<T::AccountId> for Pallet<T> {
	fn changed(who: &T::AccountId, joined: bool) {
		Self::note_active_set_change(who, joined);
	}

	fn weight() -> Weight {
		// And a committee member that left queued in `Leaving`.
		T::WeightInfo::active_set_changed().saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
}
