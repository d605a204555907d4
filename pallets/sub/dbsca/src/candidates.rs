//! Candidates: nomination, updates, withdrawal and pruning, under the attestation rule.
//!
//! Only an active member whose role supplies power (generator or storage) may `nominate`
//! itself, with its attributes, capacity and location. The attributes are checked against the
//! ones the join vote **attested** for the member (held by the member registry, `T::Members`):
//! a candidate may declare each attribute at most as good as attested (renewable only if
//! attested renewable), never better. The score always uses the declared attributes capped by
//! the attested ones, so when the registry lowers an attestation later (e.g. the stability
//! score after undelivered trades), the candidate's score drops with it at once.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_runtime::Permill;

impl<T: Config> Pallet<T> {
	/// Checks a declaration against the member's record; returns the location, bounded.
	pub(crate) fn check_declaration(
		info: &MemberInfo,
		attributes: &NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<BoundedVec<u8, T::MaxLocationLen>, DispatchError> {
		ensure!(info.role.supplies(), Error::<T>::NotASupplier);
		ensure!(attributes.within(&info.attested), Error::<T>::AttributesNotAttested);
		ensure!(capacity_w > 0, Error::<T>::ZeroCapacity);
		Ok(location.try_into().map_err(|_| Error::<T>::LocationTooLong)?)
	}

	/// Checks `who`'s declaration against its member record, stores it as its candidacy from
	/// this block on, and returns its score.
	fn store_declaration(
		who: &T::AccountId,
		info: &MemberInfo,
		attributes: NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<Permill, DispatchError> {
		let location = Self::check_declaration(info, &attributes, capacity_w, location)?;
		let since = frame_system::Pallet::<T>::block_number();
		Candidates::<T>::insert(who, Candidate { attributes, capacity_w, location, since });
		Ok(Weights::<T>::get().score(&attributes.capped_by(&info.attested)))
	}

	pub(crate) fn do_nominate(
		who: &T::AccountId,
		attributes: NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<Permill, DispatchError> {
		let info = T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(!Candidates::<T>::contains_key(who), Error::<T>::AlreadyCandidate);
		ensure!(Candidates::<T>::count() < T::MaxCandidates::get(), Error::<T>::TooManyCandidates);
		Self::store_declaration(who, &info, attributes, capacity_w, location)
	}

	pub(crate) fn do_update_candidacy(
		who: &T::AccountId,
		attributes: NodeAttributes,
		capacity_w: u32,
		location: Vec<u8>,
	) -> Result<Permill, DispatchError> {
		ensure!(Candidates::<T>::contains_key(who), Error::<T>::NotCandidate);
		let info = T::Members::active_member(who).ok_or(Error::<T>::NotMember)?;
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		Self::store_declaration(who, &info, attributes, capacity_w, location)
	}

	pub(crate) fn do_withdraw(who: &T::AccountId) -> DispatchResult {
		ensure!(Candidates::<T>::contains_key(who), Error::<T>::NotCandidate);
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		Candidates::<T>::remove(who);
		Ok(())
	}

	pub(crate) fn do_prune(who: &T::AccountId) -> DispatchResult {
		ensure!(T::Members::member(who).is_none(), Error::<T>::StillMember);
		let candidate = Candidates::<T>::contains_key(who);
		let keys = Keys::<T>::contains_key(who);
		ensure!(candidate || keys, Error::<T>::NotCandidate);
		ensure!(!Self::in_election(who), Error::<T>::InElection);
		ensure!(!Self::keys_in_use(who), Error::<T>::KeysInUse);
		Candidates::<T>::remove(who);
		Self::remove_keys(who);
		Ok(())
	}

	/// Whether `who` is in the open round's committee or the election awaiting enactment.
	pub(crate) fn in_election(who: &T::AccountId) -> bool {
		CurrentRound::<T>::get().is_some_and(|r| r.committee.iter().any(|(a, _)| a == who))
			|| PendingElection::<T>::get().is_some_and(|e| e.committee.contains(who))
	}
}
