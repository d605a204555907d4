//! Anchored headers: the genesis with its GRANDPA voters first, then finalized segments,
//! each justified by more than two thirds of the voter set the parent follows through the
//! changes the headers schedule; continuity, trade roots, replays, forks, the window, and what
//! a minority of the sub-chain's voters cannot do.

use crate::{mock::*, *};
use codec::Encode;
use dbm_primitives::{finality::testing, registry::AnchoredBlock, Header};
use frame_support::{assert_noop, assert_ok, dispatch::DispatchResult};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::Ferdie;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	DispatchError,
};

const ABC: [&str; 3] = ["//Alice", "//Bob", "//Charlie"];

/// Blocks `from..from + count` on `parent`, block `n` with one trade.
fn blocks(from: u32, count: u32, mut parent: H256) -> Vec<(Header, Vec<TradeRecordOf<Test>>)> {
	(from..from + count)
		.map(|number| {
			let trades = vec![record(number.into())];
			let h = header(number, parent, &trades);
			parent = h.hash();
			(h, trades)
		})
		.collect()
}

fn raw_anchor(blocks: Vec<AnchoredBlockOf<Test>>, justification: Vec<u8>) -> DispatchResult {
	Registry::anchor(RuntimeOrigin::signed(acc(Ferdie)), ONE, blocks, justification)
		.map(|_| ())
		.map_err(|e| e.error)
}

fn genesis_with(header: Vec<u8>, proof: Vec<Vec<u8>>) -> DispatchResult {
	Registry::anchor_genesis(RuntimeOrigin::signed(acc(Ferdie)), ONE, header, proof)
}

#[test]
fn a_header_with_its_trade_batch_is_anchored() {
	build_and_execute(|| {
		assert_ok!(anchor(&genesis_header(), vec![]));
		let trades = vec![record(1), record(2), record(3)];
		let h = header(1, genesis_hash(), &trades);
		assert_ok!(anchor(&h, trades.clone()));
		let root = TradeRoot::of(&trades);
		System::assert_last_event(
			Event::<Test>::Anchored {
				subchain: ONE,
				number: 1,
				hash: h.hash(),
				trade_root: root.root,
				trades: 3,
			}
			.into(),
		);
		assert_eq!(
			Anchors::<Test>::get(ONE, 1),
			Some(Anchor {
				hash: h.hash(),
				state_root: *h.state_root(),
				trade_root: root.root,
				trade_count: 3,
				anchored_in: 1
			})
		);
		assert_eq!(
			LastAnchor::<Test>::get(ONE),
			Some(AnchorHead { number: 1, hash: h.hash(), anchored_in: 1 })
		);
		// Any of its trades is proven from the parent.
		for i in 0..3 {
			let proof = TradeProof::build(&trades, i).unwrap();
			assert!(Registry::verify_trade(ONE, 1, &proof));
			let mut forged = proof.clone();
			forged.record.energy_wh += 1;
			assert!(!Registry::verify_trade(ONE, 1, &forged));
			assert!(!Registry::verify_trade(ONE, 2, &proof));
		}
	});
}

#[test]
fn the_first_anchor_is_the_registered_genesis_with_its_voters() {
	build_and_execute(|| {
		// Nothing is anchored before the genesis.
		let first = blocks(1, 1, genesis_hash());
		assert_noop!(
			anchor_segment(&first, justification(&first[0].0, 0, &ABC)),
			Error::<Test>::Gap
		);
		// Not block 1, not another genesis.
		let (_, proof) = subchain_state();
		assert_noop!(
			genesis_with(header(1, genesis_hash(), &[]).encode(), proof.clone()),
			Error::<Test>::Gap
		);
		let mut other = genesis_header();
		other.set_state_root(H256::repeat_byte(7));
		assert_noop!(genesis_with(other.encode(), proof.clone()), Error::<Test>::NotGenesis);
		assert_ok!(anchor_genesis());
		let root = TradeRoot::of::<TradeRecordOf<Test>>(&[]);
		assert_eq!(
			Anchors::<Test>::get(ONE, 0),
			Some(Anchor {
				hash: genesis_hash(),
				state_root: subchain_state().0,
				trade_root: root.root,
				trade_count: 0,
				anchored_in: 1
			})
		);
		assert_eq!(
			LastAnchor::<Test>::get(ONE).map(|a| (a.number, a.hash)),
			Some((0, genesis_hash()))
		);
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.from), (0, 1));
		assert_eq!(voters.voters.to_vec(), voter_list(&VOTER_SEEDS));
		System::assert_last_event(
			Event::<Test>::VoterSetChanged { subchain: ONE, set_id: 0, from: 1, voters: 4 }.into(),
		);
		assert_noop!(anchor_genesis(), Error::<Test>::AlreadyAnchored);
	});
}

