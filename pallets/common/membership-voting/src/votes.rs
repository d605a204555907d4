//! Votes, the threshold, and what the deciding vote does: carry the proposal out through the
//! handler, or reject it and burn its deposit.

use crate::{pallet::*, *};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision},
	},
};
use sp_runtime::traits::Zero;

impl<T: Config<I>, I: 'static> Pallet<T, I> {
	/// The ayes that approve a proposal when `voters` may vote: `Threshold` of them,
	/// rounded up, at least one.
	pub fn required_ayes(voters: u32) -> u32 {
		let percent = u64::from(T::Threshold::get().deconstruct());
		let ayes = (u64::from(voters) * percent).div_ceil(100);
		(ayes as u32).max(1)
	}

	/// How many may decide `proposal` now: the voters, less its subject if that is one.
	pub fn electorate(proposal: &ProposalOf<T>) -> u32 {
		let voters = T::Voters::voter_count();
		voters.saturating_sub(u32::from(T::Voters::is_voter(proposal.subject())))
	}

	/// Records `who`'s vote; whether the proposal closed with it.
	pub(crate) fn do_vote(
		who: T::AccountId,
		index: ProposalIndex,
		aye: bool,
	) -> Result<bool, DispatchError> {
		let mut open = Proposals::<T, I>::get(index).ok_or_else(|| {
			if index < NextProposal::<T, I>::get() {
				Error::<T, I>::ProposalClosed
			} else {
				Error::<T, I>::UnknownProposal
			}
		})?;
		ensure!(T::Voters::is_voter(&who), Error::<T, I>::NotVoter);
		ensure!(open.proposal.subject() != &who, Error::<T, I>::SubjectMayNotVote);
		let (side, other) =
			if aye { (&mut open.ayes, &mut open.nays) } else { (&mut open.nays, &mut open.ayes) };
		ensure!(!side.contains(&who), Error::<T, I>::AlreadyVoted);
		other.retain(|v| v != &who);
		side.try_push(who.clone()).map_err(|_| Error::<T, I>::TooManyVotes)?;
		let (ayes, nays) = (open.ayes.len() as u32, open.nays.len() as u32);
		Self::deposit_event(Event::Voted { index, voter: who, aye, ayes, nays });

		let voters = Self::electorate(&open.proposal);
		let required = Self::required_ayes(voters);
		if ayes >= required {
			ensure!(OutboxLen::<T, I>::get() < T::MaxOutbox::get(), Error::<T, I>::OutboxFull);
			Self::close(index, &open);
			Self::release(&open);
			let result = with_storage_layer(|| {
				if let Some((destination, message)) = T::Handler::execute(&open.proposal)? {
					Self::enqueue(destination, message);
				}
				Ok(())
			});
			Self::deposit_event(Event::Executed { index, result });
			Ok(true)
		} else if nays > voters.saturating_sub(required) {
			Self::close(index, &open);
			let burned = match &open.proposer {
				Some(who) if !open.deposit.is_zero() => T::Currency::burn_held(
					&HoldReason::<I>::Deposit.into(),
					who,
					open.deposit,
					Precision::BestEffort,
					Fortitude::Force,
				)?,
				_ => 0,
			};
			Self::deposit_event(Event::Rejected { index, burned });
			Ok(true)
		} else {
			Proposals::<T, I>::insert(index, open);
			Ok(false)
		}
	}
}
