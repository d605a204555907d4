//! GRANDPA finality of sub-chain headers, as the parent chain checks it.
//!
//! The parent records a sub-chain header only when it comes with a **justification**: the
//! precommits of one GRANDPA round, each signed by a voter of the sub-chain's current voter
//! set, for the header or a descendant of it, together weighing at least the set's threshold
//! (more than two thirds, [`threshold`]). The votes for a descendant are linked to the header
//! through the justification's ancestry headers, each of which must be used. This is what the
//! sub-chain's own nodes check before they accept a finality proof; nothing in it depends on
//! who submits it.
//!
//! The voter set comes from the sub-chain's genesis state (`Grandpa::Authorities`, proven
//! against the anchored genesis state root: [`grandpa_authorities_key`]), set id 0, and changes
//! with every set change a finalized header schedules ([`change`]). A sub-chain schedules
//! standard changes with no delay (the DBSCA committee's enactment, a sidelined voter's
//! return): the header that carries one is the last finalized by the old set, the next one the
//! first finalized by the new. When its finality stalls, its finality-recovery pallet forces a
//! change to the voters that reported the stall ([`Change::Forced`]): the old set finalized
//! nothing past it, and the new set is in force from `delay` blocks after it. A light client
//! follows it only to a part of the old set whose justifications must hold a voter of the old
//! set that GRANDPA's assumption makes honest ([`check_forced_set`]). A light client that
//! sees only some headers (the sub-chains' light client of the parent) follows a forced
//! change through every header from its last finalized one ([`follow`]).

pub mod follow;

use crate::{parent_state::prefix, BlockNumber, Hash, Header};
use alloc::{collections::BTreeMap, collections::BTreeSet, vec::Vec};
use codec::Decode;
use sp_runtime::{generic::DigestItem, traits::Header as _};

pub use sp_consensus_grandpa::{
	AuthorityId, AuthorityList, AuthoritySignature, AuthorityWeight, SetId, GRANDPA_ENGINE_ID,
};

/// A justification of a sub-chain header: the round, the commit and the ancestry of the votes.
pub type Justification = sp_consensus_grandpa::GrandpaJustification<Header>;

/// The sub-chain runtime's name for the GRANDPA pallet.
pub const GRANDPA_PALLET: &[u8] = b"Grandpa";

/// `Grandpa::Authorities`: the sub-chain's voters with their weights.
pub fn grandpa_authorities_key() -> Vec<u8> {
	prefix(GRANDPA_PALLET, b"Authorities")
}

/// The weight of votes that finalizes a block among voters of `total` weight: GRANDPA's
/// supermajority, more than two thirds (`total - floor((total - 1) / 3)`).
pub fn threshold(total: u64) -> u64 {
	total - total.saturating_sub(1) / 3
}

/// Why a justification does not prove a header final.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum JustificationError {
	/// The commit is for another block than the header.
	WrongTarget,
	/// A precommit is by a key outside the voter set.
	UnknownVoter,
	/// A precommit's signature is not its voter's, for this round and set.
	BadSignature,
	/// A precommit is for a block that the ancestry does not link to the header.
	NotDescendant,
	/// An ancestry header is repeated or not on the way from any precommit to the header.
	RedundantAncestry,
	/// The distinct voters' weight is below the threshold.
	NotEnoughVotes,
}