#[test]
fn the_genesis_voters_are_proven_against_the_genesis_state() {
	build_and_execute(|| {
		let genesis = genesis_header().encode();
		// A proof from another state.
		let (_, elsewhere) = dbm_primitives::proof::trie(&[(
			dbm_primitives::finality::grandpa_authorities_key(),
			voter_list(&["//Eve"]).encode(),
		)]);
		assert_noop!(genesis_with(genesis.clone(), elsewhere), Error::<Test>::InvalidProof);
		assert_noop!(genesis_with(genesis.clone(), vec![]), Error::<Test>::InvalidProof);
		assert_noop!(
			genesis_with(genesis.clone(), vec![vec![0; 4_097]]),
			Error::<Test>::ProofTooLarge
		);
		assert_noop!(genesis_with(genesis.clone(), vec![vec![0]; 9]), Error::<Test>::ProofTooLarge);
		assert_noop!(genesis_with(vec![0; 513], vec![]), Error::<Test>::HeaderTooLong);
		assert_noop!(genesis_with(vec![1, 2, 3], vec![]), Error::<Test>::BadHeader);
		let mut trailing = genesis.clone();
		trailing.push(0);
		assert_noop!(genesis_with(trailing, vec![]), Error::<Test>::BadHeader);
		assert_noop!(
			Registry::anchor_genesis(RuntimeOrigin::none(), ONE, genesis.clone(), vec![]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::anchor_genesis(
				RuntimeOrigin::signed(acc(Ferdie)),
				SubchainId(9),
				genesis,
				vec![]
			),
			Error::<Test>::UnknownSubchain
		);
	});
}

const THREE: SubchainId = SubchainId(3);

/// A genesis header whose state holds `entries`, and a proof of its voters' key.
fn genesis_of_state(entries: &[(Vec<u8>, Vec<u8>)]) -> (Header, Vec<Vec<u8>>) {
	let (root, proof) = dbm_primitives::proof::trie(entries);
	(Header::new(0, H256::zero(), root, H256::zero(), Digest::default()), proof)
}

/// Registers sub-chain 3, or points it at `genesis`.
fn register_three(genesis: H256) {
	if Subchains::<Test>::contains_key(THREE) {
		Subchains::<Test>::mutate(THREE, |info| info.as_mut().unwrap().genesis_hash = genesis);
	} else {
		assert_ok!(Registry::register_subchain(
			RuntimeOrigin::root(),
			THREE,
			b"three".to_vec(),
			b"east".to_vec(),
			genesis,
			H256::zero(),
			vec![]
		));
	}
}

#[test]
fn a_genesis_without_a_sound_voter_set_is_refused() {
	build_and_execute(|| {
		let key = dbm_primitives::finality::grandpa_authorities_key();
		let alice = voter_list(&["//Alice"])[0].0.clone();
		let seven = ["//1", "//2", "//3", "//4", "//5", "//6", "//7"];
		for state in [
			vec![(
				key.clone(),
				Vec::<(dbm_primitives::finality::AuthorityId, u64)>::new().encode(),
			)],
			vec![(key.clone(), vec![(alice.clone(), 1), (alice.clone(), 1)].encode())],
			vec![(key.clone(), vec![(alice.clone(), 0)].encode())],
			vec![(key.clone(), voter_list(&seven).encode())],
			vec![(key.clone(), vec![1, 2, 3])],
			// No voters at all.
			vec![(b"other".to_vec(), vec![1])],
		] {
			let (genesis, proof) = genesis_of_state(&state);
			register_three(genesis.hash());
			assert_noop!(
				Registry::anchor_genesis(
					RuntimeOrigin::signed(acc(Ferdie)),
					THREE,
					genesis.encode(),
					proof
				),
				Error::<Test>::InvalidVoterSet
			);
		}
	});
}

#[test]
fn a_segment_of_blocks_anchors_with_one_justification_of_its_last() {
	build_and_execute(|| {
		assert_ok!(anchor_genesis());
		let segment = blocks(1, 4, genesis_hash());
		// Justified by three of the four voters: all four blocks anchor, in order.
		assert_ok!(anchor_segment(&segment, justification(&segment[3].0, 0, &ABC)));
		for (h, trades) in &segment {
			let anchor = Anchors::<Test>::get(ONE, h.number).unwrap();
			assert_eq!((anchor.hash, anchor.trade_root), (h.hash(), TradeRoot::of(trades).root));
			System::assert_has_event(
				Event::<Test>::Anchored {
					subchain: ONE,
					number: h.number,
					hash: h.hash(),
					trade_root: TradeRoot::of(trades).root,
					trades: 1,
				}
				.into(),
			);
		}
		assert_eq!(LastAnchor::<Test>::get(ONE).map(|a| a.number), Some(4));
		// The voters are unchanged.
		assert_eq!(Voters::<Test>::get(ONE).map(|v| v.set_id), Some(0));
	});
}

#[test]
fn segments_out_of_bounds_are_refused() {
	build_and_execute(|| {
		assert_ok!(anchor_genesis());
		assert_noop!(raw_anchor(vec![], vec![]), Error::<Test>::EmptySegment);
		let nine = blocks(1, 9, genesis_hash());
		assert_noop!(
			anchor_segment(&nine, justification(&nine[8].0, 0, &ABC)),
			Error::<Test>::SegmentTooLong
		);
		// Nine trades in two blocks.
		let nine: Vec<_> = (0..9).map(record).collect();
		let one = header(1, genesis_hash(), &nine[..4]);
		let two = header(2, one.hash(), &nine[4..]);
		assert_noop!(
			anchor_segment(
				&[(one, nine[..4].to_vec()), (two.clone(), nine[4..].to_vec())],
				justification(&two, 0, &ABC)
			),
			Error::<Test>::TooManyTrades
		);
		let segment = blocks(1, 1, genesis_hash());
		assert_noop!(anchor_segment(&segment, vec![0; 4_097]), Error::<Test>::JustificationTooLong);
		let long = AnchoredBlock { header: vec![0; 513], trades: vec![] };
		assert_noop!(raw_anchor(vec![long], vec![]), Error::<Test>::HeaderTooLong);
		let garbage = AnchoredBlock { header: vec![1, 2, 3], trades: vec![] };
		assert_noop!(raw_anchor(vec![garbage], vec![]), Error::<Test>::BadHeader);
		assert_noop!(
			Registry::anchor(RuntimeOrigin::none(), ONE, vec![], vec![]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::anchor(RuntimeOrigin::signed(acc(Ferdie)), SubchainId(9), vec![], vec![]),
			Error::<Test>::UnknownSubchain
		);
	});
}

#[test]
fn a_segment_must_hang_together() {
	build_and_execute(|| {
		assert_ok!(anchor_genesis());
		let mut segment = blocks(1, 3, genesis_hash());
		let last = segment[2].0.clone();
		// A block left out, or one whose parent is not the previous block.
		let gap = vec![segment[0].clone(), segment[2].clone()];
		assert_noop!(anchor_segment(&gap, justification(&last, 0, &ABC)), Error::<Test>::Gap);
		let trades = vec![record(22)];
		segment[1] = (header(2, H256::repeat_byte(9), &trades), trades);
		assert_noop!(
			anchor_segment(&segment, justification(&last, 0, &ABC)),
			Error::<Test>::ParentMismatch
		);
	});
}

#[test]
fn the_justification_must_finalize_the_segments_last_block_by_its_voters() {
	build_and_execute(|| {
		assert_ok!(anchor_genesis());
		let segment = blocks(1, 2, genesis_hash());
		let (first, last) = (&segment[0].0, &segment[1].0);
		let refused = |justification: Vec<u8>| anchor_segment(&segment, justification);
		assert_noop!(refused(vec![1, 2, 3]), Error::<Test>::BadJustification);
		// Of the segment's first block, not its last.
		assert_noop!(
			refused(justification(first, 0, &ABC)),
			Error::<Test>::WrongJustificationTarget
		);
		// Two of four voters are not more than two thirds.
		assert_noop!(refused(justification(last, 0, &ABC[..2])), Error::<Test>::NotEnoughVotes);
		// A key outside the set.
		assert_noop!(
			refused(justification(last, 0, &["//Alice", "//Bob", "//Eve"])),
			Error::<Test>::UnknownVoter
		);
		// Votes of another set id.
		assert_noop!(refused(justification(last, 1, &ABC)), Error::<Test>::BadVote);
		// Votes for a block the ancestry does not link to the last.
		let keys = voter_keys(&ABC);
		let mut justified = testing::justify(last, 1, 0, &keys[..2]);
		let stray = header(3, H256::repeat_byte(8), &[]);
		justified.commit.precommits.push(testing::vote(&keys[2], (stray.hash(), 3), 1, 0));
		assert_noop!(refused(justified.encode()), Error::<Test>::VoteNotDescendant);
		justified.votes_ancestries = vec![stray];
		assert_noop!(refused(justified.encode()), Error::<Test>::VoteNotDescendant);
		// An ancestry header no vote needs.
		let mut padded = testing::justify(last, 1, 0, &keys);
		padded.votes_ancestries = vec![header(3, last.hash(), &[])];
		assert_noop!(refused(padded.encode()), Error::<Test>::RedundantAncestry);
		// More precommits than twice the voters.
		let mut stuffed = testing::justify(last, 1, 0, &keys);
		let vote = stuffed.commit.precommits[0].clone();
		stuffed.commit.precommits.extend(core::iter::repeat_n(vote, 6));
		assert_noop!(refused(stuffed.encode()), Error::<Test>::BadJustification);
		// Votes for a child of the last block count, through the ancestry.
		let child = header(3, last.hash(), &[]);
		let mut through_child = testing::justify(last, 1, 0, &keys[..2]);
		through_child.commit.precommits.push(testing::vote(&keys[2], (child.hash(), 3), 1, 0));
		through_child.votes_ancestries = vec![child];
		assert_ok!(refused(through_child.encode()));
		assert_eq!(LastAnchor::<Test>::get(ONE).map(|a| a.number), Some(2));
	});
}

#[test]
fn a_minority_of_the_voters_cannot_anchor_a_forged_block() {
	build_and_execute(|| {
		let real = anchor_chain(2);
		// Block 3 with a state the sub-chain never reached and trades it never made.
		let forged_trades = vec![record(99)];
		let mut forged = header(3, real.hash(), &forged_trades);
		forged.set_state_root(H256::repeat_byte(0x66));
		for signers in [&["//Alice"][..], &["//Alice", "//Bob"][..]] {
			assert_noop!(
				anchor_segment(
					&[(forged.clone(), forged_trades.clone())],
					justification(&forged, 0, signers)
				),
				Error::<Test>::NotEnoughVotes
			);
		}
		// Nor by changing the voter set to itself: no election named that set, and where one
		// did, one key is still not enough to finalize the handover.
		let captured = with_set_change(forged.clone(), &["//Alice"]);
		let segment = [(captured.clone(), forged_trades.clone())];
		assert_noop!(
			anchor_segment(&segment, justification(&captured, 0, &["//Alice"])),
			Error::<Test>::UnelectedVoterSet
		);
		elect_voters(1, &["//Alice"]);
		assert_noop!(
			anchor_segment(&segment, justification(&captured, 0, &["//Alice"])),
			Error::<Test>::NotEnoughVotes
		);
		// Three of four are more than two thirds: what GRANDPA assumes honest.
		assert_ok!(anchor_segment(
			&[(forged.clone(), forged_trades)],
			justification(&forged, 0, &ABC)
		));
	});
}

#[test]
fn the_parent_follows_the_voter_sets_the_finalized_headers_schedule() {
	build_and_execute(|| {
		let last = anchor_chain(1);
		let new = ["//Eve", "//Ferdie", "//Charlie", "//Dave"];
		elect_voters(1, &new);
		// Block 2 hands over to Eve, Ferdie, Charlie and Dave: the old set finalizes it.
		let trades = vec![record(2)];
		let two = with_set_change(header(2, last.hash(), &trades), &new);
		// A change that is not the segment's last block is refused.
		let three_trades = vec![record(3)];
		let three = header(3, two.hash(), &three_trades);
		assert_noop!(
			anchor_segment(
				&[(two.clone(), trades.clone()), (three.clone(), three_trades.clone())],
				justification(&three, 0, &ABC)
			),
			Error::<Test>::SetChangeNotLast
		);
		assert_ok!(anchor_segment(&[(two.clone(), trades)], justification(&two, 0, &ABC)));
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.from), (1, 3));
		assert_eq!(voters.voters.to_vec(), voter_list(&new));
		System::assert_last_event(
			Event::<Test>::VoterSetChanged { subchain: ONE, set_id: 1, from: 3, voters: 4 }.into(),
		);
		// From block 3 on, the old set's votes count no more; the new set's, in set 1, do.
		let old = ["//Alice", "//Bob", "//Charlie"];
		let segment = [(three.clone(), three_trades)];
		assert_noop!(
			anchor_segment(&segment, justification(&three, 1, &old)),
			Error::<Test>::UnknownVoter
		);
		assert_noop!(
			anchor_segment(&segment, justification(&three, 0, &new[..3])),
			Error::<Test>::BadVote
		);
		assert_ok!(anchor_segment(&segment, justification(&three, 1, &new[..3])));
		assert_eq!(LastAnchor::<Test>::get(ONE).map(|a| a.number), Some(3));
	});
}

