//! The registry's invariants, checked by `try_state` and after every unit test.

use crate::{pallet::*, MemberSet, SubchainStatus};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The registry's invariants:
	///
	/// * at most `MaxSubchains` sub-chains, none with id 0;
	/// * every member belongs to a registered sub-chain and `MemberOf` says which;
	///   `MemberCount` counts them (all, active), at most `MaxMembers`; the newest of
	///   `ActiveSets` is the set of its active members;
	/// * every confirmed committee is non-empty and of a registered sub-chain, with no GRANDPA
	///   keys (a genesis committee, round 0) or one distinct key per member; every
	///   re-election request is of one;
	/// * the unenacted voter sets are of registered sub-chains, each of distinct keys, in
	///   increasing round order;
	/// * the last anchor is in the window, and the window holds no anchor `AnchorWindow` or
	///   more below it or above it (anchors above it are left from a rewound fork); a sub-chain has a voter set exactly when its genesis is
	///   anchored, with voters that are distinct, weighted and at most `MaxVoters`, deciding
	///   from a block at most one past the last anchor, and the accounts of the set, where
	///   known, one per voter;
	/// * fork evidence is of a registered sub-chain that is not active, and names two blocks;
	/// * a seal offence is noted only for a member;
	/// * the disputes' (see `disputes_try_state`).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(Subchains::<T>::count() <= T::MaxSubchains::get(), "too many sub-chains");
		for id in BillerVotes::<T>::iter_keys() {
			ensure!(Subchains::<T>::contains_key(id), "a biller's vote noted for no sub-chain");
		}
		for (id, _) in Subchains::<T>::iter() {
			ensure!(id.0 != 0, "a sub-chain has id 0");
			let (mut all, mut active) = (0u32, 0u32);
			for (who, info) in Members::<T>::iter_prefix(id) {
				ensure!(MemberOf::<T>::get(&who) == Some(id), "MemberOf disagrees with Members");
				all += 1;
				active += u32::from(info.is_active());
			}
			ensure!(MemberCount::<T>::get(id) == (all, active), "MemberCount is off");
			let active_set = MemberSet::of(
				Members::<T>::iter_prefix(id).filter(|(_, m)| m.is_active()).map(|(who, _)| who),
			);
			ensure!(Self::active_set_of(id) == active_set, "the member set is not the active one");
			ensure!(all <= T::MaxMembers::get(), "too many members");
			if let Some(last) = LastAnchor::<T>::get(id) {
				ensure!(
					Anchors::<T>::get(id, last.number).is_some_and(|a| a.hash == last.hash),
					"the last anchor is not in the window"
				);
				// Anchors above the last are left from a fork the record was rewound from: they
				// were in the window of the old last anchor, and are replaced as the record grows.
				for (number, _) in Anchors::<T>::iter_prefix(id) {
					ensure!(
						number.abs_diff(last.number) < T::AnchorWindow::get(),
						"an anchor outside the window"
					);
				}
				let voters = Voters::<T>::get(id).ok_or("an anchored sub-chain without voters")?;
				ensure!(
					!voters.voters.is_empty()
						&& voters.voters.len() <= T::MaxVoters::get() as usize,
					"a voter set empty or too large"
				);
				for (i, (key, weight)) in voters.voters.iter().enumerate() {
					ensure!(
						*weight > 0 && !voters.voters[..i].iter().any(|(other, _)| other == key),
						"a voter without weight or listed twice"
					);
				}
				ensure!(voters.from <= last.number + 1, "a voter set from beyond the anchors");
				let accounts = VoterAccounts::<T>::decode_len(id).unwrap_or(0);
				ensure!(
					accounts == 0 || accounts == voters.voters.len(),
					"voter accounts that are not one per voter"
				);
				let sidelined = Sidelined::<T>::get(id);
				for (i, (key, ..)) in sidelined.iter().enumerate() {
					ensure!(
						!voters.voters.iter().any(|(voter, _)| voter == key)
							&& !sidelined[..i].iter().any(|(other, ..)| other == key),
						"a sidelined voter that votes, or is sidelined twice"
					);
				}
			} else {
				ensure!(Anchors::<T>::iter_prefix(id).next().is_none(), "anchors without a head");
				ensure!(!Voters::<T>::contains_key(id), "voters before the genesis anchor");
				ensure!(
					!Sidelined::<T>::contains_key(id),
					"voters left out before the genesis anchor"
				);
			}
		}
		for (who, id) in MemberOf::<T>::iter() {
			ensure!(Members::<T>::contains_key(id, &who), "MemberOf points at no member");
		}
		for (id, election) in Elections::<T>::iter() {
			ensure!(Subchains::<T>::contains_key(id), "an election of an unknown sub-chain");
			ensure!(!election.committee.is_empty(), "an empty committee");
			ensure!(
				(election.round == 0 && election.voters.is_empty())
					|| election.voters.len() == election.committee.len(),
				"a confirmed committee without one GRANDPA key per member"
			);
		}
		for (id, waiting) in Unenacted::<T>::iter() {
			ensure!(Subchains::<T>::contains_key(id), "voters of an unknown sub-chain");
			for (i, elected) in waiting.iter().enumerate() {
				ensure!(
					i == 0 || waiting[i - 1].round < elected.round,
					"unenacted voters out of round order"
				);
				let keys = &elected.voters;
				ensure!(
					!keys.is_empty()
						&& keys.iter().enumerate().all(|(j, key)| !keys[..j].contains(key)),
					"unenacted voters empty or repeated"
				);
			}
		}
		for id in Reelections::<T>::iter_keys() {
			ensure!(Subchains::<T>::contains_key(id), "a re-election of an unknown sub-chain");
		}
		for who in SealOffences::<T>::iter_keys() {
			ensure!(MemberOf::<T>::contains_key(&who), "a seal offence of no member");
		}
		for (id, fork) in Forks::<T>::iter() {
			let info = Subchains::<T>::get(id).ok_or("fork evidence of an unknown sub-chain")?;
			ensure!(info.status != SubchainStatus::Active, "an active sub-chain with a fork");
			ensure!(fork.anchored != fork.conflicting, "fork evidence without a conflict");
		}
		Self::disputes_try_state()?;
		let mut owned = 0usize;
		for (who, keys) in ParentKeys::<T>::iter() {
			let ids = Self::key_ids(&keys);
			owned += ids.len();
			for id in ids {
				ensure!(KeyOwner::<T>::get(id) == Some(who.clone()), "KeyOwner disagrees");
			}
		}
		ensure!(KeyOwner::<T>::iter().count() == owned, "KeyOwner has keys nobody holds");
		let operators = Operators::<T>::get();
		Self::check_operators(&operators).map_err(|_| "operators listed twice")?;
		let authorities = Authorities::<T>::get();
		for (i, who) in authorities.iter().enumerate() {
			ensure!(!authorities[..i].contains(who), "an authority listed twice");
		}
		Ok(())
	}
}
