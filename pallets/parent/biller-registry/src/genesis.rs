//! The registry's genesis: the sub-chains with their members and committees, and the
//! standing operators with their parent keys. A genesis the calls would refuse panics with a
//! message naming the culprit.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::traits::Zero;

/// A sub-chain registered at genesis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenesisSubchain<AccountId> {
	/// Its id.
	pub id: SubchainId,
	/// Its name.
	pub name: Vec<u8>,
	/// Its location area.
	pub location: Vec<u8>,
	/// Its genesis hash.
	pub genesis_hash: H256,
	/// Its chain-spec hash.
	pub chain_spec_hash: H256,
	/// Its boot nodes.
	pub boot_nodes: Vec<Vec<u8>>,
	/// Its members.
	pub members: Vec<(AccountId, MemberInfo)>,
	/// Its committee in force (round 0), the biller first; may be empty.
	pub committee: Vec<AccountId>,
}

impl<T: Config> Pallet<T> {
	/// Builds the genesis state of `config`.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for s in &config.subchains {
			let id = s.id;
			Self::do_register(
				id,
				s.name.clone(),
				s.location.clone(),
				s.genesis_hash,
				s.chain_spec_hash,
				s.boot_nodes.clone(),
			)
			.unwrap_or_else(|e| {
				panic!("biller-registry genesis: sub-chain {id} cannot be registered: {e:?}")
			});
			for (who, info) in &s.members {
				Self::do_add_member(id, who, *info).unwrap_or_else(|e| {
					panic!("biller-registry genesis: member {who:?} of sub-chain {id}: {e:?}")
				});
			}
			if !s.committee.is_empty() {
				let committee =
					Self::check_committee(id, s.committee.clone()).unwrap_or_else(|e| {
						panic!("biller-registry genesis: committee of sub-chain {id}: {e:?}")
					});
				// Whose the genesis voters are, if they are one per member of it.
				VoterAccounts::<T>::insert(id, committee.clone());
				Elections::<T>::insert(
					id,
					ConfirmedElection {
						round: 0,
						committee,
						// The genesis anchor proves the genesis voters.
						voters: Default::default(),
						confirmed_at: Zero::zero(),
					},
				);
			}
		}
		let operators: Vec<T::AccountId> =
			config.operators.iter().map(|(who, _)| who.clone()).collect();
		Self::check_operators(&operators)
			.and_then(|operators| {
				Operators::<T>::put(operators);
				config
					.operators
					.iter()
					.try_for_each(|(who, keys)| Self::do_set_parent_keys(who, keys.clone()))
			})
			.unwrap_or_else(|e| panic!("biller-registry genesis: operators: {e:?}"));
		let set = Self::expected_authorities();
		AuthoritySetHash::<T>::put(Self::set_hash(&set));
		// Computed just now: nothing is stale.
		AuthoritiesStale::<T>::kill();
		let authorities: Vec<T::AccountId> = set.into_iter().map(|(who, _)| who).collect();
		Authorities::<T>::put(
			BoundedVec::try_from(authorities).expect("operators and one biller per sub-chain"),
		);
	}
}
