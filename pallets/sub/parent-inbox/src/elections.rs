//! The parent's confirmed elections and re-election requests for this sub-chain, each taken
//! once.

use crate::{pallet::*, *};
use dbm_primitives::parent_state;
use frame_support::{ensure, pallet_prelude::*, storage::with_storage_layer};

impl<T: Config> Pallet<T> {
	/// Takes the election the parent confirmed, proven against the finalized parent header
	/// `at`, and puts it in force in a storage layer of its own: what `enact_election` does.
	/// Returns its round and what enacting it gave.
	pub(crate) fn do_enact_election(
		at: H256,
		proof: RawProof,
	) -> Result<(u32, DispatchResult), DispatchError> {
		let id = Self::subchain()?;
		let election: ElectionOf<T> = Self::read(at, proof, &parent_state::election_key(id))?
			.ok_or(Error::<T>::NoConfirmedElection)?;
		if let Some(confirmed_at) = LastConfirmation::<T>::get() {
			ensure!(election.confirmed_at > confirmed_at, Error::<T>::AlreadyEnacted);
		}
		if let Some(round) = T::Decisions::enacted_round() {
			ensure!(election.round > round, Error::<T>::AlreadyEnacted);
		}
		LastConfirmation::<T>::put(election.confirmed_at);
		let round = election.round;
		Ok((round, with_storage_layer(|| T::Decisions::enact(&election))))
	}

	/// Takes the parent's request for a new election, proven against the finalized parent
	/// header `at`, and opens the round in a storage layer of its own: what `request_election`
	/// does. Returns the request and what opening the round gave.
	pub(crate) fn do_request_election(
		at: H256,
		proof: RawProof,
	) -> Result<(Reelection<T::AccountId, ParentBlockNumber>, DispatchResult), DispatchError> {
		let id = Self::subchain()?;
		let request: Reelection<T::AccountId, ParentBlockNumber> =
			Self::read(at, proof, &parent_state::reelection_key(id))?
				.ok_or(Error::<T>::NoReelectionRequested)?;
		if let Some(last) = LastReelection::<T>::get() {
			ensure!(request.requested_at > last, Error::<T>::AlreadyRequested);
		}
		if let Some(confirmed_at) = LastConfirmation::<T>::get() {
			ensure!(request.requested_at > confirmed_at, Error::<T>::RequestWithdrawn);
		}
		LastReelection::<T>::put(request.requested_at);
		let result = with_storage_layer(|| T::Decisions::reelect(request.excluded.clone()));
		Ok((request, result))
	}
}
