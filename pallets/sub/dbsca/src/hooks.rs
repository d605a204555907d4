//! What the hooks do: rounds opened at the end of a term, on the biller's silence or when a
//! round or election expires, and the configuration's checks.

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
		let expired = match ElectionDeadline::<T>::get() {
			Some(deadline) if now >= deadline => Self::expire(),
			_ if CurrentRound::<T>::exists() || PendingElection::<T>::exists() => return weight,
			_ => None,
		};
		let expired_round = expired.is_some();
		let term = T::TermLength::get();
		let trigger = if expired_round {
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
			if expired_round {
				// Taking the expired round or election, its confirmations and the deadline.
				weight = weight.saturating_add(T::DbWeight::get().reads_writes(2, 4));
			}
			if Self::open_round(trigger.clone()).is_err() {
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