/// Checks that `justification` finalizes block `target` (its hash and number) for the voters
/// `voters` of set `set_id`. Each voter counts once, however many of its precommits the
/// commit holds; every precommit must still be valid. Returns the voters that signed, each
/// once, in key order.
pub fn verify(
	justification: &Justification,
	target: (Hash, BlockNumber),
	set_id: SetId,
	voters: &[(AuthorityId, AuthorityWeight)],
) -> Result<Vec<AuthorityId>, JustificationError> {
	use JustificationError::*;
	let commit = &justification.commit;
	if (commit.target_hash, commit.target_number) != target {
		return Err(WrongTarget);
	}
	let mut ancestry = BTreeMap::new();
	for header in &justification.votes_ancestries {
		if ancestry.insert(header.hash(), header).is_some() {
			return Err(RedundantAncestry);
		}
	}
	let mut visited = BTreeSet::new();
	let mut counted = BTreeSet::new();
	let mut weight: u64 = 0;
	let mut buffer = Vec::new();
	for signed in &commit.precommits {
		let voter_weight = voters
			.iter()
			.find(|(id, _)| *id == signed.id)
			.map(|(_, weight)| *weight)
			.ok_or(UnknownVoter)?;
		let message = finality_grandpa::Message::Precommit(signed.precommit.clone());
		let valid = sp_consensus_grandpa::check_message_signature_with_buffer(
			&message,
			&signed.id,
			&signed.signature,
			justification.round,
			set_id,
			&mut buffer,
		);
		if !matches!(valid, sp_consensus_grandpa::SignatureResult::Valid) {
			return Err(BadSignature);
		}
		// Walk from the precommit's block back to the target through the ancestry.
		let (mut hash, mut number) = (signed.precommit.target_hash, signed.precommit.target_number);
		while hash != target.0 {
			if number <= target.1 {
				return Err(NotDescendant);
			}
			let header = ancestry.get(&hash).ok_or(NotDescendant)?;
			if *header.number() != number {
				return Err(NotDescendant);
			}
			visited.insert(hash);
			hash = *header.parent_hash();
			number -= 1;
		}
		if number != target.1 {
			return Err(NotDescendant);
		}
		if counted.insert(signed.id.clone()) {
			weight = weight.saturating_add(voter_weight);
		}
	}
	if visited.len() != ancestry.len() {
		return Err(RedundantAncestry);
	}
	let total = voters.iter().fold(0u64, |sum, (_, weight)| sum.saturating_add(*weight));
	if total == 0 || weight < threshold(total) {
		return Err(NotEnoughVotes);
	}
	Ok(counted.into_iter().collect())
}

/// Why a header's GRANDPA digest cannot be followed.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum ChangeError {
	/// A GRANDPA consensus item that does not decode.
	Undecodable,
	/// A standard change with a delay: sub-chains enact committees with none.
	Delayed,
	/// A pause or a resumption: finality outside the voters' own votes, which only the
	/// parent's governance can follow.
	Unsupported,
}

/// A change of the voter set that a header signals.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Change {
	/// A standard change with no delay: the header is the old set's last, `next` votes from the
	/// one after it.
	Standard(AuthorityList),
	/// A forced change: on the chain that holds the header, `next` is the set from `delay`
	/// blocks after it on, whatever the old set finalized; `median` is the highest block the
	/// change takes as finalized (the lowest the reporting voters had finalized).
	Forced {
		/// The last finalized block the change assumes.
		median: BlockNumber,
		/// Blocks after the header at which the new set is in force.
		delay: BlockNumber,
		/// The new voters.
		next: AuthorityList,
	},
}

/// The voter set change `header` signals, if any, as GRANDPA reads it: its first forced change,
/// else its first standard change.
pub fn change(header: &Header) -> Result<Option<Change>, ChangeError> {
	use sp_consensus_grandpa::ConsensusLog;
	let (mut standard, mut forced) = (None, None);
	for item in header.digest().logs() {
		let DigestItem::Consensus(engine, data) = item else { continue };
		if *engine != GRANDPA_ENGINE_ID {
			continue;
		}
		match ConsensusLog::<BlockNumber>::decode(&mut &data[..])
			.map_err(|_| ChangeError::Undecodable)?
		{
			ConsensusLog::ScheduledChange(scheduled) => {
				if scheduled.delay != 0 {
					return Err(ChangeError::Delayed);
				}
				standard.get_or_insert(scheduled.next_authorities);
			}
			ConsensusLog::ForcedChange(median, scheduled) => {
				forced.get_or_insert(Change::Forced {
					median,
					delay: scheduled.delay,
					next: scheduled.next_authorities,
				});
			}
			ConsensusLog::Pause(_) | ConsensusLog::Resume(_) => {
				return Err(ChangeError::Unsupported)
			}
			ConsensusLog::OnDisabled(_) => {}
		}
	}
	Ok(forced.or(standard.map(Change::Standard)))
}

