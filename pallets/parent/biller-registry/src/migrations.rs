//! Storage migrations, each from one storage version of the pallet to the next.

use crate::pallet::*;

/// Version 0 to 1: fork evidence keeps the GRANDPA round of the conflicting justification.
pub mod v1 {
	use super::*;
	use alloc::vec::Vec;
	use codec::{Decode, DecodeAll};
	use core::marker::PhantomData;
	use dbm_primitives::{finality::AuthorityId, registry::ForkEvidence, BlockNumber};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_core::H256;

	/// The round of evidence reported before rounds were kept: no justification's round is
	/// compared with it (`exclude_fork_signers` refuses it as `DifferentRounds`), and the
	/// council resolves the fork as before.
	pub const UNKNOWN_ROUND: u64 = u64::MAX;

	/// Fork evidence as version 0 stored it.
	#[derive(Decode)]
	pub struct OldForkEvidence<AccountId, ParentBlockNumber> {
		number: BlockNumber,
		anchored: H256,
		conflicting: H256,
		set_id: u64,
		signers: BoundedVec<AuthorityId, ConstU32<{ dbm_primitives::registry::MAX_VOTERS }>>,
		reporter: AccountId,
		reported_at: ParentBlockNumber,
	}

	/// Gives every piece of fork evidence kept without a round [`UNKNOWN_ROUND`]. A value that
	/// reads whole in the new layout already (written by a runtime that kept rounds before the
	/// storage version said so) is left alone; one that reads whole in neither is left alone
	/// and logged.
	pub struct KeepRounds<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for KeepRounds<T> {
		fn on_runtime_upgrade() -> Weight {
			use frame_support::storage::unhashed;
			let (mut reads, mut writes) = (0u64, 0u64);
			for id in Forks::<T>::iter_keys().collect::<Vec<_>>() {
				reads += 1;
				let key = Forks::<T>::hashed_key_for(id);
				let Some(raw) = unhashed::get_raw(&key) else { continue };
				if ForkEvidenceOf::<T>::decode_all(&mut &raw[..]).is_ok() {
					continue;
				}
				match OldForkEvidence::<T::AccountId, BlockNumberFor<T>>::decode_all(&mut &raw[..])
				{
					Ok(old) => {
						Forks::<T>::insert(
							id,
							ForkEvidence {
								number: old.number,
								anchored: old.anchored,
								conflicting: old.conflicting,
								set_id: old.set_id,
								round: UNKNOWN_ROUND,
								signers: old.signers,
								reporter: old.reporter,
								reported_at: old.reported_at,
							},
						);
						writes += 1;
					}
					Err(_) => log::error!(
						target: "runtime::biller-registry",
						"the fork evidence of sub-chain {id:?} reads in no known layout"
					),
				}
			}
			T::DbWeight::get().reads_writes(reads.saturating_add(1), writes)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			for id in Forks::<T>::iter_keys() {
				ensure!(Forks::<T>::get(id).is_some(), "fork evidence that does not read");
			}
			Ok(())
		}
	}

	/// [`KeepRounds`], run once: from storage version 0 to 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, KeepRounds<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
