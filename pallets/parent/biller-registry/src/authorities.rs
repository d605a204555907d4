//! The parent chain's authorities: the standing operators and the billers of the active
//! sub-chains.
//!
//! # The set
//!
//! The operators, in their order, then the biller (first of the confirmed committee) of each
//! active sub-chain, by sub-chain id, if the biller
//!
//! * is an active member, has registered its parent keys with a proof of possession
//!   (`set_parent_keys`) and is not an operator already;
//! * is **live**: an anchor of its sub-chain carried a justification holding the biller's own
//!   GRANDPA vote in the last `BillerLiveness` parent blocks ([`BillerVotes`]). A biller whose
//!   node stopped voting, or whose sub-chain stopped being anchored, leaves the set in the
//!   block after that runs out, and comes back with its next anchored vote;
//!
//! and only as long as **billers stay below a third** of the set: with `o` operators holding
//! keys, at most `(o - 1) / 2` billers (one with four operators, two with five or six), taken
//! in sub-chain order. The operators then hold more than two thirds of the GRANDPA votes on
//! their own: no number of dead, captured or colluding billers can stall the parent's finality
//! or finalize anything the operators did not vote for. Billers are elected by the members of
//! their sub-chains, which anyone admitted by a vote can join; operators are appointed by the
//! parent's council. Operators without parent keys are left out. The same accounts are the
//! parent's membership voters and its council.
//!
//! # When it changes, and the timing
//!
//! A call that may change the set (a confirmed election, a status change, a member added,
//! removed or updated, new operators or parent keys) marks it stale. The next block's
//! `on_initialize` computes it and, if it differs from the set in force (accounts or keys: a
//! rotated key counts), hands it to `Config::AuthorityHandler`. The parent runtime's handler
//! changes the authorities directly, without sessions: Aura's list at once (the next block is
//! authored and checked against it), and a GRANDPA standard change with no delay, which the
//! nodes apply when that block is finalized by the outgoing voters. Should the handler refuse
//! (GRANDPA's `ChangePending`, or too many Aura authorities), the set stays stale and the next
//! block tries again.
//!
//! A set of fewer than `MinAuthorities` is never applied (`AuthoritySetTooSmall`): with four
//! or more GRANDPA voters one dead biller cannot stall the parent's finality, on which every
//! proof the sub-chains wait for depends. The authorities in force stay until enough operators
//! and billers are known.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::Saturating;

/// Puts a new parent authority set in charge of consensus.
pub trait AuthorityHandler<AccountId, Keys> {
	/// Makes `authorities` (accounts with their parent keys, in order) the block authors and
	/// finality voters; fails if a change cannot be made now (it is tried again next block).
	fn apply(authorities: &[(AccountId, Keys)]) -> DispatchResult;
}

/// Changes nothing: for chains (and tests) that keep consensus apart.
impl<AccountId, Keys> AuthorityHandler<AccountId, Keys> for () {
	fn apply(_: &[(AccountId, Keys)]) -> DispatchResult {
		Ok(())
	}
}

/// The most parent authorities: every operator and one biller per sub-chain.
pub struct MaxAuthoritiesOf<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u32> for MaxAuthoritiesOf<T> {
	fn get() -> u32 {
		T::MaxOperators::get().saturating_add(T::MaxSubchains::get())
	}
}

impl<T: Config> Pallet<T> {
	/// The parent authority set the registry describes now (see the module docs).
	pub fn expected_authorities() -> Vec<(T::AccountId, T::AuthorityKeys)> {
		let mut set: Vec<(T::AccountId, T::AuthorityKeys)> = Vec::new();
		// Adds `who` with its parent keys, if it has keys and is not in the set yet.
		let add = |set: &mut Vec<(T::AccountId, T::AuthorityKeys)>, who: &T::AccountId| {
			if set.iter().any(|(other, _)| other == who) {
				return false;
			}
			ParentKeys::<T>::get(who).map(|keys| set.push((who.clone(), keys))).is_some()
		};
		for who in Operators::<T>::get().iter() {
			add(&mut set, who);
		}
		// Billers stay below a third of the set: `3b < o + b`.
		let room = set.len().saturating_sub(1) / 2;
		let mut subchains: Vec<_> = Subchains::<T>::iter()
			.filter(|(_, info)| info.status == SubchainStatus::Active)
			.map(|(id, _)| id)
			.collect();
		subchains.sort();
		let now = frame_system::Pallet::<T>::block_number();
		let mut billers = 0;
		for id in subchains {
			if billers == room {
				break;
			}
			let biller = Elections::<T>::get(id).and_then(|e| e.committee.first().cloned());
			let eligible = biller
				.filter(|b| Self::is_active_member(id, b) && Self::is_live_biller(id, b, now));
			if eligible.is_some_and(|biller| add(&mut set, &biller)) {
				billers += 1;
			}
		}
		set
	}