/// Why a forced change's voters are not followed.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum ForcedSetError {
	/// A voter of the new set is not one of the old set with the same weight, is there twice,
	/// or the new set is empty or the old set itself.
	NotPartOfTheSet,
	/// The new set's justifications need not hold an honest voter of the old set.
	TooWeak,
}

/// Checks that a forced change from the voters `current` to `next` can be followed on the new
/// set's justifications alone: `next` is a part of `current` (the same keys with the same
/// weights, each once, not all of them), and the weight that finalizes among `next` is more
/// than the most `current` may hold of faulty voters under GRANDPA's assumption (its total less
/// its threshold). So a justification by `next` holds at least one honest voter of `current`,
/// whose node applied the change only as its chain forced it.
pub fn check_forced_set(
	current: &[(AuthorityId, AuthorityWeight)],
	next: &[(AuthorityId, AuthorityWeight)],
) -> Result<(), ForcedSetError> {
	use ForcedSetError::*;
	if next.is_empty() || next.len() >= current.len() {
		return Err(NotPartOfTheSet);
	}
	for (i, voter) in next.iter().enumerate() {
		if !current.contains(voter) || next[..i].iter().any(|(id, _)| *id == voter.0) {
			return Err(NotPartOfTheSet);
		}
	}
	let weight = |list: &[(AuthorityId, AuthorityWeight)]| {
		list.iter().fold(0u64, |sum, (_, weight)| sum.saturating_add(*weight))
	};
	let total = weight(current);
	if threshold(weight(next)) <= total - threshold(total) {
		return Err(TooWeak);
	}
	Ok(())
}

/// A signed precommit of a sub-chain block.
pub type SignedPrecommit =
	finality_grandpa::SignedPrecommit<Hash, BlockNumber, AuthoritySignature, AuthorityId>;

/// What voter signs for its precommit of block `target` (hash and number) in `round` of set
/// `set_id`.
pub fn precommit_payload(round: u64, set_id: SetId, target: (Hash, BlockNumber)) -> Vec<u8> {
	let precommit = finality_grandpa::Precommit { target_hash: target.0, target_number: target.1 };
	sp_consensus_grandpa::localized_payload(
		round,
		set_id,
		&finality_grandpa::Message::<Hash, BlockNumber>::Precommit(precommit),
	)
}

/// `id`'s precommit of block `target` with its `signature`.
pub fn signed_precommit(
	target: (Hash, BlockNumber),
	signature: AuthoritySignature,
	id: AuthorityId,
) -> SignedPrecommit {
	finality_grandpa::SignedPrecommit {
		precommit: finality_grandpa::Precommit { target_hash: target.0, target_number: target.1 },
		signature,
		id,
	}
}

/// A justification of block `target` in `round` from `precommits`, with the ancestry headers
/// that link votes for descendants to it.
pub fn justification(
	round: u64,
	target: (Hash, BlockNumber),
	precommits: Vec<SignedPrecommit>,
	votes_ancestries: Vec<Header>,
) -> Justification {
	Justification {
		round,
		commit: finality_grandpa::Commit {
			target_hash: target.0,
			target_number: target.1,
			precommits,
		},
		votes_ancestries,
	}
}

/// Proof that a sub-chain voter signed two different votes in one round.
pub type EquivocationProof = sp_consensus_grandpa::EquivocationProof<Hash, BlockNumber>;

