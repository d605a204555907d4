//! # Sub-chain identity
//!
//! Every DB-Microgrid sub-chain is its own Substrate chain. This pallet holds the one fact that
//! makes each of them distinct: its [`SubchainId`], set in genesis and never changed. Because
//! the id is part of the genesis state, two sub-chains never share a genesis hash, and so never
//! share a network, a GRANDPA protocol name or a transaction's signed payload.
//!
//! The id is what the parent chain's registry knows the sub-chain by; the node reads it through
//! the [`dbm_primitives::SubchainApi`] runtime API.
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

	/// Genesis: the sub-chain's id. Required: a sub-chain without an id could share its genesis
	/// with another.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// This sub-chain's id.
		pub subchain_id: Option<SubchainId>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let id = self.subchain_id.expect(
				"the sub-chain genesis must set `subchain.subchainId`: it tells sub-chains apart",
			);
			Id::<T>::put(id);
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
		/// This sub-chain's id.
		///
		/// The genesis build guarantees that it is set; `SubchainId::default()` would only be
		/// returned on a chain whose genesis bypassed this pallet.
		pub fn subchain_id() -> SubchainId {
			Id::<T>::get().unwrap_or_default()
		}

		/// Invariants: the id is set.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(Id::<T>::exists(), "the sub-chain id is not set");
			Ok(())
		}
	}
}
