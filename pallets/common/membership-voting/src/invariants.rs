//! The pallet's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;

impl<T: Config<I>, I: 'static> Pallet<T, I> {
	/// Invariants: at most `MaxProposals` open; each open proposal is the one about its
	/// subject, ends now or later and is in the expiry queue at its end, which lists only
	/// open proposals; no voter is on both sides; each proposer's deposit hold is the sum of
	/// its open proposals' deposits; the outbox holds
	/// exactly the nonces between each destination's first unacknowledged and next, and
	/// `OutboxLen` counts them, within `MaxOutbox`.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		let open: Vec<_> = Proposals::<T, I>::iter().collect();
		ensure!(open.len() as u32 == Proposals::<T, I>::count(), "proposal counter is off");
		ensure!(open.len() as u32 <= T::MaxProposals::get(), "more than MaxProposals open");
		ensure!(
			ProposalAbout::<T, I>::iter().count() == open.len(),
			"ProposalAbout does not match the open proposals"
		);
		let now = frame_system::Pallet::<T>::block_number();
		let mut deposits = BTreeMap::<T::AccountId, Balance>::new();
		for (index, p) in &open {
			ensure!(*index < NextProposal::<T, I>::get(), "an open proposal from the future");
			ensure!(
				ProposalAbout::<T, I>::get(p.proposal.subject()) == Some(*index),
				"an open proposal is not the one about its subject"
			);
			ensure!(p.end >= now, "an open proposal is past its end");
			ensure!(
				Expiries::<T, I>::get(p.end).contains(index),
				"an open proposal is not in the expiry queue"
			);
			ensure!(
				p.ayes.iter().all(|a| !p.nays.contains(a)),
				"a voter on both sides of a proposal"
			);
			if let Some(who) = &p.proposer {
				let d = deposits.entry(who.clone()).or_default();
				*d = d.saturating_add(p.deposit);
			} else {
				ensure!(p.deposit == 0, "an imported proposal with a deposit");
			}
		}
		for (who, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::<I>::Deposit.into(), &who) == deposit,
				"held deposits do not match the open proposals"
			);
		}
		let mut waiting = 0u32;
		for (destination, (first, next)) in OutboxNonces::<T, I>::iter() {
			ensure!(first <= next, "outbox nonces out of order");
			for n in first..next {
				ensure!(
					Outbox::<T, I>::contains_key(destination, n),
					"an unacknowledged message is missing"
				);
			}
			waiting = waiting.saturating_add((next - first) as u32);
		}
		for (end, ids) in Expiries::<T, I>::iter() {
			for index in ids {
				ensure!(
					Proposals::<T, I>::get(index).is_some_and(|p| p.end == end),
					"the expiry queue lists a closed proposal"
				);
			}
		}
		ensure!(Outbox::<T, I>::iter().count() as u32 == waiting, "stray outbox messages");
		ensure!(OutboxLen::<T, I>::get() == waiting, "OutboxLen is off");
		ensure!(waiting <= T::MaxOutbox::get(), "more than MaxOutbox messages");
		Ok(())
	}
}
