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
//! with it is never enacted. Until the new committee is enacted, the one in force keeps
//! consensus (taking the member out of a committee of four would leave three voters, of
//! which every one is needed for finality).
//!
//! Any other change of the active set while a round is open schedules a round that counts
//! the new set (`Trigger::MembersChanged`, with the open round's exclusion): the open round's
//! statement names the old set, which the parent no longer accepts. An election that already
//! reached its quorum is kept, as the parent may have confirmed it before the change; if it
//! did not, it expires after `ElectionTimeout`.

use crate::{pallet::*, *};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Per block: notes the biller's slots and opens a round when the open round or pending
	/// election expired, at the term's end, or when the biller is silent.
	pub(crate) fn on_block(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::WeightInfo::on_initialize_idle();
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

	/// Schedules the round a change of the active set calls for (see the module docs).
	pub(crate) fn note_active_set_change(who: &T::AccountId, joined: bool) {
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
		T::WeightInfo::active_set_changed()
	}
}