#[test]
fn set_changes_the_parent_cannot_follow_are_refused() {
	build_and_execute(|| {
		let last = anchor_chain(1);
		use sp_consensus_grandpa::{ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
		let with_log = |log: Vec<u8>| {
			let mut h = header(2, last.hash(), &[]);
			h.digest_mut().push(DigestItem::Consensus(GRANDPA_ENGINE_ID, log));
			h
		};
		let change = |delay| ScheduledChange { next_authorities: voter_list(&["//Eve"]), delay };
		let alice = voter_list(&["//Alice"])[0].0.clone();
		for (h, error) in [
			(with_log(vec![7, 7]), Error::<Test>::UndecodableSetChange),
			(
				with_log(ConsensusLog::<u32>::ScheduledChange(change(3)).encode()),
				Error::<Test>::DelayedSetChange,
			),
			(
				with_log(ConsensusLog::<u32>::ForcedChange(0, change(0)).encode()),
				Error::<Test>::ForcedSetNotPartOfTheSet,
			),
			(with_log(ConsensusLog::<u32>::Pause(0).encode()), Error::<Test>::UnsupportedSetChange),
			(
				with_log(
					ConsensusLog::<u32>::ScheduledChange(ScheduledChange {
						next_authorities: vec![(alice.clone(), 1), (alice.clone(), 1)],
						delay: 0,
					})
					.encode(),
				),
				Error::<Test>::InvalidVoterSet,
			),
			(
				with_log(
					ConsensusLog::<u32>::ScheduledChange(ScheduledChange {
						next_authorities: vec![],
						delay: 0,
					})
					.encode(),
				),
				Error::<Test>::InvalidVoterSet,
			),
		] {
			assert_noop!(anchor_segment(&[(h.clone(), vec![])], justification(&h, 0, &ABC)), error);
		}
	});
}

#[test]
fn voters_may_hand_over_only_to_a_committee_the_members_elected() {
	build_and_execute(|| {
		let last = anchor_chain(1);
		let chosen = ["//Alice", "//Bob", "//Eve"];
		let two = with_set_change(header(2, last.hash(), &[]), &chosen);
		// Alice, Bob and Charlie are more than two thirds of the set and finalize a handover
		// to keys of their choosing: no election named them.
		assert_noop!(
			anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)),
			Error::<Test>::UnelectedVoterSet
		);
		// Elections named other sets: the same keys in another order, one key fewer.
		elect_voters(1, &["//Bob", "//Alice", "//Eve"]);
		elect_voters(2, &chosen[..2]);
		assert_noop!(
			anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)),
			Error::<Test>::UnelectedVoterSet
		);
		// A set scheduled with another weight than 1 is not the elected one either.
		elect_voters(3, &chosen);
		let mut weighted = voter_list(&chosen);
		weighted[0].1 = 2;
		let mut heavy = header(2, last.hash(), &[]);
		heavy.digest_mut().push(dbm_primitives::finality::scheduled_change_item(weighted, 0));
		assert_noop!(
			anchor_segment(&[(heavy.clone(), vec![])], justification(&heavy, 0, &ABC)),
			Error::<Test>::UnelectedVoterSet
		);
		elect_voters(4, &["//Dave"]);
		// Round 3 named these keys: the handover anchors, and rounds 1 to 3 are done with
		// (round 4 may still be enacted).
		assert_ok!(anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)));
		assert_eq!(Voters::<Test>::get(ONE).map(|v| v.voters.to_vec()), Some(voter_list(&chosen)));
		assert_eq!(
			Unenacted::<Test>::get(ONE).iter().map(|e| e.round).collect::<Vec<_>>(),
			vec![4]
		);
	});
}