/// Whether `proof` proves an equivocation: two different votes of one round, both validly
/// signed by the offender for the proof's round and set.
pub fn check_equivocation(proof: EquivocationProof) -> bool {
	sp_consensus_grandpa::check_equivocation_proof(proof)
}

/// A GRANDPA equivocation proof kept in storage: encoded exactly as the proof, with its
/// largest encoding known (every field of a proof has a fixed size).
#[derive(
	Clone,
	Debug,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::Encode,
	Eq,
	PartialEq,
	scale_info::TypeInfo,
)]
pub struct StoredEquivocation<H, N>(pub sp_consensus_grandpa::EquivocationProof<H, N>);

impl<H: codec::MaxEncodedLen, N: codec::MaxEncodedLen> codec::MaxEncodedLen
	for StoredEquivocation<H, N>
{
	fn max_encoded_len() -> usize {
		// A vote: the target's hash and number, and the voter's signature.
		// (The application signature type has no `MaxEncodedLen`: it wraps an ed25519 one.)
		let vote = H::max_encoded_len()
			+ N::max_encoded_len()
			+ sp_core::ed25519::Signature::max_encoded_len();
		// The set id; the kind (prevote or precommit); the round, the offender, two votes.
		SetId::max_encoded_len()
			+ 1 + u64::max_encoded_len()
			+ AuthorityId::max_encoded_len()
			+ 2 * vote
	}
}

/// The proof that `voter` precommitted both `first` and `second` (each a target block, hash
/// and number, with the voter's signature) in `round` of set `set_id`.
pub fn precommit_equivocation(
	set_id: SetId,
	round: u64,
	voter: AuthorityId,
	first: ((Hash, BlockNumber), AuthoritySignature),
	second: ((Hash, BlockNumber), AuthoritySignature),
) -> EquivocationProof {
	let vote = |(target, signature): ((Hash, BlockNumber), AuthoritySignature)| {
		(finality_grandpa::Precommit { target_hash: target.0, target_number: target.1 }, signature)
	};
	sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Precommit(finality_grandpa::Equivocation {
			round_number: round,
			identity: voter,
			first: vote(first),
			second: vote(second),
		}),
	)
}

/// The digest item of a standard change to `next` voters after `delay` blocks, as a header
/// carries it.
pub fn scheduled_change_item(next: AuthorityList, delay: BlockNumber) -> DigestItem {
	use codec::Encode;
	let log = sp_consensus_grandpa::ConsensusLog::<BlockNumber>::ScheduledChange(
		sp_consensus_grandpa::ScheduledChange { next_authorities: next, delay },
	);
	DigestItem::Consensus(GRANDPA_ENGINE_ID, log.encode())
}

/// The digest item of a forced change to `next` voters, `delay` blocks after the header that
/// carries it, taking block `median` as the last finalized.
pub fn forced_change_item(
	next: AuthorityList,
	delay: BlockNumber,
	median: BlockNumber,
) -> DigestItem {
	use codec::Encode;
	let log = sp_consensus_grandpa::ConsensusLog::<BlockNumber>::ForcedChange(
		median,
		sp_consensus_grandpa::ScheduledChange { next_authorities: next, delay },
	);
	DigestItem::Consensus(GRANDPA_ENGINE_ID, log.encode())
}

/// Test helpers: development voter keys and the justifications they sign.
#[cfg(feature = "std")]
pub mod testing {
	use super::*;
	use sp_core::{ed25519, Pair};

	/// The GRANDPA voter key of a development seed (`"//Alice"`).
	pub fn voter(seed: &str) -> ed25519::Pair {
		ed25519::Pair::from_string(seed, None).expect("a valid seed")
	}

	/// `pair`'s signed precommit of block `target` in `round` of set `set_id`.
	pub fn vote(
		pair: &ed25519::Pair,
		target: (Hash, BlockNumber),
		round: u64,
		set_id: SetId,
	) -> SignedPrecommit {
		let signature = pair.sign(&precommit_payload(round, set_id, target));
		signed_precommit(target, signature.into(), pair.public().into())
	}

