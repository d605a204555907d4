//! The parent's forced changes of its voter set, as the sub-chain's light client follows them.
//!
//! When a third or more of the parent's voters are gone, its finality-recovery pallet forces a
//! change to the live ones in a parent header `H` (in force `delay` blocks later). The old set
//! never finalizes anything after it, so the light client (`parentGrandpa`) has no
//! justification to import: `grandpa_proveFinality` of the old set's era is empty, and the new
//! set's justifications are not the old set's. The relay then walks the parent's finalized
//! headers from the light client's last one, finds `H`, takes a justification of the new set
//! for a header `J` at least `delay` blocks after it (`grandpa_proveFinality` of `H + delay`:
//! the new set's latest, or the one of its last block) and submits all the headers from the
//! light client's up to `J` with it (`parentInbox.followParentForcedChange`), which checks them
//! ([`dbm_primitives::finality::follow`]).

use crate::{
	error::{Error, Result},
	parent::{FinalityProof, Parent},
};
use bp_header_chain::justification::{
	verify_and_optimize_justification, GrandpaJustification, JustificationVerificationContext,
};
use codec::Decode;
use dbm_primitives::{
	finality::{change, AuthorityList, Change, SetId},
	BlockNumber, Header,
};
use sp_core::H256;
use sp_runtime::traits::Header as _;

/// The headers and justification that make the light client follow a forced change.
#[derive(Debug)]
pub struct ForcedProof {
	/// The parent headers from the light client's last finalized one (exclusive) to `J`.
	pub headers: Vec<Header>,
	/// The new set's justification of `J`, with no more votes than it needs.
	pub justification: GrandpaJustification<Header>,
	/// The new set's id.
	pub set_id: SetId,
}

/// The first forced change of the parent's voter set among `headers`: its index, the new
/// voters and the delay. Standard changes before it are left to the light client's check (the
/// parent's nodes dropped those above the change's median).
pub fn first_forced(headers: &[Header]) -> Option<(usize, AuthorityList, BlockNumber)> {
	headers.iter().enumerate().find_map(|(i, header)| match change(header) {
		Ok(Some(Change::Forced { next, delay, .. })) => Some((i, next, delay)),
		_ => None,
	})
}

/// The proof of the parent's forced change of the light client's set `set_id` of `voters`
/// after its last finalized block `finalized`, with at most `max_headers` headers; `None` if
/// the parent forced no change there.
pub async fn forced_change_proof(
	parent: &Parent,
	set_id: SetId,
	voters: &AuthorityList,
	finalized: BlockNumber,
	max_headers: u32,
) -> Result<Option<ForcedProof>> {
	let (_, head) = parent.rpc.finalized_head().await?;
	// A light client that finalized nothing holds a placeholder header 0.
	let first = finalized + 1;
	let last = head.min(finalized.saturating_add(max_headers));
	let mut headers = Vec::new();
	let mut forced = None;
	for number in first..=last {
		headers.push(finalized_header(parent, number).await?);
		forced = first_forced(&headers[headers.len() - 1..]).map(|(_, next, delay)| (next, delay));
		if forced.is_some() {
			break;
		}
	}
	let Some((next, delay)) = forced else { return Ok(None) };
	let signal = first + headers.len() as BlockNumber - 1;
	let enacted = signal + delay;
	let encoded = parent.rpc.prove_finality(enacted).await?.ok_or_else(|| {
		Error::LightClient(format!(
			"the parent forced a change of its voters at #{signal}, but has no justification \
			 of the new set after #{enacted} yet"
		))
	})?;
	let proof = FinalityProof::decode(&mut &encoded[..])
		.map_err(Error::decode("decoding the parent's finality proof"))?;
	let mut justification = GrandpaJustification::<Header>::decode(&mut &proof.justification[..])
		.map_err(Error::decode("decoding the parent's justification"))?;
	let target = justification.commit.target_number;
	if target < enacted {
		return Err(Error::LightClient(format!(
			"the new parent set's latest justification is of #{target}, before its change is \
			 in force at #{enacted}: waiting for a later one"
		)));
	}
	if target - finalized > max_headers {
		return Err(Error::LightClient(format!(
			"the parent's forced change of its voters at #{signal} is justified at #{target}, \
			 more than {max_headers} headers after the light client's #{finalized}"
		)));
	}
	for number in first + headers.len() as BlockNumber..=target {
		headers.push(finalized_header(parent, number).await?);
	}
	let new_set = set_id + 1;
	let context = JustificationVerificationContext::try_from(bp_header_chain::AuthoritySet::new(
		next.clone(),
		new_set,
	))
	.map_err(|e| Error::LightClient(format!("the parent's forced set: {e:?}")))?;
	verify_and_optimize_justification((proof.block, target), &context, &mut justification)
		.map_err(|e| {
			Error::LightClient(format!(
				"the parent's justification of #{target} is not its forced set {new_set}'s \
				 (of {} voters, out of the light client's {}): {e:?}",
				next.len(),
				voters.len()
			))
		})?;
	Ok(Some(ForcedProof { headers, justification, set_id: new_set }))
}

/// The parent's finalized header `number`.
async fn finalized_header(parent: &Parent, number: BlockNumber) -> Result<Header> {
	let hash: H256 = parent.rpc.block_hash(number).await?.ok_or_else(|| {
		Error::LightClient(format!("the parent has no block #{number} on its finalized chain"))
	})?;
	let header = parent.rpc.header_of(hash).await?;
	if *header.number() != number {
		return Err(Error::LightClient(format!("the parent's header {hash} is not #{number}")));
	}
	Ok(header)
}

#[cfg(test)]
mod tests {
	use super::*;
	use dbm_primitives::finality::{forced_change_item, scheduled_change_item};
	use sp_core::{ed25519, Pair};

	fn header(number: BlockNumber, item: Option<sp_runtime::generic::DigestItem>) -> Header {
		let mut header = Header::new(
			number,
			H256::zero(),
			H256::zero(),
			H256::repeat_byte(number as u8),
			Default::default(),
		);
		header.digest_mut().logs.extend(item);
		header
	}

	#[test]
	fn the_first_forced_change_is_found_past_standard_ones() {
		let voters: AuthorityList =
			(0..3).map(|i| (ed25519::Pair::from_seed(&[i; 32]).public().into(), 1)).collect();
		let headers = vec![
			header(1, None),
			header(2, Some(scheduled_change_item(voters.clone(), 0))),
			header(3, Some(forced_change_item(voters[..2].to_vec(), 2, 1))),
			header(4, Some(forced_change_item(voters[..1].to_vec(), 2, 3))),
		];
		assert_eq!(first_forced(&headers), Some((2, voters[..2].to_vec(), 2)));
		assert_eq!(first_forced(&headers[..2]), None);
	}
}