#[test]
fn an_election_confirmed_from_its_proof_is_a_set_the_voters_may_hand_over_to() {
	use sp_keyring::Sr25519Keyring;
	build_and_execute(|| {
		let last = anchor_chain(1);
		let committee = vec![acc(Sr25519Keyring::Bob), acc(Sr25519Keyring::Charlie)];
		let signers = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
			Sr25519Keyring::Eve,
		];
		assert_ok!(Registry::submit_election(
			RuntimeOrigin::signed(acc(Sr25519Keyring::Ferdie)),
			ONE,
			1,
			Registry::active_set_of(ONE),
			committee.clone(),
			voters_for(&committee),
			confirmations(ONE, 1, &committee, &signers),
		));
		let list: dbm_primitives::finality::AuthorityList =
			voters_for(&committee).into_iter().map(|id| (id, 1)).collect();
		let mut two = header(2, last.hash(), &[]);
		two.digest_mut().push(dbm_primitives::finality::scheduled_change_item(list.clone(), 0));
		assert_ok!(anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)));
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.voters.to_vec()), (1, list));
		assert!(Unenacted::<Test>::get(ONE).is_empty());
	});
}

#[test]
fn three_headers_anchor_in_order_and_an_empty_batch_is_fine() {
	build_and_execute(|| {
		let last = anchor_chain(3);
		assert_eq!(LastAnchor::<Test>::get(ONE).map(|a| a.number), Some(3));
		let empty = header(4, last.hash(), &[]);
		assert_ok!(anchor(&empty, vec![]));
		assert_eq!(
			Anchors::<Test>::get(ONE, 4).map(|a| (a.trade_count, a.trade_root)),
			Some((0, H256::zero()))
		);
	});
}

