//! Anchored headers: the genesis first, then sealed headers whose authors are proven against
//! the parent block's anchored state; continuity, trade roots, replays, forks, the window and
//! the proofs.

use crate::{mock::*, *};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, dispatch::DispatchResult};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Ferdie};
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	DispatchError,
};

fn anchor_with(header: &dbm_primitives::Header, proof: Vec<Vec<u8>>) -> DispatchResult {
	Registry::anchor(RuntimeOrigin::signed(acc(Ferdie)), ONE, header.encode(), proof, vec![])
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
fn the_first_anchor_is_the_registered_genesis() {
	build_and_execute(|| {
		// Not block 1, not another genesis.
		assert_noop!(anchor(&header(1, genesis_hash(), &[]), vec![]), Error::<Test>::Gap);
		let mut other = genesis_header();
		other.set_state_root(H256::repeat_byte(7));
		assert_noop!(anchor(&other, vec![]), Error::<Test>::NotGenesis);
		// The genesis has no parent block to prove authors in, and holds no trades.
		assert_noop!(
			Registry::anchor(
				RuntimeOrigin::signed(acc(Ferdie)),
				ONE,
				genesis_header().encode(),
				subchain_state().1,
				vec![]
			),
			Error::<Test>::NoProofForGenesis
		);
		assert_noop!(anchor(&genesis_header(), vec![record(1)]), Error::<Test>::TradeRootMismatch);
		assert_ok!(anchor(&genesis_header(), vec![]));
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
		assert_noop!(anchor(&genesis_header(), vec![]), Error::<Test>::AlreadyAnchored);
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
fn only_the_slot_author_seals_an_anchored_header() {
	build_and_execute(|| {
		let parent = anchor_chain(1).hash();
		// Block 2 is at slot 2: Alice's (authorities [Alice, Bob]).
		let block = unsealed(2, parent, &[]);
		for wrong in [Bob, Charlie] {
			assert_noop!(
				anchor_with(&sealed_by(block.clone(), wrong), subchain_state().1),
				Error::<Test>::BadSeal
			);
		}
		// Unsealed, or changed after sealing.
		assert_noop!(anchor_with(&block, subchain_state().1), Error::<Test>::NoSeal);
		let mut changed = sealed_by(block.clone(), Alice);
		changed.set_extrinsics_root(H256::repeat_byte(9));
		assert_noop!(anchor_with(&changed, subchain_state().1), Error::<Test>::BadSeal);
		// Without a slot.
		let mut digest = Digest::default();
		digest.push(TradeRoot::of::<TradeRecordOf<Test>>(&[]).to_digest_item());
		let slotless = sealed_by(
			dbm_primitives::Header::new(2, H256::zero(), H256::zero(), parent, digest),
			Alice,
		);
		assert_noop!(anchor_with(&slotless, subchain_state().1), Error::<Test>::NoSlot);
		assert_ok!(anchor_with(&sealed_by(block, Alice), subchain_state().1));
	});
}

#[test]
fn the_authors_are_proven_against_the_parent_blocks_anchored_state() {
	build_and_execute(|| {
		let parent = anchor_chain(1).hash();
		let h = header(2, parent, &[]);
		// No proof, a node missing, a proof of another state.
		assert_noop!(anchor_with(&h, vec![]), Error::<Test>::InvalidProof);
		let (_, mut proof) = subchain_state();
		proof.sort_by_key(|node| node.len());
		proof.pop();
		assert_noop!(anchor_with(&h, proof), Error::<Test>::InvalidProof);
		let (_, other) = dbm_primitives::proof::trie(&[(b"other".to_vec(), vec![1u8; 40])]);
		assert_noop!(anchor_with(&h, other), Error::<Test>::InvalidProof);
		// Too large: more nodes or bytes than the registry takes.
		let mut many = subchain_state().1;
		many.extend((0..8u8).map(|i| vec![i]));
		assert_noop!(anchor_with(&h, many), Error::<Test>::ProofTooLarge);
		let mut big = subchain_state().1;
		big.push(vec![0; 4_096]);
		assert_noop!(anchor_with(&h, big), Error::<Test>::ProofTooLarge);
		assert_ok!(anchor_with(&h, subchain_state().1));
	});
}

#[test]
fn the_authors_come_from_the_parent_blocks_state_not_the_headers_own() {
	build_and_execute(|| {
		let genesis = anchor_chain(0).hash();
		// Block 1 (Bob's slot under the genesis authorities) leads to a state whose only
		// authority is Charlie.
		let charlie_state = dbm_primitives::proof::trie(&[(
			dbm_primitives::seal::aura_authorities_key(),
			vec![Charlie.public()].encode(),
		)]);
		let mut one = unsealed(1, genesis, &[]);
		one.set_state_root(charlie_state.0);
		let one = sealed_by(one, Bob);
		assert_ok!(anchor_with(&one, subchain_state().1));
		// Block 2 is Charlie's: Alice, its author under the genesis authorities, is refused.
		let two = unsealed(2, one.hash(), &[]);
		assert_noop!(
			anchor_with(&sealed_by(two.clone(), Alice), charlie_state.1.clone()),
			Error::<Test>::BadSeal
		);
		// A proof of another state (here the genesis', naming Alice) does not count.
		assert_noop!(
			anchor_with(&sealed_by(two.clone(), Alice), subchain_state().1),
			Error::<Test>::InvalidProof
		);
		assert_ok!(anchor_with(&sealed_by(two, Charlie), charlie_state.1));
	});
}

#[test]
fn a_state_without_authorities_proves_no_author() {
	build_and_execute(|| {
		// A sub-chain whose parent block's state has no Aura authorities, or undecodable ones.
		for value in [None, Some(vec![1u8, 2, 3])] {
			let entries: Vec<(Vec<u8>, Vec<u8>)> = match value.clone() {
				None => vec![(b"other".to_vec(), vec![1])],
				Some(bytes) => vec![(dbm_primitives::seal::aura_authorities_key(), bytes)],
			};
			let (root, proof) = dbm_primitives::proof::trie(&entries);
			Anchors::<Test>::insert(
				TWO,
				5,
				Anchor {
					hash: H256::repeat_byte(5),
					state_root: root,
					trade_root: H256::zero(),
					trade_count: 0,
					anchored_in: 1,
				},
			);
			LastAnchor::<Test>::insert(
				TWO,
				AnchorHead { number: 5, hash: H256::repeat_byte(5), anchored_in: 1 },
			);
			let h = header(6, H256::repeat_byte(5), &[]);
			assert_noop!(
				Registry::anchor(
					RuntimeOrigin::signed(acc(Ferdie)),
					TWO,
					h.encode(),
					proof,
					vec![]
				),
				Error::<Test>::NoAuthorities
			);
		}
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
		// Another block 2 on the same parent, sealed by its author.
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
		let h = sealed_by(
			dbm_primitives::Header::new(1, H256::zero(), H256::zero(), genesis_hash(), digest),
			Bob,
		);
		assert_noop!(anchor(&h, vec![]), Error::<Test>::NoTradeRoot);
	});
}

#[test]
fn malformed_or_oversized_anchors_are_refused() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed(acc(Ferdie));
		let genesis = genesis_header();
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, vec![1, 2, 3], vec![], vec![]),
			Error::<Test>::BadHeader
		);
		// Trailing bytes after a header are not a header either.
		let mut trailing = genesis.encode();
		trailing.push(0);
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, trailing, vec![], vec![]),
			Error::<Test>::BadHeader
		);
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, vec![0; 513], vec![], vec![]),
			Error::<Test>::HeaderTooLong
		);
		let nine: Vec<_> = (0..9).map(record).collect();
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, genesis.encode(), vec![], nine),
			Error::<Test>::TooManyTrades
		);
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, genesis.encode(), vec![vec![0; 4_097]], vec![]),
			Error::<Test>::ProofTooLarge
		);
		assert_noop!(
			Registry::anchor(signed, SubchainId(9), genesis.encode(), vec![], vec![]),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(
			Registry::anchor(RuntimeOrigin::none(), ONE, genesis.encode(), vec![], vec![]),
			DispatchError::BadOrigin
		);
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
