//! Equivocations: the sub-chain's proven GRANDPA equivocations, to the parent's registry.
//!
//! When a voter's node sees a fellow voter sign two different votes in one round, it reports
//! it on the sub-chain, which keeps the proof (`dbsca.equivocations`, see
//! `pallet_dbsca::equivocations`). The relay submits every proof of the sub-chain's finalized
//! state to `billerRegistry.reportEquivocation`; the parent checks it against the voter set it
//! follows and suspends the offender's member. A proof sent, or refused (its member suspended
//! already, another voter set followed), waits [`INCLUSION_TIMEOUT`] before it is tried again,
//! and a refusal is logged once.

use crate::{
	config::{RelayConfig, INCLUSION_TIMEOUT, LOG},
	error::Result,
	local::{self, SubchainClient},
	parent::Parent,
};
use dbm_primitives::{
	finality::{AuthorityId, EquivocationProof, SetId},
	SubchainId,
};
use std::{collections::HashMap, time::Instant};

/// A voter's equivocation in a voter set.
pub type Offence = (SetId, AuthorityId);

/// The proofs sent to the parent (or refused) in this session: when, and the last refusal.
pub type Reported = HashMap<Offence, (Instant, Option<String>)>;

/// The proofs of `kept` worth sending now: not sent (or refused) in the last
/// [`INCLUSION_TIMEOUT`].
pub fn due<'a>(
	kept: &'a [EquivocationProof],
	reported: &'a Reported,
) -> impl Iterator<Item = &'a EquivocationProof> {
	kept.iter().filter(|proof| {
		reported.get(&offence_of(proof)).is_none_or(|(at, _)| at.elapsed() >= INCLUSION_TIMEOUT)
	})
}

fn offence_of(proof: &EquivocationProof) -> Offence {
	(proof.set_id(), proof.offender().clone())
}

/// Submits each equivocation proof of the sub-chain's finalized state that is due (see
/// [`due`]) to the parent.
pub async fn forward<C: SubchainClient>(
	client: &C,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
	reported: &mut Reported,
) -> Result<()> {
	let key = pallet_dbsca::Equivocations::<dbm_sub_runtime::Runtime>::hashed_key();
	let kept: Vec<EquivocationProof> =
		local::local(client, client.info().finalized_hash, &key)?.unwrap_or_default();
	// Forget what the sub-chain no longer keeps.
	reported.retain(|offence, _| kept.iter().any(|proof| offence_of(proof) == *offence));
	for proof in due(&kept, reported).cloned().collect::<Vec<_>>() {
		let offence = offence_of(&proof);
		let (set_id, round) = (proof.set_id(), proof.round());
		let voter = &offence.1;
		let call = dbm_parent_runtime::RuntimeCall::BillerRegistry(
			pallet_biller_registry::Call::report_equivocation { subchain, proof: Box::new(proof) },
		);
		let refusal = parent.offer(&config.signer, call).await?;
		let said = reported.insert(offence.clone(), (Instant::now(), refusal.clone()));
		if let Some(refusal) = refusal {
			if refused_anew(said, &refusal) {
				log::info!(
					target: LOG,
					"sub-chain {subchain}: the parent refuses the equivocation of voter {voter} \
					 (set {set_id}, round {round}): {refusal}"
				);
			}
			continue;
		}
		log::warn!(
			target: LOG,
			"sub-chain {subchain}: voter {voter} equivocated in round {round} of set {set_id}; \
			 the proof is sent to the parent"
		);
	}
	Ok(())
}

/// Whether `refusal` is news after what was `said` of the same report before (a refusal is
/// logged once).
pub fn refused_anew(said: Option<(Instant, Option<String>)>, refusal: &str) -> bool {
	said.and_then(|(_, before)| before).as_deref() != Some(refusal)
}

#[cfg(test)]
mod tests {
	use super::*;
	use dbm_primitives::finality::{precommit_equivocation, testing::voter};
	use sp_core::{Pair, H256};
	use std::time::Duration;

	fn proof(seed: &str, set_id: SetId) -> EquivocationProof {
		let key = voter(seed);
		let signature: dbm_primitives::finality::AuthoritySignature =
			key.sign(b"not checked here").into();
		precommit_equivocation(
			set_id,
			1,
			key.public().into(),
			((H256::repeat_byte(1), 1), signature.clone()),
			((H256::repeat_byte(2), 1), signature),
		)
	}

	#[test]
	fn a_proof_not_yet_sent_is_due_and_one_sent_a_moment_ago_is_not() {
		let kept = [proof("//Alice", 3), proof("//Bob", 3)];
		let mut reported = Reported::new();
		assert_eq!(due(&kept, &reported).count(), 2);
		reported.insert(offence_of(&kept[0]), (Instant::now(), None));
		assert_eq!(due(&kept, &reported).collect::<Vec<_>>(), [&kept[1]]);
	}

	#[test]
	fn a_proof_sent_or_refused_long_enough_ago_is_due_again() {
		let kept = [proof("//Alice", 3)];
		let mut reported = Reported::new();
		let long_ago = Instant::now() - INCLUSION_TIMEOUT - Duration::from_secs(1);
		reported.insert(offence_of(&kept[0]), (long_ago, Some("AlreadySuspended".into())));
		assert_eq!(due(&kept, &reported).count(), 1);
	}

	#[test]
	fn the_same_voter_in_another_set_is_another_offence() {
		let kept = [proof("//Alice", 3), proof("//Alice", 4)];
		let mut reported = Reported::new();
		reported.insert(offence_of(&kept[0]), (Instant::now(), None));
		assert_eq!(due(&kept, &reported).collect::<Vec<_>>(), [&kept[1]]);
	}
}