#[test]
fn a_header_with_a_wrong_hash_does_not_continue_the_chain() {
	build_and_execute(|| {
		let first = anchor_chain(1);
		// A header whose parent is block 1 with one byte changed: not block 1's hash.
		let mut other = first.clone();
		other.state_root = H256::repeat_byte(0xee);
		let trades = vec![record(2)];
		assert_noop!(
			anchor(&header(2, other.hash(), &trades), trades.clone()),
			Error::<Test>::ParentMismatch
		);
		assert_ok!(anchor(&header(2, first.hash(), &trades), trades));
	});
}

#[test]
fn a_gap_is_refused() {
	build_and_execute(|| {
		let last = anchor_chain(2);
		let trades = vec![record(4)];
		assert_noop!(anchor(&header(4, last.hash(), &trades), trades), Error::<Test>::Gap);
	});
}

#[test]
fn a_replay_is_refused() {
	build_and_execute(|| {
		let h = anchor_chain(1);
		assert_noop!(anchor(&h, vec![record(1)]), Error::<Test>::AlreadyAnchored);
	});
}

#[test]
fn a_fork_is_refused() {
	build_and_execute(|| {
		anchor_chain(2);
		// Another block 2 on the same parent, finalized by the same voters.
		let parent = Anchors::<Test>::get(ONE, 1).unwrap().hash;
		let trades = vec![record(22)];
		assert_noop!(anchor(&header(2, parent, &trades), trades), Error::<Test>::ConflictingHeader);
	});
}

#[test]
fn a_batch_that_does_not_match_the_header_root_is_refused() {
	build_and_execute(|| {
		anchor_chain(0);
		let trades = vec![record(1), record(2)];
		let h = header(1, genesis_hash(), &trades);
		// A record changed, one left out, one added, or the order swapped.
		let mut changed = trades.clone();
		changed[0].value += 1;
		let swapped = vec![record(2), record(1)];
		for bad in [changed, vec![record(1)], vec![record(1), record(2), record(3)], swapped] {
			assert_noop!(anchor(&h, bad), Error::<Test>::TradeRootMismatch);
		}
	});
}

#[test]
fn a_header_without_a_trade_root_is_refused() {
	build_and_execute(|| {
		anchor_chain(0);
		let mut digest = Digest::default();
		digest.push(DigestItem::PreRuntime(*b"aura", 1u64.encode()));
		let h = dbm_primitives::Header::new(1, H256::zero(), H256::zero(), genesis_hash(), digest);
		assert_noop!(anchor(&h, vec![]), Error::<Test>::NoTradeRoot);
	});
}

#[test]
fn a_paused_sub_chain_takes_no_anchors() {
	build_and_execute(|| {
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Paused));
		assert_noop!(anchor(&genesis_header(), vec![]), Error::<Test>::SubchainNotActive);
	});
}

