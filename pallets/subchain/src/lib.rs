//! # Sub-chain identity
//!
//! Every DB-Microgrid sub-chain is its own Substrate chain. This pallet holds the one fact that
//! makes each of them distinct: its [`SubchainId`], set in genesis and never changed. Because
//! the id is part of the genesis state, two sub-chains never share a genesis hash, and so never
//! share a network, a GRANDPA protocol name or a transaction's signed payload.
//!
//! The id is what the parent chain's registry knows the sub-chain by; the node reads it through
//! the [`dbm_primitives::SubchainApi`] runtime API. Ids start at 1: `SubchainId(0)` is reserved
//! and refused in genesis. Every sub-chain spec the node builds sets the id; a genesis without
//! one (only the runtime's bare default config, as FRAME's own genesis test builds it) fails
//! `try_state`.
//!
//! The pallet has no calls.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

pub use dbm_primitives::SubchainId;
pub use pallet::*;

#[cfg(test)]
mod tests;

#[frame_support::pallet]
pub mod pallet {
	use super::SubchainId;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// The pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration: the pallet needs nothing from the runtime.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// The id of this sub-chain, set in genesis.
	#[pallet::storage]
	pub type Id<T: Config> = StorageValue<_, SubchainId, OptionQuery>;

	/// Genesis: the sub-chain's id. A sub-chain without an id could share its genesis with
	/// another, so every real sub-chain sets it (see the crate docs).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// This sub-chain's id (from 1).
		pub subchain_id: Option<SubchainId>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(id) = self.subchain_id {
				assert!(id.0 != 0, "`subchain.subchainId` 0 is reserved: sub-chain ids start at 1");
				Id::<T>::put(id);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> Pallet<T> {
		/// This sub-chain's id, `None` only on a chain whose genesis did not set it.
		pub fn subchain_id() -> Option<SubchainId> {
			Id::<T>::get()
		}

		/// Invariants: the id is set, and it is not the reserved 0.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let id = Id::<T>::get().ok_or("the sub-chain id is not set")?;
			ensure!(id.0 != 0, "the sub-chain id is the reserved 0");
			Ok(())
		}
	}
}
