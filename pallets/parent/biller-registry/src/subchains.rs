//! The sub-chains' registration and status.
//!
//! `register_subchain`, `set_boot_nodes` and `set_status` (by `RegistryOrigin`) keep, for each
//! sub-chain, its id, name, location area, genesis hash, chain-spec hash and boot nodes, so a
//! newly assigned member can find and sync it; and its status (active, paused, retired). A
//! paused sub-chain accepts no anchors, elections or new members until resumed; a retired one
//! never again.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Bounds a list of boot nodes.
	pub(crate) fn boot_nodes(boot_nodes: Vec<Vec<u8>>) -> Result<BootNodes, Error<T>> {
		let bounded = boot_nodes
			.into_iter()
			.map(|node| BootNode::try_from(node).map_err(|_| Error::<T>::BootNodeTooLong))
			.collect::<Result<Vec<_>, _>>()?;
		BootNodes::try_from(bounded).map_err(|_| Error::<T>::TooManyBootNodes)
	}

	/// Registers a sub-chain, active.
	pub fn do_register(
		id: SubchainId,
		name: Vec<u8>,
		location: Vec<u8>,
		genesis_hash: H256,
		chain_spec_hash: H256,
		boot_nodes: Vec<Vec<u8>>,
	) -> DispatchResult {
		ensure!(id.0 != 0, Error::<T>::InvalidSubchainId);
		ensure!(!Subchains::<T>::contains_key(id), Error::<T>::AlreadyRegistered);
		ensure!(Subchains::<T>::count() < T::MaxSubchains::get(), Error::<T>::TooManySubchains);
		let name = Name::try_from(name).map_err(|_| Error::<T>::NameTooLong)?;
		let location = Location::try_from(location).map_err(|_| Error::<T>::LocationTooLong)?;
		let boot_nodes = Self::boot_nodes(boot_nodes)?;
		Subchains::<T>::insert(
			id,
			SubchainInfo {
				name,
				location,
				genesis_hash,
				chain_spec_hash,
				boot_nodes,
				status: SubchainStatus::Active,
				registered_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::SubchainRegistered { subchain: id, genesis_hash });
		Ok(())
	}

	/// Replaces sub-chain `id`'s boot nodes, unless it is retired.
	pub(crate) fn do_set_boot_nodes(id: SubchainId, boot_nodes: Vec<Vec<u8>>) -> DispatchResult {
		let boot_nodes = Self::boot_nodes(boot_nodes)?;
		Subchains::<T>::try_mutate(id, |info| {
			let info = info.as_mut().ok_or(Error::<T>::UnknownSubchain)?;
			ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
			info.boot_nodes = boot_nodes;
			Ok::<_, DispatchError>(())
		})
	}

	/// Pauses, resumes or retires sub-chain `id`, unless it is retired.
	pub(crate) fn do_set_status(id: SubchainId, status: SubchainStatus) -> DispatchResult {
		ensure!(
			status != SubchainStatus::Active || !Forks::<T>::contains_key(id),
			Error::<T>::UnresolvedFork
		);
		Subchains::<T>::try_mutate(id, |info| {
			let info = info.as_mut().ok_or(Error::<T>::UnknownSubchain)?;
			ensure!(info.status != SubchainStatus::Retired, Error::<T>::SubchainRetired);
			info.status = status;
			Self::authorities_may_have_changed();
			Ok::<_, DispatchError>(())
		})
	}

	/// Every registered sub-chain, by id.
	pub fn subchains() -> Vec<(SubchainId, SubchainInfo<BlockNumberFor<T>>)> {
		let mut all: Vec<_> = Subchains::<T>::iter().collect();
		all.sort_by_key(|(id, _)| *id);
		all
	}
}
