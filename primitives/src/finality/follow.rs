//! A light client of a GRANDPA chain following that chain's forced change.
//!
//! A GRANDPA light client (the sub-chains' `pallet-bridge-grandpa` of the parent) follows a
//! standard change through the justification of the header that carries it: the old set
//! finalized it. A forced change is never finalized by the old set (it is what a chain
//! whose set stalled does: `pallet-finality-recovery`), so the client needs more: every
//! header from its last finalized block `F` up to a header `J` that the new set justified,
//! through the header `H` that forced the change. [`follow_forced_change`] accepts them when
//!
//! 1. they are consecutive and hash-linked, and link to `F` (they may start below `F` if the
//!    old set finalized a block after `H`), never below the first block of the set in force;
//! 2. exactly one of them forces a change, at `H`, to a part of the set in force that
//!    [`check_forced_set`] accepts (a justification of it holds an honest old voter);
//! 3. no standard change lies below `H` that the old set could have finalized (at or below
//!    `F` or the change's `median`): the nodes drop the others, a light client must follow
//!    those first;
//! 4. `J` is at least `delay` blocks after `H` (where the nodes apply the change) and nothing
//!    between `H` and `J` changes the set;
//! 5. the justification is the new set's (set id plus one) for `J`.
//!
//! An honest voter of the old set signed then; its node voted in the new set only on a chain
//! that forced the change in `H`, so everything here is that chain's. If `J` itself schedules
//! a standard change, the set after it is the one followed (set id plus two).

use super::{change, check_forced_set, verify, Change, ChangeError, ForcedSetError, Justification};
use super::{JustificationError, SetId};
use crate::{BlockNumber, Hash, Header};
use alloc::vec::Vec;
use sp_consensus_grandpa::{AuthorityId, AuthorityList, AuthorityWeight};
use sp_runtime::traits::Header as _;

/// What a light client holds: the set in force, the first block of its era and the last
/// finalized header.
#[derive(Clone, Copy, Debug)]
pub struct Followed<'a> {
	/// The set id in force.
	pub set_id: SetId,
	/// Its voters, in the order the chain lists them.
	pub voters: &'a [(AuthorityId, AuthorityWeight)],
	/// The lowest block the set may have forced a change in: the block after the change that
	/// put it in force (1 for the chain's first set).
	pub start: BlockNumber,
	/// The last finalized header's hash and number; number 0 for a client that has finalized
	/// nothing since its genesis (its header zero links to nothing).
	pub finalized: (Hash, BlockNumber),
}

/// The set a light client follows after a forced change.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Forced {
	/// The new set id.
	pub set_id: SetId,
	/// The new voters.
	pub voters: AuthorityList,
	/// The first block of the new set's era (see [`Followed::start`]).
	pub start: BlockNumber,
	/// The header that forced the change.
	pub signal: BlockNumber,
	/// The last finalized block the change assumed.
	pub median: BlockNumber,
	/// The voters that signed the justification of [`Forced::best`].
	pub signers: Vec<AuthorityId>,
}

/// Why a forced change is not followed.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum FollowError {
	/// No headers.
	NoHeaders,
	/// The headers start below the first block of the set in force.
	BeforeSetStart,
	/// The headers do not reach down to the last finalized block, do not pass through it, or
	/// are not consecutive and hash-linked.
	NotLinked,
	/// A header's GRANDPA digest cannot be followed.
	Unfollowable(ChangeError),
	/// No header forces a change.
	NoForcedChange,
	/// More than one header forces a change.
	TwoForcedChanges,
	/// A standard change below the forced one that the old set could have finalized.
	FinalizedChangeSkipped,
	/// The last header is fewer than the change's delay after it, or a header between the two
	/// changes the set.
	NotEnacted,
	/// The new voters are not a part of the old set that may be followed.
	Set(ForcedSetError),
	/// The justification is not the new set's for the last header.
	Justification(JustificationError),
}