	/// Whether `who`, as sub-chain `id`'s biller, had its own vote in an anchored justification
	/// less than `BillerLiveness` blocks before `now`.
	pub fn is_live_biller(id: SubchainId, who: &T::AccountId, now: BlockNumberFor<T>) -> bool {
		BillerVotes::<T>::get(id).is_some_and(|(biller, at)| {
			&biller == who && now < at.saturating_add(T::BillerLiveness::get())
		})
	}

	/// Notes that an anchor of sub-chain `id` was justified by `signers` of `voters`: if the
	/// biller of its confirmed committee is among them (its key found through
	/// [`VoterAccounts`]), it is live from now, and a biller that was not live before may join
	/// the authority set.
	pub(crate) fn note_biller_vote(
		id: SubchainId,
		voters: &dbm_primitives::registry::GrandpaVoters,
		signers: &[dbm_primitives::finality::AuthorityId],
	) {
		let Some(biller) = Elections::<T>::get(id).and_then(|e| e.committee.first().cloned())
		else {
			return;
		};
		let accounts = VoterAccounts::<T>::get(id);
		let Some(index) = accounts.iter().position(|who| *who == biller) else { return };
		let Some((key, _)) = voters.voters.get(index) else { return };
		if !signers.contains(key) {
			return;
		}
		let now = frame_system::Pallet::<T>::block_number();
		if !Self::is_live_biller(id, &biller, now) {
			Self::authorities_may_have_changed();
			Self::deposit_event(Event::BillerLive { subchain: id, biller: biller.clone() });
		}
		BillerVotes::<T>::insert(id, (biller, now));
	}

	/// Marks the authority set stale in the block where sub-chain `id`'s biller stops being
	/// live, so it leaves the set in the next block.
	pub(crate) fn watch_biller_liveness(id: SubchainId, now: BlockNumberFor<T>) {
		if BillerVotes::<T>::get(id)
			.is_some_and(|(_, at)| now == at.saturating_add(T::BillerLiveness::get()))
		{
			Self::authorities_may_have_changed();
		}
	}

	/// Whether `who` is an active member of its sub-chain and in the committee the parent
	/// confirmed for it: the biller, or one elected with it.
	pub(crate) fn in_confirmed_committee(who: &T::AccountId) -> bool {
		MemberOf::<T>::get(who).is_some_and(|id| {
			Self::is_active_member(id, who)
				&& Elections::<T>::get(id).is_some_and(|e| e.committee.contains(who))
		})
	}

	/// Checks and bounds a list of operators.
	pub(crate) fn check_operators(
		operators: &[T::AccountId],
	) -> Result<BoundedVec<T::AccountId, T::MaxOperators>, Error<T>> {
		for (i, who) in operators.iter().enumerate() {
			ensure!(!operators[..i].contains(who), Error::<T>::DuplicateOperator);
		}
		BoundedVec::try_from(operators.to_vec()).map_err(|_| Error::<T>::TooManyOperators)
	}

	/// The public keys in `keys`, as [`KeyOwner`] indexes them.
	pub(crate) fn key_ids(keys: &T::AuthorityKeys) -> Vec<KeyId> {
		use sp_runtime::traits::OpaqueKeys;
		T::AuthorityKeys::key_ids()
			.iter()
			.map(|id| {
				(
					id.0,
					<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(
						keys.get_raw(*id),
					)
					.0,
				)
			})
			.collect()
	}

