//! Following the parent's forced change of its voter set, and keeping track of where the
//! light client's set started.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use dbm_primitives::finality::{
	follow::{follow_forced_change, FollowError, Followed},
	ChangeError, ForcedSetError,
};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Header as _;

impl<T: Config> Pallet<T> {
	/// Notes the block the light client's set started from when the set changed since the
	/// last look (its last finalized block plus one: the set can have started no later).
	/// `true` if it changed.
	pub(crate) fn note_set_start() -> bool {
		let Some(client) = T::Parent::light_client() else { return false };
		let known = ParentSetStart::<T>::get().map_or(0, |(set_id, _)| set_id);
		if client.set_id == known {
			return false;
		}
		ParentSetStart::<T>::put((client.set_id, client.finalized.1.saturating_add(1)));
		true
	}

	/// The first block of the light client's set in force.
	pub fn parent_set_start(client: &LightClientState) -> ParentBlockNumber {
		match ParentSetStart::<T>::get() {
			Some((set_id, start)) if set_id == client.set_id => start,
			// The set changed in this block: it started no later than after the last header.
			Some(_) => client.finalized.1.saturating_add(1),
			None if client.set_id == 0 => 1,
			None => client.finalized.1.saturating_add(1),
		}
	}

	pub(crate) fn do_follow_forced_change(
		headers: Vec<ParentHeader>,
		justification: ParentJustification,
	) -> DispatchResult {
		let client = T::Parent::light_client().ok_or(Error::<T>::LightClientNotInitialized)?;
		ensure!(
			justification.commit.precommits.len() as u64
				<= 2 * u64::from(T::MaxParentVoters::get())
				&& justification.votes_ancestries.len() as u64
					<= u64::from(T::MaxForcedHeaders::get()),
			Error::<T>::JustificationTooLarge
		);
		// The two justification types encode alike.
		let justification = Justification::decode(&mut &justification.encode()[..])
			.map_err(|_| Error::<T>::InvalidJustification)?;
		let followed = Followed {
			set_id: client.set_id,
			voters: &client.voters,
			start: Self::parent_set_start(&client),
			finalized: client.finalized,
		};
		let forced =
			follow_forced_change(followed, &headers, &justification).map_err(follow_error::<T>)?;
		let best = headers.last().cloned().ok_or(Error::<T>::NoHeaders)?;
		let (hash, number) = (best.hash(), *best.number());
		T::Parent::follow(forced.set_id, forced.voters, best)?;
		ParentSetStart::<T>::put((forced.set_id, forced.start));
		Self::deposit_event(Event::ParentSetForced {
			set_id: forced.set_id,
			signal: forced.signal,
			median: forced.median,
			finalized: hash,
			number,
		});
		Ok(())
	}
}

/// The pallet's name for why a forced change is not followed.
fn follow_error<T: Config>(error: FollowError) -> Error<T> {
	match error {
		FollowError::NoHeaders => Error::<T>::NoHeaders,
		FollowError::BeforeSetStart => Error::<T>::BeforeSetStart,
		FollowError::NotLinked => Error::<T>::HeadersNotLinked,
		FollowError::Unfollowable(
			ChangeError::Undecodable | ChangeError::Delayed | ChangeError::Unsupported,
		) => Error::<T>::UnfollowableChange,
		FollowError::NoForcedChange => Error::<T>::NoForcedChange,
		FollowError::TwoForcedChanges => Error::<T>::TwoForcedChanges,
		FollowError::FinalizedChangeSkipped => Error::<T>::FinalizedChangeSkipped,
		FollowError::NotEnacted => Error::<T>::ForcedChangeNotEnacted,
		FollowError::Set(ForcedSetError::NotPartOfTheSet) => Error::<T>::ForcedSetNotPartOfTheSet,
		FollowError::Set(ForcedSetError::TooWeak) => Error::<T>::ForcedSetTooWeak,
		FollowError::Justification(_) => Error::<T>::InvalidJustification,
	}
}
