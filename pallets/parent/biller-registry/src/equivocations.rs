//! Equivocations of a sub-chain's voters: a voter that signs two different votes in one
//! GRANDPA round is excluded.
//!
//! `report_equivocation` takes the proof from **any** signed account (it proves itself): two
//! prevotes, or two precommits, of one round for different blocks, both signed by one key of
//! the voter set the parent follows, for that set's id. The parent knows whose each key is
//! ([`VoterAccounts`]: the committee the set was elected as) and **suspends** that member: its
//! record here is suspended, and the sub-chain gets the suspension through the outbox like one
//! the parent's authorities voted, which takes the member out of the sub-chain's active set
//! and opens a round without it (see `pallet-dbsca`). The sub-chain takes its key out of the
//! voter set at the start of the next block, a change the parent follows when it anchors it
//! (see the `anchors` module): until then its votes count.
//!
//! A proof for an earlier voter set, by a key outside the set, with the same vote twice or a
//! bad signature, or against a member already suspended or gone, is refused.

use crate::{pallet::*, *};
use dbm_primitives::{
	finality::{self, EquivocationProof},
	membership::{Destination, MemberInfo, Message, Reason},
};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Verifies `proof` against sub-chain `id`'s voter set and suspends the offender: what
	/// `report_equivocation` does. Returns the suspended member.
	pub fn do_report_equivocation(
		id: SubchainId,
		proof: EquivocationProof,
	) -> Result<T::AccountId, DispatchError> {
		let info = Subchains::<T>::get(id).ok_or(Error::<T>::UnknownSubchain)?;
		ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
		let voters = Voters::<T>::get(id).ok_or(Error::<T>::NotAnchoredHeight)?;
		ensure!(proof.set_id() == voters.set_id, Error::<T>::NotCurrentVoterSet);
		let index = voters
			.voters
			.iter()
			.position(|(key, _)| key == proof.offender())
			.ok_or(Error::<T>::UnknownVoter)?;
		ensure!(finality::check_equivocation(proof), Error::<T>::InvalidEquivocation);
		let who = VoterAccounts::<T>::get(id)
			.get(index)
			.cloned()
			.ok_or(Error::<T>::UnknownVoterAccount)?;
		let member = Members::<T>::get(id, &who).ok_or(Error::<T>::NotMember)?;
		ensure!(member.is_active(), Error::<T>::AlreadySuspended);
		Self::suspend_for_misconduct(id, &who, member)?;
		Ok(who)
	}

	/// Suspends `who`, a member of sub-chain `id` whose record is `member`, for proven
	/// misconduct: here, and through the outbox on the sub-chain, which takes it out of its
	/// active set and opens a round without it.
	pub(crate) fn suspend_for_misconduct(
		id: SubchainId,
		who: &T::AccountId,
		member: MemberInfo,
	) -> DispatchResult {
		Self::do_update_member(who, MemberInfo { suspended: true, ..member })?;
		T::Outbox::send(
			Destination::Subchain(id),
			Message::Suspend { who: who.clone(), reason: Reason::Misconduct },
		)
		.map(|_| ())
	}
}
