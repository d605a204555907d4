//! Opening proposals (with a deposit, or imported from the other layer without one), closing
//! them, and their expiry; see the crate docs for the rules.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config<I>, I: 'static> Pallet<T, I> {
	/// Opens `proposal`, holding the deposit of `proposer` (`None`: decided on the other layer,
	/// no deposit): what `propose` and `import` do.
	pub(crate) fn do_open(
		proposal: ProposalOf<T>,
		proposer: Option<T::AccountId>,
	) -> DispatchResult {
		let subject = proposal.subject().clone();
		if let (Some(who), Proposal::ReplaceMeter { member, meter: Some(_) }) =
			(&proposer, &proposal)
		{
			ensure!(who == member, Error::<T, I>::NotTheMembersOwn);
		}
		ensure!(!ProposalAbout::<T, I>::contains_key(&subject), Error::<T, I>::AlreadyProposed);
		ensure!(
			Proposals::<T, I>::count() < T::MaxProposals::get(),
			Error::<T, I>::TooManyProposals
		);
		T::Handler::check(&proposal)?;
		let deposit = match &proposer {
			Some(who) => {
				let deposit = T::ProposalDeposit::get();
				T::Currency::hold(&HoldReason::<I>::Deposit.into(), who, deposit)
					.map_err(|_| Error::<T, I>::InsufficientDeposit)?;
				deposit
			}
			None => 0,
		};
		let index = NextProposal::<T, I>::get();
		let end = frame_system::Pallet::<T>::block_number().saturating_add(T::VotingPeriod::get());
		Expiries::<T, I>::try_mutate(end, |ids| ids.try_push(index))
			.map_err(|_| Error::<T, I>::TooManyProposals)?;
		NextProposal::<T, I>::put(index.saturating_add(1));
		ProposalAbout::<T, I>::insert(&subject, index);
		Proposals::<T, I>::insert(
			index,
			OpenProposal {
				proposal: proposal.clone(),
				proposer: proposer.clone(),
				deposit,
				ayes: BoundedVec::new(),
				nays: BoundedVec::new(),
				end,
			},
		);
		Self::deposit_event(Event::Proposed { index, proposer, proposal, end });
		Ok(())
	}

	/// Opens a proposal the other layer decided, without a deposit: what `import` does,
	/// for a caller that verified the decision itself (a proof of the other layer's state).
	pub fn import_decided(proposal: ProposalOf<T>) -> DispatchResult {
		Self::do_open(proposal, None)
	}

	/// Whether a proposal may be opened now: fewer than `MaxProposals` are open.
	pub fn has_room() -> bool {
		Proposals::<T, I>::count() < T::MaxProposals::get()
	}

	/// Removes a proposal from the open ones and from the expiry queue.
	pub(crate) fn close(index: ProposalIndex, open: &OpenProposal<T, I>) {
		Proposals::<T, I>::remove(index);
		ProposalAbout::<T, I>::remove(open.proposal.subject());
		Expiries::<T, I>::mutate_exists(open.end, |ids| {
			if let Some(list) = ids {
				list.retain(|id| *id != index);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
	}

	/// Returns a proposal's deposit.
	pub(crate) fn release(open: &OpenProposal<T, I>) {
		if let Some(who) = &open.proposer {
			if !open.deposit.is_zero() {
				// The deposit was held by this pallet and only it releases it.
				let released = T::Currency::release(
					&HoldReason::<I>::Deposit.into(),
					who,
					open.deposit,
					Precision::BestEffort,
				);
				debug_assert!(released.is_ok(), "a held deposit is released");
			}
		}
	}

	/// Closes the proposals that expire at `now`, returning deposits; how many there were.
	pub(crate) fn expire(now: BlockNumberFor<T>) -> u32 {
		let ids = Expiries::<T, I>::take(now);
		let mut expired = 0u32;
		for index in ids {
			// Closing removes proposals from the queue: every id here is open.
			if let Some(open) = Proposals::<T, I>::take(index) {
				ProposalAbout::<T, I>::remove(open.proposal.subject());
				Self::release(&open);
				Self::deposit_event(Event::Expired { index });
				expired = expired.saturating_add(1);
			}
		}
		expired
	}

	/// The open proposals by number, with the ayes each needs now (the runtime API's
	/// `proposals`).
	pub fn open_proposals() -> Vec<ProposalStatus<T::AccountId, BlockNumberFor<T>>> {
		let mut open: Vec<_> = Proposals::<T, I>::iter()
			.map(|(index, p)| ProposalStatus {
				index,
				required: Self::required_ayes(Self::electorate(&p.proposal)),
				proposal: p.proposal,
				proposer: p.proposer,
				ayes: p.ayes.into_inner(),
				nays: p.nays.into_inner(),
				end: p.end,
			})
			.collect();
		open.sort_by_key(|p| p.index);
		open
	}
}
