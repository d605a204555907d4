//! Equivocations of the sub-chain's GRANDPA voters, kept for the relay to carry to the parent.
//!
//! A voter that signs two different votes in one round is caught by the other voters' nodes:
//! GRANDPA asks the runtime for a proof that the offender belongs to the set
//! (`GrandpaApi::generate_key_ownership_proof`, answered by [`Pallet::voter_proof`]) and submits
//! the report as an unsigned `Grandpa::report_equivocation_unsigned`, which its own node
//! includes when it next authors a block. Anyone holding the two votes may also report them with
//! the signed `Grandpa::report_equivocation`. Both end in [`Pallet::note_equivocation`] through
//! [`GrandpaEquivocations`], the GRANDPA pallet's report system here.
//!
//! The sub-chain does not judge the offender itself: it keeps the proof in
//! [`Equivocations`](crate::Equivocations), at most one per voter of the set in force, and the
//! relay submits it to the parent's `billerRegistry.reportEquivocation`. The parent checks it
//! against the voter set it follows, suspends the offender's member and sends the suspension
//! back, which takes the member out of the active set and opens a round without it.
//!
//! A report for another set, by a key outside the set in force, of two equal votes or with a
//! bad signature, or against a voter already reported in this set, is refused.

use crate::{pallet::*, *};
use alloc::{boxed::Box, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use dbm_primitives::finality::{SetId, StoredEquivocation};
use frame_support::{ensure, pallet_prelude::*, traits::ConstU64};
use frame_system::{
	offchain::{CreateBare, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use scale_info::TypeInfo;
use sp_consensus_grandpa::{AuthorityId as GrandpaId, EquivocationProof};
use sp_core::crypto::key_types::GRANDPA;
use sp_session::{GetSessionNumber, GetValidatorCount};
use sp_staking::{offence::OffenceReportSystem, SessionIndex};

/// A GRANDPA equivocation proof of this chain.
pub type EquivocationOf<T> =
	EquivocationProof<<T as frame_system::Config>::Hash, BlockNumberFor<T>>;

/// The proof that a key belongs to a voter set, on a chain without sessions: the set's id and
/// its number of voters, both checked against the set in force.
#[derive(Clone, Copy, Debug, Decode, DecodeWithMemTracking, Encode, Eq, PartialEq, TypeInfo)]
pub struct VoterProof {
	/// The voter set's id.
	pub set_id: SetId,
	/// Its number of voters.
	pub voters: u32,
}

impl GetSessionNumber for VoterProof {
	/// There are no sessions: the voter set stands for one, its id saturated to 32 bits.
	fn session(&self) -> SessionIndex {
		SessionIndex::try_from(self.set_id).unwrap_or(SessionIndex::MAX)
	}
}

impl GetValidatorCount for VoterProof {
	fn validator_count(&self) -> u32 {
		self.voters
	}
}

/// The GRANDPA voter set in force.
pub trait VoterSet {
	/// Its id and its voters' keys.
	fn current() -> (SetId, Vec<GrandpaId>);
}

impl<T: pallet_grandpa::Config> VoterSet for AuraGrandpa<T> {
	fn current() -> (SetId, Vec<GrandpaId>) {
		let voters = pallet_grandpa::Pallet::<T>::grandpa_authorities();
		(pallet_grandpa::CurrentSetId::<T>::get(), voters.into_iter().map(|(key, _)| key).collect())
	}
}

impl<T: Config> Pallet<T> {
	/// The proof that `key` is a voter of set `set_id`, if that is the set in force and `key`
	/// one of its voters.
	pub fn voter_proof(set_id: SetId, key: &GrandpaId) -> Option<VoterProof> {
		let (current, voters) = T::VoterSet::current();
		(set_id == current && voters.contains(key))
			.then_some(VoterProof { set_id, voters: voters.len() as u32 })
	}

	/// Checks a report of `proof` with key ownership `owner` without keeping it.
	pub fn check_equivocation(proof: &EquivocationOf<T>, owner: &VoterProof) -> DispatchResult {
		let (set_id, voters) = T::VoterSet::current();
		ensure!(proof.set_id() == set_id, Error::<T>::NotCurrentVoterSet);
		ensure!(
			owner.set_id == set_id && owner.voters as usize == voters.len(),
			Error::<T>::BadKeyOwnerProof
		);
		ensure!(voters.contains(proof.offender()), Error::<T>::UnknownVoter);
		ensure!(
			!Equivocations::<T>::get()
				.iter()
				.any(|kept| kept.0.set_id() == set_id && kept.0.offender() == proof.offender()),
			Error::<T>::AlreadyReported
		);
		ensure!(
			sp_consensus_grandpa::check_equivocation_proof(proof.clone()),
			Error::<T>::InvalidEquivocation
		);
		Ok(())
	}

	/// Checks the report and keeps the proof for the relay, dropping those of earlier sets:
	/// what GRANDPA's `report_equivocation` calls do on a sub-chain.
	pub fn note_equivocation(
		reporter: Option<T::AccountId>,
		proof: EquivocationOf<T>,
		owner: VoterProof,
	) -> DispatchResult {
		Self::check_equivocation(&proof, &owner)?;
		let (set_id, round, offender) = (proof.set_id(), proof.round(), proof.offender().clone());
		Equivocations::<T>::try_mutate(|kept| {
			kept.retain(|earlier| earlier.0.set_id() == set_id);
			kept.try_push(StoredEquivocation(proof)).map_err(|_| Error::<T>::TooManyEquivocations)
		})?;
		let member = KeyOwner::<T>::get(Self::grandpa_key_of(&offender));
		Self::deposit_event(Event::EquivocationNoted { set_id, round, offender, member, reporter });
		Ok(())
	}

	/// `key` as [`KeyOwner`] knows it.
	pub(crate) fn grandpa_key_of(key: &GrandpaId) -> KeyOf {
		let raw: &[u8] = key.as_ref();
		// A GRANDPA key is 32 bytes, well within a raw key's 64.
		(GRANDPA.0, BoundedVec::truncate_from(raw.to_vec()))
	}
}

/// How many blocks an unsigned equivocation report stays valid in a node's pool: ten minutes
/// of half-second blocks, longer than any election takes to replace the set.
pub type ReportLongevity = ConstU64<1_200>;

/// The GRANDPA pallet's equivocation report system on a sub-chain
/// (`pallet_grandpa::Config::EquivocationReportSystem`): reports go to
/// [`Pallet::note_equivocation`]; the node's own reports are submitted as unsigned
/// `report_equivocation_unsigned` transactions.
pub struct GrandpaEquivocations<T>(PhantomData<T>);

impl<T> OffenceReportSystem<Option<T::AccountId>, (EquivocationOf<T>, VoterProof)>
	for GrandpaEquivocations<T>
where
	T: Config
		+ pallet_grandpa::Config<KeyOwnerProof = VoterProof>
		+ CreateBare<pallet_grandpa::Call<T>>,
{
	type Longevity = ReportLongevity;

	fn publish_evidence((proof, owner): (EquivocationOf<T>, VoterProof)) -> Result<(), ()> {
		let offender = proof.offender().clone();
		let call = pallet_grandpa::Call::<T>::report_equivocation_unsigned {
			equivocation_proof: Box::new(proof),
			key_owner_proof: owner,
		};
		SubmitTransaction::<T, pallet_grandpa::Call<T>>::submit_transaction(T::create_bare(
			call.into(),
		))
		.inspect(|_| log::info!(target: LOG_TARGET, "equivocation of voter {offender:?} reported"))
		.inspect_err(
			|_| log::error!(target: LOG_TARGET, "the report of voter {offender:?}'s equivocation failed"),
		)
	}

	fn check_evidence(
		(proof, owner): (EquivocationOf<T>, VoterProof),
	) -> Result<(), TransactionValidityError> {
		Pallet::<T>::check_equivocation(&proof, &owner).map_err(|e| {
			if e == DispatchError::from(Error::<T>::AlreadyReported) {
				InvalidTransaction::Stale.into()
			} else {
				InvalidTransaction::BadProof.into()
			}
		})
	}

	fn process_evidence(
		reporter: Option<T::AccountId>,
		(proof, owner): (EquivocationOf<T>, VoterProof),
	) -> Result<(), DispatchError> {
		Pallet::<T>::note_equivocation(reporter, proof, owner)
	}
}