	/// The voters of `pairs`, each of weight 1.
	pub fn voter_list(pairs: &[ed25519::Pair]) -> AuthorityList {
		pairs.iter().map(|pair| (pair.public().into(), 1)).collect()
	}

	/// Headers `from..=to`, the first on `parent`, each linked to the one before, with `items`
	/// in the digests of the blocks they name.
	pub fn header_chain(
		from: BlockNumber,
		parent: Hash,
		to: BlockNumber,
		items: &[(BlockNumber, DigestItem)],
	) -> Vec<Header> {
		let mut headers: Vec<Header> = Vec::new();
		for number in from..=to {
			let parent = headers.last().map_or(parent, |h| h.hash());
			let mut header = Header::new(
				number,
				sp_core::H256::repeat_byte(1),
				sp_core::H256::repeat_byte(2),
				parent,
				Default::default(),
			);
			for (at, item) in items {
				if *at == number {
					header.digest_mut().push(item.clone());
				}
			}
			headers.push(header);
		}
		headers
	}

	/// A justification of `target` by `signers` in `round` of set `set_id`, each voting for the
	/// target itself.
	pub fn justify(
		target: &Header,
		round: u64,
		set_id: SetId,
		signers: &[ed25519::Pair],
	) -> Justification {
		let block = (target.hash(), *target.number());
		let precommits = signers.iter().map(|pair| vote(pair, block, round, set_id)).collect();
		justification(round, block, precommits, Vec::new())
	}
}

#[cfg(test)]
mod tests {
	use super::{testing::*, *};
	use codec::{Encode, MaxEncodedLen};
	use sp_consensus_grandpa::{ConsensusLog, ScheduledChange};
	use sp_core::{ed25519, Pair, H256};

	const SEEDS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

	fn pairs() -> Vec<ed25519::Pair> {
		SEEDS.iter().map(|seed| voter(seed)).collect()
	}

	fn voters() -> AuthorityList {
		pairs().iter().map(|pair| (pair.public().into(), 1)).collect()
	}

	fn header(number: BlockNumber, parent: Hash) -> Header {
		Header::new(number, H256::repeat_byte(1), H256::repeat_byte(2), parent, Default::default())
	}

	fn target_of(header: &Header) -> (Hash, BlockNumber) {
		(header.hash(), *header.number())
	}

	#[test]
	fn a_stored_equivocation_is_encoded_as_the_proof_within_its_bound() {
		let alice = voter("//Alice");
		let a = target_of(&header(3, H256::zero()));
		let b = target_of(&header(3, H256::repeat_byte(9)));
		let sign = |target: (Hash, BlockNumber)| {
			let message = finality_grandpa::Message::Precommit(finality_grandpa::Precommit {
				target_hash: target.0,
				target_number: target.1,
			});
			let payload = sp_consensus_grandpa::localized_payload(7, 2, &message);
			AuthoritySignature::from(alice.sign(&payload))
		};
		let proof = precommit_equivocation(2, 7, alice.public().into(), (a, sign(a)), (b, sign(b)));
		assert!(check_equivocation(proof.clone()));
		let stored = StoredEquivocation(proof.clone());
		assert_eq!(stored.encode(), proof.encode());
		assert_eq!(
			stored.encode().len(),
			StoredEquivocation::<Hash, BlockNumber>::max_encoded_len()
		);
	}