#[test]
fn old_anchors_leave_the_window_and_are_found_by_epoch() {
	build_and_execute(|| {
		// Window 4, epochs of 3 blocks, 2 epochs kept. Anchor the genesis at parent block 1 and
		// blocks 1..=7 at parent blocks 1..=7.
		anchor_chain(0);
		let mut parent = genesis_hash();
		for number in 1..=7u32 {
			run_to_block(number.into());
			let trades = vec![record(number.into())];
			let h = header(number, parent, &trades);
			assert_ok!(anchor(&h, trades));
			parent = h.hash();
		}
		let recent: Vec<u32> = (0..=7).filter(|n| Anchors::<Test>::contains_key(ONE, n)).collect();
		assert_eq!(recent, vec![4, 5, 6, 7]);
		assert!(
			matches!(Registry::anchor_location(ONE, 5), Some(AnchorLocation::Recent(a)) if a.anchored_in == 5)
		);
		// Block 3 is in epoch 1 (blocks 3..=5), anchored in parent blocks 3 to 5.
		assert_eq!(
			Registry::anchor_location(ONE, 3),
			Some(AnchorLocation::InParentBlocks { from: 3, to: 5 })
		);
		// Epoch 0 (blocks 0 to 2) is no longer indexed; block 8 is not anchored yet.
		assert_eq!(Registry::anchor_location(ONE, 1), None);
		assert_eq!(Registry::anchor_location(ONE, 8), None);
		assert_eq!(Registry::anchor_location(TWO, 1), None);
	});
}

#[test]
fn an_anchor_holding_the_billers_own_vote_makes_it_live() {
	use frame_support::traits::Get;
	build_and_execute(|| {
		// Sub-chain 1's biller is Alice (its genesis committee); the parent learns whose each
		// key is when it follows an elected set.
		let last = anchor_chain(1);
		let elected = ["//Alice", "//Bob", "//Charlie", "//Dave"];
		elect_voters(1, &elected);
		let two = with_set_change(header(2, last.hash(), &[]), &elected);
		assert_ok!(anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)));
		assert!(BillerVotes::<Test>::get(ONE).is_none(), "set 0's keys are no one's known");

		// Three of four finalize without Alice: she is not live.
		let three = header(3, two.hash(), &[]);
		let without = ["//Bob", "//Charlie", "//Dave"];
		assert_ok!(anchor_segment(&[(three.clone(), vec![])], justification(&three, 1, &without)));
		assert!(BillerVotes::<Test>::get(ONE).is_none());
		AuthoritiesStale::<Test>::kill();

		// With her vote she is, from this block; the set may change.
		let four = header(4, three.hash(), &[]);
		assert_ok!(anchor_segment(&[(four.clone(), vec![])], justification(&four, 1, &ABC)));
		let now = System::block_number();
		assert_eq!(
			BillerVotes::<Test>::get(ONE),
			Some((acc(sp_keyring::Sr25519Keyring::Alice), now))
		);
		System::assert_has_event(
			Event::<Test>::BillerLive {
				subchain: ONE,
				biller: acc(sp_keyring::Sr25519Keyring::Alice),
			}
			.into(),
		);
		assert!(AuthoritiesStale::<Test>::get());
		assert!(Registry::is_live_biller(ONE, &acc(sp_keyring::Sr25519Keyring::Alice), now));
		assert!(
			!Registry::is_live_biller(ONE, &acc(sp_keyring::Sr25519Keyring::Bob), now),
			"only the biller"
		);

		// A later vote of a live biller extends its liveness without a new event.
		AuthoritiesStale::<Test>::kill();
		run_to_block(now + 5);
		let events = System::events().len();
		let five = header(5, four.hash(), &[]);
		assert_ok!(anchor_segment(&[(five.clone(), vec![])], justification(&five, 1, &ABC)));
		assert_eq!(
			BillerVotes::<Test>::get(ONE),
			Some((acc(sp_keyring::Sr25519Keyring::Alice), now + 5))
		);
		assert!(!AuthoritiesStale::<Test>::get());
		assert!(System::events()[events..].iter().all(|record| !matches!(
			record.event,
			RuntimeEvent::Registry(Event::BillerLive { .. })
		)));
		let liveness: u64 = <Test as Config>::BillerLiveness::get();
		assert!(Registry::is_live_biller(
			ONE,
			&acc(sp_keyring::Sr25519Keyring::Alice),
			now + 5 + liveness - 1
		));
		assert!(!Registry::is_live_biller(
			ONE,
			&acc(sp_keyring::Sr25519Keyring::Alice),
			now + 5 + liveness
		));
	});
}

/// `header` with a GRANDPA digest item that forces voters `seeds`, `delay` blocks after it,
/// taking block `median` as finalized.
fn with_forced(mut header: Header, seeds: &[&str], delay: u32, median: u32) -> Header {
	header.digest_mut().push(dbm_primitives::finality::forced_change_item(
		voter_list(seeds),
		delay,
		median,
	));
	header
}

/// Blocks `from..=to` on `parent`, block `n` built by `make(n, parent hash, trades)`.
fn chain_of(
	from: u32,
	to: u32,
	mut parent: H256,
	make: impl Fn(u32, H256, &[TradeRecordOf<Test>]) -> Header,
) -> Vec<(Header, Vec<TradeRecordOf<Test>>)> {
	(from..=to)
		.map(|number| {
			let trades = vec![record(number.into())];
			let h = make(number, parent, &trades);
			parent = h.hash();
			(h, trades)
		})
		.collect()
}

/// Sub-chain 1 anchored to block 2, where its four genesis voters handed over to the same
/// four keys as an elected committee (so the parent knows whose they are): set 1 from
/// block 3. Returns block 2.
fn four_known_voters() -> Header {
	let last = anchor_chain(1);
	elect_voters(1, &VOTER_SEEDS);
	let two = with_set_change(header(2, last.hash(), &[]), &VOTER_SEEDS);
	assert_ok!(anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)));
	assert_eq!(VoterAccounts::<Test>::get(ONE).len(), 4);
	two
}