	/// Records `who`'s parent keys, replacing earlier ones.
	pub(crate) fn do_set_parent_keys(
		who: &T::AccountId,
		keys: T::AuthorityKeys,
	) -> Result<(), Error<T>> {
		let new = Self::key_ids(&keys);
		for id in &new {
			if let Some(owner) = KeyOwner::<T>::get(id) {
				ensure!(&owner == who, Error::<T>::KeysInUse);
			}
		}
		if let Some(old) = ParentKeys::<T>::get(who) {
			for id in Self::key_ids(&old) {
				KeyOwner::<T>::remove(id);
			}
		}
		for id in new {
			KeyOwner::<T>::insert(id, who);
		}
		ParentKeys::<T>::insert(who, keys);
		Ok(())
	}

	/// Replaces the standing operators: what `set_operators` does.
	pub(crate) fn do_set_operators(operators: &[T::AccountId]) -> DispatchResult {
		let bounded = Self::check_operators(operators)?;
		Operators::<T>::put(bounded);
		Self::authorities_may_have_changed();
		Ok(())
	}

	/// Records the parent keys of `who`, an operator or a committee member, proven by `proof`:
	/// what `set_parent_keys` does.
	pub(crate) fn do_register_parent_keys(
		who: &T::AccountId,
		keys: T::AuthorityKeys,
		proof: &[u8],
	) -> DispatchResult {
		use codec::Encode;
		use sp_runtime::traits::OpaqueKeys;
		ensure!(
			Operators::<T>::get().contains(who) || Self::in_confirmed_committee(who),
			Error::<T>::NotEligible
		);
		ensure!(
			who.using_encoded(|owner| keys.ownership_proof_is_valid(owner, proof)),
			Error::<T>::InvalidKeyProof
		);
		Self::do_set_parent_keys(who, keys)?;
		Self::authorities_may_have_changed();
		Ok(())
	}

	/// The hash of an authority set with its keys: what tells a changed set from the one in
	/// force.
	pub(crate) fn set_hash(set: &[(T::AccountId, T::AuthorityKeys)]) -> sp_core::H256 {
		use codec::Encode;
		<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(&set.encode())
	}

	/// Marks the authority set stale: the next `on_initialize` recomputes it.
	pub(crate) fn authorities_may_have_changed() {
		AuthoritiesStale::<T>::put(true);
	}

	/// Recomputes a stale authority set and applies it if it changed. Whether it did any work.
	pub(crate) fn refresh_authorities() -> bool {
		if !AuthoritiesStale::<T>::get() {
			return false;
		}
		let set = Self::expected_authorities();
		let accounts: Vec<T::AccountId> = set.iter().map(|(who, _)| who.clone()).collect();
		let hash = Self::set_hash(&set);
		if AuthoritySetHash::<T>::get() == Some(hash) {
			AuthoritiesStale::<T>::kill();
			return true;
		}
		let count = set.len() as u32;
		if count < T::MinAuthorities::get() {
			AuthoritiesStale::<T>::kill();
			Self::deposit_event(Event::AuthoritySetTooSmall { count });
			return true;
		}
		// The set is at most every operator and one biller per sub-chain.
		let Ok(bounded) = BoundedVec::<_, MaxAuthoritiesOf<T>>::try_from(accounts.clone()) else {
			AuthoritiesStale::<T>::kill();
			return true;
		};
		match T::AuthorityHandler::apply(&set) {
			Ok(()) => {
				Authorities::<T>::put(bounded);
				AuthoritySetHash::<T>::put(hash);
				AuthoritiesStale::<T>::kill();
				Self::deposit_event(Event::AuthoritiesChanged { authorities: accounts });
			}
			Err(error) => {
				log::debug!(
					target: LOG_TARGET,
					"parent authority change deferred to the next block: {error:?}"
				);
			}
		}
		true
	}
}

/// The parent's membership voters are its authorities.
impl<T: Config> VoterSet<T::AccountId> for Pallet<T> {
	fn is_voter(who: &T::AccountId) -> bool {
		Authorities::<T>::get().contains(who)
	}

	fn voter_count() -> u32 {
		Authorities::<T>::decode_len().unwrap_or(0) as u32
	}
}