	#[test]
	fn more_than_two_thirds_of_the_voters_finalize() {
		assert_eq!([1, 2, 3, 4, 5, 7, 10].map(threshold), [1, 2, 3, 3, 4, 5, 7]);
		let target = header(9, H256::zero());
		let all = pairs();
		for signers in 3..=4 {
			let justification = justify(&target, 1, 0, &all[..signers]);
			let mut signed: Vec<_> = all[..signers].iter().map(|p| p.public().into()).collect();
			signed.sort();
			assert_eq!(verify(&justification, target_of(&target), 0, &voters()), Ok(signed));
		}
		let two = justify(&target, 1, 0, &all[..2]);
		assert_eq!(
			verify(&two, target_of(&target), 0, &voters()),
			Err(JustificationError::NotEnoughVotes)
		);
		// A voter counts once, however often it signs.
		let mut repeated = justify(&target, 1, 0, &all[..2]);
		repeated.commit.precommits.push(repeated.commit.precommits[0].clone());
		assert_eq!(
			verify(&repeated, target_of(&target), 0, &voters()),
			Err(JustificationError::NotEnoughVotes)
		);
		// Weights count, not heads.
		let weighted: AuthorityList = voters()
			.into_iter()
			.enumerate()
			.map(|(i, (id, _))| (id, if i == 0 { 7 } else { 1 }))
			.collect();
		assert_eq!(
			verify(&justify(&target, 1, 0, &all[..1]), target_of(&target), 0, &weighted),
			Ok(vec![weighted[0].0.clone()])
		);
		assert_eq!(
			verify(&justify(&target, 1, 0, &all[1..]), target_of(&target), 0, &weighted),
			Err(JustificationError::NotEnoughVotes)
		);
		// No voters: nothing is final.
		assert_eq!(
			verify(&justify(&target, 1, 0, &[]), target_of(&target), 0, &[]),
			Err(JustificationError::NotEnoughVotes)
		);
	}

	#[test]
	fn votes_must_be_the_voters_own_for_this_round_and_set() {
		let target = header(9, H256::zero());
		let all = pairs();
		let good = justify(&target, 5, 2, &all[..3]);
		// Another set or round: the signatures no longer match.
		assert_eq!(
			verify(&good, target_of(&target), 3, &voters()),
			Err(JustificationError::BadSignature)
		);
		let mut other_round = good.clone();
		other_round.round = 6;
		assert_eq!(
			verify(&other_round, target_of(&target), 2, &voters()),
			Err(JustificationError::BadSignature)
		);
		// A signature moved to another voter.
		let mut swapped = good.clone();
		swapped.commit.precommits[0].id = all[1].public().into();
		assert_eq!(
			verify(&swapped, target_of(&target), 2, &voters()),
			Err(JustificationError::BadSignature)
		);
		// A key outside the set.
		let outsider = justify(&target, 5, 2, &[voter("//Eve")]);
		let mut with_outsider = good.clone();
		with_outsider.commit.precommits.push(outsider.commit.precommits[0].clone());
		assert_eq!(
			verify(&with_outsider, target_of(&target), 2, &voters()),
			Err(JustificationError::UnknownVoter)
		);
		// A justification of another block.
		let other = header(9, H256::repeat_byte(7));
		assert_eq!(
			verify(&good, target_of(&other), 2, &voters()),
			Err(JustificationError::WrongTarget)
		);
		// A commit whose precommits are for another block of the same height.
		let mut elsewhere = justify(&other, 5, 2, &all[..3]);
		elsewhere.commit.target_hash = target.hash();
		assert_eq!(
			verify(&elsewhere, target_of(&target), 2, &voters()),
			Err(JustificationError::NotDescendant)
		);
	}

