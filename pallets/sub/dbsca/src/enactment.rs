//! Enactment: the parent-confirmed election put in force, and the committee size.
//!
//! `EnactOrigin` (the parent's confirmation) then `enact`s the election: the committee is in
//! force, a new term starts, and the committee handler changes the consensus authorities.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn ensure_committee_size(size: u32) -> DispatchResult {
		ensure!(size >= 1 && size <= T::MaxCommittee::get(), Error::<T>::InvalidCommitteeSize);
		Ok(())
	}

	/// Sets how many nodes the next rounds elect: what `set_committee_size` does.
	pub(crate) fn do_set_committee_size(size: u32) -> DispatchResult {
		Self::ensure_committee_size(size)?;
		CommitteeSize::<T>::put(size);
		Ok(())
	}

	/// The authoring order of a committee of `size`: each member once, the biller
	/// `BillerAuraSlots` times, spread through the rotation.
	pub fn authoring_order(size: u32) -> Vec<u32> {
		let mut extra = T::BillerAuraSlots::get().max(1) - 1;
		let mut order = alloc::vec![0];
		for i in 1..size {
			order.push(i);
			if extra > 0 {
				order.push(0);
				extra -= 1;
			}
		}
		// A biller alone holds all the slots anyway.
		order
	}

	/// Enacts the pending election of `round` if its committee is `committee` with GRANDPA
	/// keys `voters`: the election the parent confirmed, as the parent recorded it. Errors:
	/// `NoPendingElection`, `WrongRound`, `CommitteeMismatch`, and `enact`'s. Returns the
	/// committee's size.
	pub fn enact_confirmed(
		round: u32,
		committee: &[T::AccountId],
		voters: &[sp_consensus_grandpa::AuthorityId],
	) -> Result<u32, DispatchError> {
		let election = PendingElection::<T>::get().ok_or(Error::<T>::NoPendingElection)?;
		ensure!(election.round == round, Error::<T>::WrongRound);
		ensure!(
			election.committee.as_slice() == committee && election.voters.as_slice() == voters,
			Error::<T>::CommitteeMismatch
		);
		Self::do_enact(round)
	}

	/// Puts the pending election of `index` in force; returns the committee's size.
	pub(crate) fn do_enact(index: u32) -> Result<u32, DispatchError> {
		let election = PendingElection::<T>::get().ok_or(Error::<T>::NoPendingElection)?;
		ensure!(election.round == index, Error::<T>::WrongRound);
		let members = election
			.committee
			.iter()
			.map(|a| Keys::<T>::get(a).map(|k| (a.clone(), k)).ok_or(Error::<T>::NoKeys))
			.collect::<Result<Vec<_>, _>>()?;
		let size = members.len() as u32;
		let order: BoundedVec<u32, ConstU32<64>> = Self::authoring_order(size)
			.try_into()
			.map_err(|_| Error::<T>::AuthoringOrderTooLong)?;
		T::CommitteeHandler::apply(&members, &order)?;
		Committee::<T>::put(election.committee.clone());
		AuthoringOrder::<T>::put(order);
		TermStart::<T>::put(frame_system::Pallet::<T>::block_number());
		BillerLastSlot::<T>::kill();
		PendingElection::<T>::kill();
		ElectionDeadline::<T>::kill();
		let committee = election.committee.clone().into_inner();
		LastElection::<T>::put(election);
		Self::deposit_event(Event::CommitteeEnacted { round: index, committee });
		Ok(size)
	}

	/// The election awaiting enactment: its round and committee.
	pub fn pending_committee() -> Option<(u32, Vec<T::AccountId>)> {
		PendingElection::<T>::get().map(|e| (e.round, e.committee.into_inner()))
	}
}