fn accounts_of(seeds: &[&str]) -> Vec<dbm_primitives::AccountId> {
	seeds.iter().map(|seed| seed_account(seed)).collect()
}

#[test]
fn a_forced_change_to_the_live_voters_is_followed_on_their_justification() {
	build_and_execute(|| {
		let two = four_known_voters();
		let ab = ["//Alice", "//Bob"];
		// Charlie and Dave died: finality stalled after block 2; block 4 carries a committee's
		// enactment nobody finalized (the nodes drop it), block 5 forces Alice and Bob, in
		// force from block 7.
		let segment = chain_of(3, 8, two.hash(), |n, parent, trades| match n {
			4 => with_set_change(header(n, parent, trades), &["//Eve"]),
			5 => with_forced(header(n, parent, trades), &ab, 2, 2),
			_ => header(n, parent, trades),
		});
		let upto = |n: usize| segment[..n - 2].to_vec();
		let last = |n: u32| segment[n as usize - 3].0.clone();
		// Before the new set is in force: nothing.
		assert_noop!(
			anchor_segment(&upto(6), justification(&last(6), 2, &ab)),
			Error::<Test>::ForcedChangeNotEnacted
		);
		// A voter left out, or the new voters' votes in the old set: not the new set's.
		assert_noop!(
			anchor_segment(&upto(7), justification(&last(7), 2, &ABC)),
			Error::<Test>::UnknownVoter
		);
		assert_noop!(
			anchor_segment(&upto(7), justification(&last(7), 1, &ab)),
			Error::<Test>::BadVote
		);
		assert_noop!(
			anchor_segment(&upto(7), justification(&last(7), 2, &ab[..1])),
			Error::<Test>::NotEnoughVotes
		);
		// Alice and Bob in set 2: followed, with whose keys they are and who was left out.
		assert_ok!(anchor_segment(&upto(7), justification(&last(7), 2, &ab)));
		System::assert_has_event(
			Event::<Test>::VoterSetForced {
				subchain: ONE,
				set_id: 2,
				signal: 5,
				median: 2,
				voters: 2,
				sidelined: 2,
			}
			.into(),
		);
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.from, voters.voters.to_vec()), (2, 8, voter_list(&ab)));
		assert_eq!(VoterAccounts::<Test>::get(ONE).to_vec(), accounts_of(&ab));
		let left: Vec<_> = Sidelined::<Test>::get(ONE).into_iter().collect();
		let cd = ["//Charlie", "//Dave"];
		let expected: Vec<_> = voter_list(&cd)
			.into_iter()
			.zip(accounts_of(&cd))
			.map(|((key, weight), who)| (key, weight, Some(who)))
			.collect();
		assert_eq!(left, expected);
		assert_eq!(LastAnchor::<Test>::get(ONE).map(|a| a.number), Some(7));

		// Charlie comes back: set 2 appends him, the only set besides an election's it may
		// hand over to.
		let eight = segment[5].clone();
		let back = |seeds: &[&str]| with_set_change(eight.0.clone(), seeds);
		for refused in [
			&["//Alice", "//Bob", "//Eve"][..],
			&["//Charlie", "//Alice", "//Bob"],
			&["//Alice", "//Bob", "//Charlie", "//Charlie"],
			&["//Bob", "//Charlie"],
		] {
			let h = back(refused);
			let error = if refused.len() == 4 {
				Error::<Test>::InvalidVoterSet
			} else {
				Error::<Test>::UnelectedVoterSet
			};
			assert_noop!(
				anchor_segment(&[(h.clone(), eight.1.clone())], justification(&h, 2, &ab)),
				error
			);
		}
		let abc = back(&ABC);
		assert_ok!(anchor_segment(&[(abc.clone(), eight.1.clone())], justification(&abc, 2, &ab)));
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.from, voters.voters.to_vec()), (3, 9, voter_list(&ABC)));
		assert_eq!(VoterAccounts::<Test>::get(ONE).to_vec(), accounts_of(&ABC));
		assert_eq!(Sidelined::<Test>::get(ONE).to_vec(), expected[1..].to_vec());

		// An elected committee's set ends the sidelining.
		elect_voters(2, &["//Eve", "//Ferdie"]);
		let nine = with_set_change(header(9, abc.hash(), &[]), &["//Eve", "//Ferdie"]);
		assert_ok!(anchor_segment(&[(nine.clone(), vec![])], justification(&nine, 3, &ABC)));
		assert!(Sidelined::<Test>::get(ONE).is_empty());
		assert_eq!(VoterAccounts::<Test>::get(ONE).to_vec(), accounts_of(&["//Eve", "//Ferdie"]));
	});
}