	#[test]
	fn votes_for_descendants_count_through_the_ancestry() {
		let target = header(9, H256::zero());
		let child = header(10, target.hash());
		let grandchild = header(11, child.hash());
		let all = pairs();
		let vote = |pair: &ed25519::Pair, block: &Header| {
			testing::vote(pair, (block.hash(), *block.number()), 1, 0)
		};
		let mut justification = justify(&target, 1, 0, &all[..1]);
		justification.commit.precommits.push(vote(&all[1], &child));
		justification.commit.precommits.push(vote(&all[2], &grandchild));
		justification.votes_ancestries = vec![grandchild.clone(), child.clone()];
		assert_eq!(
			verify(&justification, target_of(&target), 0, &voters()).map(|s| s.len()),
			Ok(3)
		);

		// A missing link.
		let mut missing = justification.clone();
		missing.votes_ancestries = vec![grandchild.clone()];
		assert_eq!(
			verify(&missing, target_of(&target), 0, &voters()),
			Err(JustificationError::NotDescendant)
		);
		// An unused or repeated ancestor.
		let mut unused = justification.clone();
		unused.votes_ancestries.push(header(12, grandchild.hash()));
		assert_eq!(
			verify(&unused, target_of(&target), 0, &voters()),
			Err(JustificationError::RedundantAncestry)
		);
		let mut repeated = justification.clone();
		repeated.votes_ancestries.push(child.clone());
		assert_eq!(
			verify(&repeated, target_of(&target), 0, &voters()),
			Err(JustificationError::RedundantAncestry)
		);
		// An ancestor whose number lies about its height.
		let mut lying = justification.clone();
		let mut child_at_12 = child.clone();
		child_at_12.set_number(12);
		lying.votes_ancestries = vec![grandchild.clone(), child_at_12];
		assert_eq!(
			verify(&lying, target_of(&target), 0, &voters()),
			Err(JustificationError::NotDescendant)
		);
		// A vote for a block below the target, or on another branch.
		let mut below = justify(&target, 1, 0, &all[..2]);
		below.commit.precommits.push(vote(&all[2], &header(8, H256::zero())));
		assert_eq!(
			verify(&below, target_of(&target), 0, &voters()),
			Err(JustificationError::NotDescendant)
		);
		let cousin = header(10, H256::repeat_byte(5));
		let mut branch = justify(&target, 1, 0, &all[..2]);
		branch.commit.precommits.push(vote(&all[2], &cousin));
		branch.votes_ancestries = vec![cousin];
		assert_eq!(
			verify(&branch, target_of(&target), 0, &voters()),
			Err(JustificationError::NotDescendant)
		);
	}

	#[test]
	fn a_header_schedules_at_most_one_change_without_delay() {
		let with = |logs: Vec<ConsensusLog<BlockNumber>>| {
			let mut header = header(3, H256::zero());
			for log in logs {
				header.digest_mut().push(DigestItem::Consensus(GRANDPA_ENGINE_ID, log.encode()));
			}
			header
		};
		let next = |n: usize| voters()[..n].to_vec();
		let set_change = |header: &Header| -> Result<Option<AuthorityList>, ChangeError> {
			Ok(match change(header)? {
				None => None,
				Some(Change::Standard(next)) => Some(next),
				Some(Change::Forced { .. }) => return Err(ChangeError::Unsupported),
			})
		};
		let scheduled = |n: usize, delay| {
			ConsensusLog::ScheduledChange(ScheduledChange { next_authorities: next(n), delay })
		};
		assert_eq!(set_change(&header(3, H256::zero())), Ok(None));
		assert_eq!(set_change(&with(vec![scheduled(2, 0)])), Ok(Some(next(2))));
		// The first of two counts, as GRANDPA reads it.
		assert_eq!(set_change(&with(vec![scheduled(2, 0), scheduled(3, 0)])), Ok(Some(next(2))));
		assert_eq!(set_change(&with(vec![ConsensusLog::OnDisabled(1)])), Ok(None));
		assert_eq!(set_change(&with(vec![scheduled(2, 5)])), Err(ChangeError::Delayed));
		let forced = |n: usize| {
			ConsensusLog::ForcedChange(7, ScheduledChange { next_authorities: next(n), delay: 2 })
		};
		// A forced change is read with its delay and median, and before a standard one.
		let read = Ok(Some(Change::Forced { median: 7, delay: 2, next: next(1) }));
		assert_eq!(change(&with(vec![forced(1)])), read);
		assert_eq!(change(&with(vec![scheduled(2, 0), forced(1), forced(3)])), read);
		assert_eq!(change(&with(vec![scheduled(2, 0)])), Ok(Some(Change::Standard(next(2)))));
		assert_eq!(change(&with(vec![ConsensusLog::Resume(1)])), Err(ChangeError::Unsupported));
		let mut item = header(3, H256::zero());
		item.digest_mut().push(forced_change_item(next(1), 2, 7));
		assert_eq!(change(&item), read);
		assert_eq!(set_change(&with(vec![ConsensusLog::Pause(0)])), Err(ChangeError::Unsupported));
		let mut garbage = header(3, H256::zero());
		garbage.digest_mut().push(DigestItem::Consensus(GRANDPA_ENGINE_ID, vec![9, 9]));
		assert_eq!(set_change(&garbage), Err(ChangeError::Undecodable));
		// Other engines' items are not GRANDPA's business.
		let mut aura = header(3, H256::zero());
		aura.digest_mut().push(DigestItem::Consensus(*b"aura", vec![9, 9]));
		assert_eq!(set_change(&aura), Ok(None));
	}

