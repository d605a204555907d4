//! Reading a sub-chain's state: a storage proof against the state root of a sub-chain header
//! the biller registry anchored. Every call checks its proof here first.

use crate::{pallet::*, *};
use codec::Decode;
use dbm_primitives::proof::ProofError;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// The value under `key` in the state of `subchain`'s anchored block `number`, as
	/// `proof` shows it: `None` if the proof shows there is none.
	pub fn read<V: Decode>(
		subchain: SubchainId,
		number: SubchainBlockNumber,
		proof: RawProof,
		key: &[u8],
	) -> Result<Option<V>, DispatchError> {
		let root = T::Anchors::state_root(subchain, number).ok_or(Error::<T>::UnknownAnchor)?;
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