/// Checks `headers` (ending with `J`) and `justification` (of `J`) as a forced change of the
/// set `followed` holds (see the module docs). Returns the set to follow; `J` is its last
/// finalized header.
pub fn follow_forced_change(
	followed: Followed,
	headers: &[Header],
	justification: &Justification,
) -> Result<Forced, FollowError> {
	use FollowError::*;
	let first = headers.first().ok_or(NoHeaders)?;
	let (finalized_hash, finalized) = followed.finalized;
	if *first.number() < followed.start {
		return Err(BeforeSetStart);
	}
	// Link to the last finalized block: right after it, or through it. A client that has
	// finalized nothing since genesis holds a header zero that nothing links to: it starts at 1.
	if finalized == 0 {
		if *first.number() != 1 {
			return Err(NotLinked);
		}
	} else if *first.number() == finalized + 1 {
		if *first.parent_hash() != finalized_hash {
			return Err(NotLinked);
		}
	} else if *first.number() > finalized + 1 {
		return Err(NotLinked);
	}
	let mut hashes = Vec::with_capacity(headers.len());
	for (i, header) in headers.iter().enumerate() {
		let hash = header.hash();
		if let Some(previous) = i.checked_sub(1).map(|p| &headers[p]) {
			if *header.number() != previous.number() + 1 || *header.parent_hash() != hashes[i - 1] {
				return Err(NotLinked);
			}
		}
		if *header.number() == finalized && finalized != 0 && hash != finalized_hash {
			return Err(NotLinked);
		}
		hashes.push(hash);
	}
	let last = headers.last().ok_or(NoHeaders)?;
	if *last.number() < finalized {
		return Err(NotLinked);
	}

	// The changes: one forced, standard ones only where the nodes dropped them, and at most
	// one standard change at `J`.
	let mut changes = Vec::new();
	for (i, header) in headers.iter().enumerate() {
		if let Some(change) = change(header).map_err(Unfollowable)? {
			changes.push((i, change));
		}
	}
	let mut forced = None;
	for (i, change) in &changes {
		if let Change::Forced { median, delay, next } = change {
			if forced.is_some() {
				return Err(TwoForcedChanges);
			}
			forced = Some((*i, *median, *delay, next.clone()));
		}
	}
	let (at, median, delay, next) = forced.ok_or(NoForcedChange)?;
	let signal = *headers[at].number();
	let end = headers.len() - 1;
	for (i, change) in &changes {
		let Change::Standard(_) = change else { continue };
		let number = *headers[*i].number();
		if *i < at && number <= finalized.max(median) {
			return Err(FinalizedChangeSkipped);
		}
		if *i > at && *i != end {
			return Err(NotEnacted);
		}
	}
	if *last.number() < signal.saturating_add(delay) {
		return Err(NotEnacted);
	}
	check_forced_set(followed.voters, &next).map_err(Set)?;
	let set_id = followed.set_id.saturating_add(1);
	let signers = verify(justification, (hashes[end], *last.number()), set_id, &next)
		.map_err(Justification)?;
	let after_last = match changes.last() {
		Some((i, Change::Standard(list))) if *i == end && end != at => Some(list.clone()),
		_ => None,
	};
	Ok(match after_last {
		Some(list) => Forced {
			set_id: set_id.saturating_add(1),
			voters: list,
			start: last.number().saturating_add(1),
			signal,
			median,
			signers,
		},
		None => Forced {
			set_id,
			voters: next,
			start: signal.saturating_add(delay).saturating_add(1),
			signal,
			median,
			signers,
		},
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::finality::{
		forced_change_item, scheduled_change_item,
		testing::{header_chain as chain, justify, voter, voter_list as list},
	};
	use sp_core::{ed25519, Pair, H256};
	use sp_runtime::generic::DigestItem;

	const SEEDS: [&str; 6] = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"];

	fn pairs() -> Vec<ed25519::Pair> {
		SEEDS.iter().map(|seed| voter(seed)).collect()
	}

	struct Case {
		voters: AuthorityList,
		finalized: Header,
		headers: Vec<Header>,
	}

	/// Six voters finalized block 10; Eve and Ferdie are gone; block 14 forces the change to
	/// the other four (median 10, delay 2); the headers run to 18.
	fn six_to_four() -> Case {
		let all = pairs();
		let root = chain(10, H256::repeat_byte(7), 10, &[]).remove(0);
		let forced = forced_change_item(list(&all[..4]), 2, 10);
		let headers = chain(11, root.hash(), 18, &[(14, forced)]);
		Case { voters: list(&all), finalized: root, headers }
	}

	fn followed(case: &Case) -> Followed<'_> {
		Followed {
			set_id: 3,
			voters: &case.voters,
			start: 5,
			finalized: (case.finalized.hash(), *case.finalized.number()),
		}
	}

	fn justified(case: &Case, set_id: SetId, signers: &[ed25519::Pair]) -> Justification {
		justify(case.headers.last().unwrap(), 1, set_id, signers)
	}

	#[test]
	fn the_new_sets_justification_of_a_header_after_the_delay_is_followed() {
		let case = six_to_four();
		let all = pairs();
		let justification = justified(&case, 4, &all[..3]);
		let forced = follow_forced_change(followed(&case), &case.headers, &justification).unwrap();
		assert_eq!(
			forced,
			Forced {
				set_id: 4,
				voters: list(&all[..4]),
				start: 17,
				signal: 14,
				median: 10,
				signers: {
					let mut signers: Vec<AuthorityId> =
						all[..3].iter().map(|p| p.public().into()).collect();
					signers.sort();
					signers
				},
			}
		);
		// The headers may also start below the last finalized block and pass through it.
		let mut longer = chain(8, H256::repeat_byte(3), 9, &[]);
		let mut root = case.finalized.clone();
		root.set_parent_hash(longer[1].hash());
		let headers: Vec<Header> = {
			let forced = forced_change_item(list(&all[..4]), 2, 10);
			let mut rest = chain(11, root.hash(), 18, &[(14, forced)]);
			longer.push(root.clone());
			longer.append(&mut rest);
			longer
		};
		let case = Case { voters: case.voters, finalized: root, headers };
		let justification = justified(&case, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &case.headers, &justification).map(|f| f.set_id),
			Ok(4)
		);
	}

	#[test]
	fn the_headers_must_link_to_the_last_finalized_block_within_the_set() {
		let case = six_to_four();
		let all = pairs();
		let justification = justified(&case, 4, &all[..3]);
		let follow = |followed: Followed, headers: &[Header]| {
			follow_forced_change(followed, headers, &justification)
		};
		assert_eq!(follow(followed(&case), &[]), Err(FollowError::NoHeaders));
		// A gap after the finalized block, a wrong parent, a missing header in between.
		assert_eq!(follow(followed(&case), &case.headers[1..]), Err(FollowError::NotLinked));
		let mut other = followed(&case);
		other.finalized.0 = H256::repeat_byte(9);
		assert_eq!(follow(other, &case.headers), Err(FollowError::NotLinked));
		let mut holed = case.headers.clone();
		holed.remove(3);
		assert_eq!(follow(followed(&case), &holed), Err(FollowError::NotLinked));
		// Below the set's first block.
		let mut late = followed(&case);
		late.start = 12;
		assert_eq!(follow(late, &case.headers), Err(FollowError::BeforeSetStart));
		// A client that finalized nothing takes headers from block 1 only.
		let mut fresh = followed(&case);
		fresh.finalized = (H256::zero(), 0);
		fresh.start = 1;
		assert_eq!(follow(fresh, &case.headers), Err(FollowError::NotLinked));
		let forced = forced_change_item(list(&all[..4]), 2, 0);
		let from_one = chain(1, H256::zero(), 6, &[(3, forced)]);
		let justification = justify(from_one.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(follow_forced_change(fresh, &from_one, &justification).map(|f| f.start), Ok(6));
	}

	#[test]
	fn exactly_one_forced_change_is_followed_once_enacted() {
		let case = six_to_four();
		let all = pairs();
		// No forced change.
		let plain = chain(11, case.finalized.hash(), 18, &[]);
		let justification = justify(plain.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &plain, &justification),
			Err(FollowError::NoForcedChange)
		);
		// Two.
		let twice = chain(
			11,
			case.finalized.hash(),
			18,
			&[
				(12, forced_change_item(list(&all[..5]), 2, 10)),
				(15, forced_change_item(list(&all[..4]), 2, 10)),
			],
		);
		let justification = justify(twice.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &twice, &justification),
			Err(FollowError::TwoForcedChanges)
		);
		// A justification of the block before the delay is over.
		let early = &case.headers[..5];
		let justification = justify(early.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), early, &justification),
			Err(FollowError::NotEnacted)
		);
		// A change between the forced one and the justified header.
		let changed = chain(
			11,
			case.finalized.hash(),
			18,
			&[
				(14, forced_change_item(list(&all[..4]), 2, 10)),
				(16, scheduled_change_item(list(&all[..5]), 0)),
			],
		);
		let justification = justify(changed.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &changed, &justification),
			Err(FollowError::NotEnacted)
		);
		// A pause is not followed.
		let paused = chain(
			11,
			case.finalized.hash(),
			18,
			&[
				(14, forced_change_item(list(&all[..4]), 2, 10)),
				(
					15,
					DigestItem::Consensus(
						sp_consensus_grandpa::GRANDPA_ENGINE_ID,
						codec::Encode::encode(
							&sp_consensus_grandpa::ConsensusLog::<BlockNumber>::Pause(1),
						),
					),
				),
			],
		);
		let justification = justify(paused.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &paused, &justification),
			Err(FollowError::Unfollowable(ChangeError::Unsupported))
		);
	}

	#[test]
	fn a_standard_change_below_the_forced_one_is_skipped_only_where_the_nodes_drop_it() {
		let case = six_to_four();
		let all = pairs();
		let with_standard = |at: BlockNumber, median: BlockNumber| {
			chain(
				11,
				case.finalized.hash(),
				18,
				&[
					(at, scheduled_change_item(list(&all[..5]), 0)),
					(14, forced_change_item(list(&all[..4]), 2, median)),
				],
			)
		};
		// Above the median and the finalized block: the nodes dropped it.
		let headers = with_standard(12, 10);
		let justification = justify(headers.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &headers, &justification).map(|f| f.set_id),
			Ok(4)
		);
		// At or below the median: the old set finalized it, and the new set is not `set + 1`.
		let headers = with_standard(12, 12);
		let justification = justify(headers.last().unwrap(), 1, 4, &all[..3]);
		assert_eq!(
			follow_forced_change(followed(&case), &headers, &justification),
			Err(FollowError::FinalizedChangeSkipped)
		);
	}

	#[test]
	fn a_standard_change_in_the_justified_header_is_followed_after_it() {
		let case = six_to_four();
		let all = pairs();
		let headers = chain(
			11,
			case.finalized.hash(),
			18,
			&[
				(14, forced_change_item(list(&all[..4]), 2, 10)),
				(18, scheduled_change_item(list(&all[..5]), 0)),
			],
		);
		let justification = justify(headers.last().unwrap(), 1, 4, &all[..3]);
		let forced = follow_forced_change(followed(&case), &headers, &justification).unwrap();
		assert_eq!((forced.set_id, forced.voters, forced.start), (5, list(&all[..5]), 19));
	}

	#[test]
	fn only_the_new_sets_justification_of_an_honest_part_of_the_old_set_counts() {
		let case = six_to_four();
		let all = pairs();
		// The old set's id, a later one, too few signers, a signer outside the new set.
		for (set_id, signers) in [(3, &all[..3]), (5, &all[..3]), (4, &all[..2])] {
			let justification = justified(&case, set_id, signers);
			assert!(matches!(
				follow_forced_change(followed(&case), &case.headers, &justification),
				Err(FollowError::Justification(_))
			));
		}
		let outsider = [all[0], all[1], all[4]];
		let justification = justified(&case, 4, &outsider);
		assert_eq!(
			follow_forced_change(followed(&case), &case.headers, &justification),
			Err(FollowError::Justification(JustificationError::UnknownVoter))
		);
		// A new set of one of six (its justification need not hold an honest voter of the six),
		// or with a stranger.
		let stranger = voter("//Mallory");
		for next in [list(&all[..1]), list(&[all[0], all[1], all[2], stranger])] {
			let headers =
				chain(11, case.finalized.hash(), 18, &[(14, forced_change_item(next, 2, 10))]);
			let justification = justify(headers.last().unwrap(), 1, 4, &all[..2]);
			assert!(matches!(
				follow_forced_change(followed(&case), &headers, &justification),
				Err(FollowError::Set(_))
			));
		}
	}
}
