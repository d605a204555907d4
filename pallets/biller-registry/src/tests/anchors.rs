//! Anchored headers: hash, continuity, trade roots, replays, forks, the window and the proofs.

use crate::{mock::*, *};
use codec::Encode;
use frame_support::dispatch::DispatchResult;
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::Ferdie;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	DispatchError,
};

fn anchor(header: &dbm_primitives::Header, trades: Vec<TradeRecordOf<Test>>) -> DispatchResult {
	Registry::anchor(RuntimeOrigin::signed(acc(Ferdie)), ONE, header.encode(), trades)
}

#[test]
fn a_header_with_its_trade_batch_is_anchored() {
	build_and_execute(|| {
		let trades = vec![record(1), record(2), record(3)];
		let h = header(1, GENESIS, &trades);
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
fn three_headers_anchor_in_order_and_an_empty_batch_is_fine() {
	build_and_execute(|| {
		let last = anchor_chain(1, GENESIS, 3);
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
		let first = anchor_chain(1, GENESIS, 1);
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
fn the_first_anchor_follows_the_registered_genesis() {
	build_and_execute(|| {
		let trades = vec![record(1)];
		assert_noop!(
			anchor(&header(1, H256::repeat_byte(7), &trades), trades.clone()),
			Error::<Test>::ParentMismatch
		);
		assert_noop!(anchor(&header(2, GENESIS, &trades), trades), Error::<Test>::Gap);
	});
}

#[test]
fn a_gap_is_refused() {
	build_and_execute(|| {
		let last = anchor_chain(1, GENESIS, 2);
		let trades = vec![record(4)];
		assert_noop!(anchor(&header(4, last.hash(), &trades), trades), Error::<Test>::Gap);
	});
}

#[test]
fn a_replay_is_refused() {
	build_and_execute(|| {
		let trades = vec![record(1)];
		let h = header(1, GENESIS, &trades);
		assert_ok!(anchor(&h, trades.clone()));
		assert_noop!(anchor(&h, trades), Error::<Test>::AlreadyAnchored);
	});
}

#[test]
fn a_fork_is_refused() {
	build_and_execute(|| {
		anchor_chain(1, GENESIS, 2);
		// Another block 2 on the same parent.
		let parent = Anchors::<Test>::get(ONE, 1).unwrap().hash;
		let trades = vec![record(22)];
		assert_noop!(anchor(&header(2, parent, &trades), trades), Error::<Test>::ConflictingHeader);
	});
}

#[test]
fn a_batch_that_does_not_match_the_header_root_is_refused() {
	build_and_execute(|| {
		let trades = vec![record(1), record(2)];
		let h = header(1, GENESIS, &trades);
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
		let mut digest = Digest::default();
		digest.push(DigestItem::Other(vec![1]));
		let h = dbm_primitives::Header::new(1, H256::zero(), H256::zero(), GENESIS, digest);
		assert_noop!(anchor(&h, vec![]), Error::<Test>::NoTradeRoot);
	});
}

#[test]
fn malformed_or_oversized_anchors_are_refused() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed(acc(Ferdie));
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, vec![1, 2, 3], vec![]),
			Error::<Test>::BadHeader
		);
		// Trailing bytes after a header are not a header either.
		let mut trailing = header(1, GENESIS, &[]).encode();
		trailing.push(0);
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, trailing, vec![]),
			Error::<Test>::BadHeader
		);
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, vec![0; 513], vec![]),
			Error::<Test>::HeaderTooLong
		);
		let nine: Vec<_> = (0..9).map(record).collect();
		assert_noop!(
			Registry::anchor(signed.clone(), ONE, header(1, GENESIS, &nine).encode(), nine),
			Error::<Test>::TooManyTrades
		);
		assert_noop!(
			Registry::anchor(signed, SubchainId(9), header(1, GENESIS, &[]).encode(), vec![]),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(
			Registry::anchor(RuntimeOrigin::none(), ONE, header(1, GENESIS, &[]).encode(), vec![]),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_paused_sub_chain_takes_no_anchors() {
	build_and_execute(|| {
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Paused));
		assert_noop!(anchor(&header(1, GENESIS, &[]), vec![]), Error::<Test>::SubchainNotActive);
	});
}

#[test]
fn old_anchors_leave_the_window_and_are_found_by_epoch() {
	build_and_execute(|| {
		// Window 4, epochs of 3 blocks, 2 epochs kept. Anchor blocks 1..=7 at parent blocks 1..=7.
		let mut parent = GENESIS;
		for number in 1..=7u32 {
			run_to_block(number.into());
			let trades = vec![record(number.into())];
			let h = header(number, parent, &trades);
			assert_ok!(anchor(&h, trades));
			parent = h.hash();
		}
		let recent: Vec<u32> = (1..=7).filter(|n| Anchors::<Test>::contains_key(ONE, n)).collect();
		assert_eq!(recent, vec![4, 5, 6, 7]);
		assert!(
			matches!(Registry::anchor_location(ONE, 5), Some(AnchorLocation::Recent(a)) if a.anchored_in == 5)
		);
		// Block 3 is in epoch 1 (blocks 3..=5), anchored in parent blocks 3 to 5.
		assert_eq!(
			Registry::anchor_location(ONE, 3),
			Some(AnchorLocation::InParentBlocks { from: 3, to: 5 })
		);
		// Epoch 0 (blocks 1, 2) is no longer indexed; block 8 is not anchored yet.
		assert_eq!(Registry::anchor_location(ONE, 1), None);
		assert_eq!(Registry::anchor_location(ONE, 8), None);
		assert_eq!(Registry::anchor_location(TWO, 1), None);
	});
}
