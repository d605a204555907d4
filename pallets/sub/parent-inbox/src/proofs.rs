//! Reading the parent's state: a storage proof against a parent header the light client
//! finalized. Every call checks its proof here first.

use crate::{pallet::*, *};
use codec::Decode;
use dbm_primitives::proof::ProofError;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// This chain's sub-chain id; fails on a chain without one.
	pub(crate) fn subchain() -> Result<SubchainId, Error<T>> {
		let id = T::SubchainId::get();
		ensure!(id != SubchainId::default(), Error::<T>::NoSubchainId);
		Ok(id)
	}

	/// The value under `key` in the state of the finalized parent header `at`, as `proof`
	/// shows it: `None` if the proof shows there is none.
	pub fn read<V: Decode>(
		at: H256,
		proof: RawProof,
		key: &[u8],
	) -> Result<Option<V>, DispatchError> {
		let root = T::Parent::state_root(&at).ok_or(Error::<T>::UnknownParentHeader)?;
		let (nodes, size) = (T::MaxProofNodes::get(), T::MaxProofSize::get());
		dbm_primitives::proof::read(root, proof, key, nodes, size).map_err(|e| {
			match e {
				ProofError::TooLarge => Error::<T>::ProofTooLarge,
				ProofError::Invalid => Error::<T>::InvalidProof,
				ProofError::Undecodable => Error::<T>::UndecodableEntry,
			}
			.into()
		})
	}
}