#[test]
fn voters_taken_out_of_the_set_in_force_are_followed_without_an_election() {
	build_and_execute(|| {
		let two = four_known_voters();
		let acd = ["//Alice", "//Charlie", "//Dave"];
		let three = |seeds: &[&str]| with_set_change(header(3, two.hash(), &[]), seeds);
		// Not the set in force without some of its voters: another order, a key it does not
		// hold, another weight, all of it.
		let mut heavier = header(3, two.hash(), &[]);
		let mut weighted = voter_list(&acd);
		weighted[1].1 = 2;
		heavier.digest_mut().push(dbm_primitives::finality::scheduled_change_item(weighted, 0));
		for refused in [
			three(&["//Charlie", "//Alice", "//Dave"]),
			three(&["//Alice", "//Charlie", "//Eve"]),
			heavier,
		] {
			assert_noop!(
				anchor_segment(&[(refused.clone(), vec![])], justification(&refused, 1, &ABC)),
				Error::<Test>::UnelectedVoterSet
			);
		}
		let all = three(&VOTER_SEEDS);
		assert_noop!(
			anchor_segment(&[(all.clone(), vec![])], justification(&all, 1, &ABC)),
			Error::<Test>::UnelectedVoterSet
		);
		// Bob taken out, by the votes of the set in force (his own among them).
		let without_bob = three(&acd);
		assert_ok!(anchor_segment(
			&[(without_bob.clone(), vec![])],
			justification(&without_bob, 1, &ABC)
		));
		System::assert_has_event(
			Event::<Test>::VoterTakenOut {
				subchain: ONE,
				set_id: 2,
				voter: voter_list(&["//Bob"])[0].0.clone(),
				account: Some(seed_account("//Bob")),
			}
			.into(),
		);
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.from, voters.voters.to_vec()), (2, 4, voter_list(&acd)));
		assert_eq!(VoterAccounts::<Test>::get(ONE).to_vec(), accounts_of(&acd));
		// Bob's votes count no more: the three others must all sign.
		let four = header(4, without_bob.hash(), &[]);
		assert_noop!(
			anchor_segment(&[(four.clone(), vec![])], justification(&four, 2, &ABC)),
			Error::<Test>::UnknownVoter
		);
		assert_noop!(
			anchor_segment(&[(four.clone(), vec![])], justification(&four, 2, &acd[..2])),
			Error::<Test>::NotEnoughVotes
		);
		assert_ok!(anchor_segment(&[(four.clone(), vec![])], justification(&four, 2, &acd)));
		// Two at once is not what the sub-chain does: one a change, down to one voter.
		let both = with_set_change(header(5, four.hash(), &[]), &["//Dave"]);
		assert_noop!(
			anchor_segment(&[(both.clone(), vec![])], justification(&both, 2, &acd)),
			Error::<Test>::UnelectedVoterSet
		);
		let five = with_set_change(header(5, four.hash(), &[]), &["//Alice", "//Dave"]);
		assert_ok!(anchor_segment(&[(five.clone(), vec![])], justification(&five, 2, &acd)));
		let six = with_set_change(header(6, five.hash(), &[]), &["//Dave"]);
		let ad = ["//Alice", "//Dave"];
		assert_ok!(anchor_segment(&[(six.clone(), vec![])], justification(&six, 3, &ad)));
		assert_eq!(VoterAccounts::<Test>::get(ONE).to_vec(), accounts_of(&["//Dave"]));
		let mut seven = header(7, six.hash(), &[]);
		seven.digest_mut().push(dbm_primitives::finality::scheduled_change_item(vec![], 0));
		assert_noop!(
			anchor_segment(&[(seven.clone(), vec![])], justification(&seven, 4, &["//Dave"])),
			Error::<Test>::InvalidVoterSet
		);
	});
}

#[test]
fn forced_changes_the_parent_cannot_follow_are_refused() {
	build_and_execute(|| {
		let two = four_known_voters();
		let forcing = |seeds: &'static [&'static str], median: u32| {
			chain_of(3, 7, two.hash(), move |n, parent, trades| match n {
				4 => with_set_change(header(n, parent, trades), &["//Eve"]),
				5 => with_forced(header(n, parent, trades), seeds, 2, median),
				_ => header(n, parent, trades),
			})
		};
		let end =
			|segment: &[(Header, Vec<TradeRecordOf<Test>>)]| segment.last().unwrap().0.clone();
		for (seeds, median, error) in [
			// One of four: its votes may all be the faulty voter's.
			(&["//Alice"][..], 2, Error::<Test>::ForcedSetTooWeak),
			// Keys of another set, or the whole set.
			(&["//Alice", "//Eve"], 2, Error::<Test>::ForcedSetNotPartOfTheSet),
			(&VOTER_SEEDS, 2, Error::<Test>::ForcedSetNotPartOfTheSet),
			// The enactment at block 4 is at or below the median: the old set finalized it,
			// so the new set's id is not the next one; it must be anchored first.
			(&["//Alice", "//Bob"], 4, Error::<Test>::SetChangeNotLast),
		] {
			let segment = forcing(seeds, median);
			let h = end(&segment);
			assert_noop!(
				anchor_segment(&segment, justification(&h, 2, &seeds[..seeds.len().min(2)])),
				error
			);
		}
		// Two forced changes in one segment: the second set's votes need not hold an honest
		// voter of the first.
		let twice = chain_of(3, 9, two.hash(), |n, parent, trades| match n {
			4 => with_forced(header(n, parent, trades), &VOTER_SEEDS[..3], 2, 2),
			7 => with_forced(header(n, parent, trades), &VOTER_SEEDS[..2], 2, 6),
			_ => header(n, parent, trades),
		});
		let h = end(&twice);
		assert_noop!(
			anchor_segment(&twice, justification(&h, 3, &VOTER_SEEDS[..2])),
			Error::<Test>::TwoForcedChanges
		);
	});
}
