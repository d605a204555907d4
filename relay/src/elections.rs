//! Election proofs: the sub-chain's finalized DBSCA election, to the parent's registry.
//!
//! When the sub-chain's finalized state holds an election newer than the one the parent has
//! confirmed (`dbsca.pendingElection`, or `dbsca.lastElection` once enacted), the relay submits
//! it to `billerRegistry.submitElection`: the member set the round counted, the committee, its
//! GRANDPA keys and the members' signed confirmations, which the parent checks against its own
//! member registry.

use crate::{
	config::{RelayConfig, INCLUSION_TIMEOUT, LOG},
	error::Result,
	local::{self, SubchainClient},
	parent::Parent,
};
use dbm_primitives::{AccountId, SubchainId};
use std::time::Instant;

/// The election round last sent (or refused) to the parent, and when.
pub type Forwarded = Option<(u32, Instant)>;

/// Whether election `round` is worth sending: not sent (or refused) in the last
/// [`INCLUSION_TIMEOUT`] (`recently` is the round sent then, if any), and not confirmed on the
/// parent (`confirmed` is the parent's newest confirmed round).
pub fn worth_sending(round: u32, recently: Option<u32>, confirmed: Option<u32>) -> bool {
	recently.is_none_or(|sent| sent < round) && confirmed.is_none_or(|done| done < round)
}

/// Submits the sub-chain's finalized election proof to the parent if the parent has not
/// confirmed that round (or a later one) and it was not sent (or refused) in the last
/// [`INCLUSION_TIMEOUT`].
pub async fn forward<C: SubchainClient>(
	client: &C,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
	forwarded: &mut Forwarded,
) -> Result<()> {
	let Some(election) = local::newest_election(client, client.info().finalized_hash)? else {
		return Ok(());
	};
	let round = election.round;
	// Sent or refused a moment ago: give the parent time to include it (or change its mind,
	// e.g. once it knows a new member) before trying again.
	let recently = forwarded
		.as_ref()
		.filter(|(_, at)| at.elapsed() < INCLUSION_TIMEOUT)
		.map(|(sent, _)| *sent);
	if !worth_sending(round, recently, None) {
		return Ok(());
	}
	let confirmed: Option<(u32, Vec<AccountId>)> =
		parent.runtime_call("RegistryApi_committee", subchain).await?;
	if !worth_sending(round, recently, confirmed.map(|(done, _)| done)) {
		return Ok(());
	}
	let call = dbm_parent_runtime::RuntimeCall::BillerRegistry(
		pallet_biller_registry::Call::submit_election {
			subchain,
			round,
			members: election.members,
			committee: election.committee.into_inner(),
			voters: election.voters.into_inner(),
			confirmations: election.confirmations.into_inner(),
		},
	);
	*forwarded = Some((round, Instant::now()));
	if let Some(refusal) = parent.offer(&config.signer, call).await? {
		log::warn!(
			target: LOG,
			"sub-chain {subchain}: the parent refuses the proof of election round {round}: \
			 {refusal}"
		);
		return Ok(());
	}
	log::info!(target: LOG, "sub-chain {subchain}: election round {round} sent to the parent");
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_round_the_parent_has_not_confirmed_is_sent() {
		assert!(worth_sending(1, None, None));
		assert!(worth_sending(3, None, Some(2)));
	}

	#[test]
	fn a_round_the_parent_confirmed_is_not_sent_again() {
		assert!(!worth_sending(2, None, Some(2)));
		assert!(!worth_sending(2, None, Some(5)));
	}

	#[test]
	fn a_round_sent_a_moment_ago_waits_but_a_newer_one_goes() {
		assert!(!worth_sending(2, Some(2), None));
		assert!(!worth_sending(2, Some(3), None));
		assert!(worth_sending(4, Some(3), None));
	}
}
