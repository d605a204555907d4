//! The genesis: weights, committee size, candidates with keys, and the first committee.

use crate::{pallet::*, *};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use sp_runtime::traits::Zero;

/// A candidate of the genesis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisCandidate<AccountId> {
	/// The candidate.
	pub account: AccountId,
	/// Its declared attributes (within the attested ones).
	pub attributes: NodeAttributes,
	/// Its capacity in watts.
	pub capacity_w: u32,
	/// Its location.
	pub location: Vec<u8>,
}

impl<T: Config> Pallet<T> {
	/// Builds the genesis state of `config`; panics on one the calls would refuse.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		assert!(config.weights.validate().is_ok(), "`dbsca.weights` must sum to 100%");
		Weights::<T>::put(config.weights);
		let size = config.committee_size.max(1);
		assert!(
			Self::ensure_committee_size(size).is_ok(),
			"`dbsca.committeeSize` exceeds MaxCommittee"
		);
		CommitteeSize::<T>::put(size);
		assert!(
			config.candidates.len() <= T::MaxCandidates::get() as usize,
			"`dbsca.candidates` has more than MaxCandidates entries"
		);
		for c in &config.candidates {
			assert!(
				!Candidates::<T>::contains_key(&c.account),
				"`dbsca.candidates` lists an account twice"
			);
			let info = T::Members::active_member(&c.account)
				.expect("`dbsca.candidates`: every candidate must be an active member");
			let location = Self::check_declaration(&info, &c.attributes, c.capacity_w, c.location.clone())
				.expect("`dbsca.candidates`: a candidate must supply power, declare attributes within the attested ones, a capacity above 0 and a location within MaxLocationLen");
			Candidates::<T>::insert(
				&c.account,
				Candidate {
					attributes: c.attributes,
					capacity_w: c.capacity_w,
					location,
					since: Zero::zero(),
				},
			);
		}
		for (who, keys) in &config.keys {
			assert!(!Keys::<T>::contains_key(who), "`dbsca.keys` lists an account twice");
			let raw = Self::raw_keys(keys).expect("`dbsca.keys`: a key is longer than 64 bytes");
			for key in raw {
				assert!(
					!KeyOwner::<T>::contains_key(&key),
					"`dbsca.keys`: two accounts share a key"
				);
				KeyOwner::<T>::insert(key, who);
			}
			Keys::<T>::insert(who, keys);
		}
		let committee: BoundedVec<T::AccountId, T::MaxCommittee> = config
			.committee
			.clone()
			.try_into()
			.expect("`dbsca.committee` has more than MaxCommittee members");
		for (i, who) in committee.iter().enumerate() {
			assert!(
				Candidates::<T>::contains_key(who) && Keys::<T>::contains_key(who),
				"`dbsca.committee`: every member must be a candidate with keys"
			);
			assert!(!committee[..i].contains(who), "`dbsca.committee` lists an account twice");
		}
		if !committee.is_empty() {
			let order: BoundedVec<u32, ConstU32<64>> =
				Self::authoring_order(committee.len() as u32)
					.try_into()
					.expect("`dbsca.committee` is too long for the authoring order");
			AuthoringOrder::<T>::put(order);
		}
		Committee::<T>::put(committee);
	}
}