	#[test]
	fn a_forced_set_is_followed_only_if_its_justifications_hold_an_honest_old_voter() {
		use ForcedSetError::*;
		let weighted = |weights: &[u64]| -> AuthorityList {
			voters().into_iter().zip(weights).map(|((id, _), w)| (id, *w)).collect()
		};
		let all = voters();
		let six: AuthorityList = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"]
			.iter()
			.map(|seed| (voter(seed).public().into(), 1))
			.collect();
		// Four of six (the parent losing two), three or five of six; two of four (a committee
		// losing two, finality recovery's tie with the first voter), three of four.
		for (current, n) in [(&six, 4), (&six, 3), (&six, 5), (&all, 2), (&all, 3)] {
			assert_eq!(
				check_forced_set(current, &current[..n]),
				Ok(()),
				"{n} of {}",
				current.len()
			);
		}
		// Any part counts, not only a prefix.
		assert_eq!(
			check_forced_set(&six, &[six[5].clone(), six[0].clone(), six[3].clone()]),
			Ok(())
		);
		// Two of six both sign, and six hold at most one faulty voter; one alone may be it.
		assert_eq!(check_forced_set(&six, &six[..2]), Ok(()));
		assert_eq!(check_forced_set(&six, &six[..1]), Err(TooWeak));
		assert_eq!(check_forced_set(&all, &all[..1]), Err(TooWeak));
		// Weights count: a voter of weight 4 alone (threshold 3) outweighs the 2 that seven
		// may hold of faults; two of weight 1 (threshold 2) do not.
		let heavy = weighted(&[4, 1, 1, 1]);
		assert_eq!(check_forced_set(&heavy, &heavy[..1]), Ok(()));
		let light = weighted(&[1, 1, 1, 4]);
		assert_eq!(check_forced_set(&light, &light[..3]), Ok(()));
		assert_eq!(check_forced_set(&light, &light[..2]), Err(TooWeak));
		// Not a part of the set: the whole set, nothing, a stranger, another weight, a repeat.
		assert_eq!(check_forced_set(&all, &all), Err(NotPartOfTheSet));
		assert_eq!(check_forced_set(&all, &[]), Err(NotPartOfTheSet));
		let eve = (voter("//Eve").public().into(), 1);
		assert_eq!(check_forced_set(&all, &[all[0].clone(), eve]), Err(NotPartOfTheSet));
		assert_eq!(
			check_forced_set(&all, &[all[0].clone(), (all[1].0.clone(), 2)]),
			Err(NotPartOfTheSet)
		);
		assert_eq!(
			check_forced_set(&all, &[all[0].clone(), all[1].clone(), all[0].clone()]),
			Err(NotPartOfTheSet)
		);
	}
}
