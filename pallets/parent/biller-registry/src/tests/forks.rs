//! Safety failures: evidence of two finalized blocks at one height pauses a sub-chain until
//! governance resolves it; what a minority of the voters cannot report.

use crate::{mock::*, *};
use codec::Encode;
use dbm_primitives::Header;
use frame_support::{assert_noop, assert_ok};
use sp_keyring::Sr25519Keyring::{Eve, Ferdie};
use sp_runtime::{traits::Header as _, DispatchError};

const ABC: [&str; 3] = ["//Alice", "//Bob", "//Charlie"];

fn report(header: &Header, justification: Vec<u8>) -> sp_runtime::DispatchResult {
	Registry::report_fork(RuntimeOrigin::signed(acc(Eve)), ONE, header.encode(), justification)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// Another block 2 than the anchored one, on the same parent.
fn other_two() -> Header {
	let parent = Anchors::<Test>::get(ONE, 1).expect("block 1 is anchored").hash;
	header(2, parent, &[record(22)])
}

fn keys(seeds: &[&str]) -> Vec<dbm_primitives::finality::AuthorityId> {
	let mut keys: Vec<_> = voter_list(seeds).into_iter().map(|(id, _)| id).collect();
	keys.sort();
	keys
}

#[test]
fn a_second_finalized_block_at_an_anchored_height_pauses_the_subchain() {
	build_and_execute(|| {
		let three = anchor_chain(3);
		let fork = other_two();
		assert_ok!(report(&fork, justification(&fork, 0, &ABC)));
		let anchored = Anchors::<Test>::get(ONE, 2).unwrap().hash;
		let evidence = Forks::<Test>::get(ONE).expect("the evidence is kept");
		assert_eq!(
			(evidence.number, evidence.anchored, evidence.conflicting, evidence.set_id),
			(2, anchored, fork.hash(), 0)
		);
		assert_eq!(evidence.signers.to_vec(), keys(&ABC));
		assert_eq!((evidence.reporter, evidence.reported_at), (acc(Eve), 1));
		assert_eq!(Subchains::<Test>::get(ONE).unwrap().status, SubchainStatus::Paused);
		System::assert_has_event(
			Event::<Test>::StatusChanged { subchain: ONE, status: SubchainStatus::Paused }.into(),
		);
		System::assert_last_event(
			Event::<Test>::ForkReported {
				subchain: ONE,
				number: 2,
				anchored,
				conflicting: fork.hash(),
				signers: keys(&ABC),
			}
			.into(),
		);
		// Nothing more is taken from it, and only `resolve_fork` makes it active again.
		let four = header(4, three.hash(), &[record(4)]);
		assert_noop!(anchor(&four, vec![record(4)]), Error::<Test>::SubchainNotActive);
		assert_eq!(Registry::anchored_state_root(ONE, 3), None, "no message is proven");
		assert_noop!(
			Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Active),
			Error::<Test>::UnresolvedFork
		);
		assert_noop!(
			report(&fork, justification(&fork, 0, &ABC)),
			Error::<Test>::ForkAlreadyReported
		);
	});
}

#[test]
fn evidence_that_proves_no_fork_is_refused() {
	build_and_execute(|| {
		let three = anchor_chain(3);
		let fork = other_two();
		// One voter, or two of four: a third or less cannot pause a sub-chain.
		for seeds in [&ABC[..1], &ABC[..2]] {
			assert_noop!(
				report(&fork, justification(&fork, 0, seeds)),
				Error::<Test>::NotEnoughVotes
			);
		}
		assert_noop!(
			report(&fork, justification(&fork, 0, &["//Alice", "//Bob", "//Eve"])),
			Error::<Test>::UnknownVoter
		);
		// Signed for another set, or for another block.
		assert_noop!(report(&fork, justification(&fork, 1, &ABC)), Error::<Test>::BadVote);
		assert_noop!(
			report(&fork, justification(&three, 0, &ABC)),
			Error::<Test>::WrongJustificationTarget
		);
		assert_noop!(report(&fork, vec![1, 2, 3]), Error::<Test>::BadJustification);
		assert_noop!(report(&fork, vec![0; 64 * 1024 + 1]), Error::<Test>::JustificationTooLong);
		// The anchored block itself, and heights the parent holds no anchor of.
		assert_noop!(report(&three, justification(&three, 0, &ABC)), Error::<Test>::NoConflict);
		let above = header(4, three.hash(), &[]);
		assert_noop!(
			report(&above, justification(&above, 0, &ABC)),
			Error::<Test>::NotAnchoredHeight
		);
		let raw = |bytes: Vec<u8>| {
			Registry::report_fork(RuntimeOrigin::signed(acc(Eve)), ONE, bytes, vec![])
				.map_err(|e| e.error)
		};
		assert_noop!(raw(vec![1, 2, 3]), Error::<Test>::BadHeader);
		assert_noop!(raw(vec![0; 513]), Error::<Test>::HeaderTooLong);
		assert_noop!(
			Registry::report_fork(RuntimeOrigin::signed(acc(Eve)), SubchainId(9), vec![], vec![])
				.map_err(|e| e.error),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(
			Registry::report_fork(RuntimeOrigin::none(), ONE, fork.encode(), vec![])
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Retired));
		assert_noop!(report(&fork, justification(&fork, 0, &ABC)), Error::<Test>::SubchainRetired);
		assert!(!Forks::<Test>::contains_key(ONE));
	});
}

#[test]
fn governance_keeps_the_record_and_resumes() {
	build_and_execute(|| {
		let three = anchor_chain(3);
		let fork = other_two();
		assert_ok!(report(&fork, justification(&fork, 0, &ABC)));
		assert_ok!(Registry::resolve_fork(RuntimeOrigin::root(), ONE, None, None));
		assert!(!Forks::<Test>::contains_key(ONE));
		assert_eq!(Subchains::<Test>::get(ONE).unwrap().status, SubchainStatus::Active);
		assert_eq!(LastAnchor::<Test>::get(ONE).map(|a| a.hash), Some(three.hash()));
		assert_eq!(Registry::anchored_state_root(ONE, 3), Some(*three.state_root()));
		System::assert_last_event(
			Event::<Test>::ForkResolved { subchain: ONE, head: 3, hash: three.hash() }.into(),
		);
		let four = header(4, three.hash(), &[record(4)]);
		assert_ok!(anchor(&four, vec![record(4)]));
	});
}

#[test]
fn governance_rewinds_the_record_to_the_canonical_head() {
	build_and_execute(|| {
		anchor_chain(3);
		let fork = other_two();
		assert_ok!(report(&fork, justification(&fork, 0, &ABC)));
		let one = Anchors::<Test>::get(ONE, 1).unwrap();
		assert_ok!(Registry::resolve_fork(RuntimeOrigin::root(), ONE, Some(1), None));
		assert_eq!(
			LastAnchor::<Test>::get(ONE),
			Some(AnchorHead { number: 1, hash: one.hash, anchored_in: one.anchored_in })
		);
		// The anchors above the head no longer count: nothing is proven against them.
		assert_eq!(Registry::recorded(ONE, 2), None);
		assert_eq!(Registry::anchored_state_root(ONE, 3), None);
		assert_eq!(Registry::anchor_location(ONE, 3), None);
		let proof = TradeProof::build(&[record(2)], 0).unwrap();
		assert!(!Registry::verify_trade(ONE, 2, &proof));
		// The side governance chose anchors from there, replacing them.
		assert_ok!(anchor(&fork, vec![record(22)]));
		assert_eq!(Registry::recorded(ONE, 2).map(|a| a.hash), Some(fork.hash()));
		assert_eq!(Registry::recorded(ONE, 3), None);
		let three = header(3, fork.hash(), &[record(3)]);
		assert_ok!(anchor(&three, vec![record(3)]));
		assert_eq!(Registry::recorded(ONE, 3).map(|a| a.hash), Some(three.hash()));
	});
}

#[test]
fn a_rewind_below_a_voter_set_change_needs_a_new_set() {
	build_and_execute(|| {
		let one = anchor_chain(1);
		// Block 2 hands over to Eve, Ferdie, Alice and Bob (set 1).
		let next = ["//Eve", "//Ferdie", "//Alice", "//Bob"];
		elect_voters(1, &next);
		let two = with_set_change(header(2, one.hash(), &[]), &next);
		assert_ok!(anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)));
		let three = header(3, two.hash(), &[]);
		assert_ok!(anchor_segment(
			&[(three.clone(), vec![])],
			justification(&three, 1, &next[..3])
		));
		// Set 1 finalizes another block 3.
		let fork = header(3, two.hash(), &[record(33)]);
		assert_ok!(report(&fork, justification(&fork, 1, &next[..3])));
		assert_eq!(Forks::<Test>::get(ONE).map(|f| f.set_id), Some(1));
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::root(), ONE, Some(1), None),
			Error::<Test>::VoterSetNeeded
		);
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::root(), ONE, Some(1), Some((2, vec![]))),
			Error::<Test>::InvalidVoterSet
		);
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::root(), ONE, Some(4), None),
			Error::<Test>::NotAnchoredHeight
		);
		let reset = voter_list(&VOTER_SEEDS);
		assert_ok!(Registry::resolve_fork(
			RuntimeOrigin::root(),
			ONE,
			Some(1),
			Some((2, reset.clone()))
		));
		let voters = Voters::<Test>::get(ONE).unwrap();
		assert_eq!((voters.set_id, voters.from, voters.voters.to_vec()), (2, 2, reset));
		System::assert_has_event(
			Event::<Test>::VoterSetChanged { subchain: ONE, set_id: 2, from: 2, voters: 4 }.into(),
		);
		// The reset set, in its new set id, carries the record on.
		let other = header(2, one.hash(), &[record(2)]);
		assert_ok!(anchor_segment(
			&[(other.clone(), vec![record(2)])],
			justification(&other, 2, &ABC)
		));
	});
}

#[test]
fn only_governance_resolves_a_reported_fork() {
	build_and_execute(|| {
		anchor_chain(3);
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::root(), ONE, None, None),
			Error::<Test>::NoForkReported
		);
		let fork = other_two();
		assert_ok!(report(&fork, justification(&fork, 0, &ABC)));
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::signed(acc(Ferdie)), ONE, None, None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::root(), SubchainId(9), None, None),
			Error::<Test>::UnknownSubchain
		);
		// A sub-chain that cannot be saved is retired; the evidence stays on record.
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Retired));
		assert_noop!(
			Registry::resolve_fork(RuntimeOrigin::root(), ONE, None, None),
			Error::<Test>::SubchainRetired
		);
		assert!(Forks::<Test>::contains_key(ONE));
	});
}

#[test]
fn evidence_kept_before_rounds_were_is_migrated_with_an_unknown_round() {
	use crate::migrations::v1::{MigrateV0ToV1, UNKNOWN_ROUND};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		let three = anchor_chain(3);
		let fork = other_two();
		assert_ok!(report(&fork, justification(&fork, 0, &ABC)));
		let kept = Forks::<Test>::get(ONE).unwrap();
		// Evidence in the new layout under version 0 (a runtime that kept rounds before the
		// version said so) is left alone.
		StorageVersion::new(0).put::<Registry>();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Forks::<Test>::get(ONE), Some(kept.clone()));
		assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(1));
		// As version 0 stored it: the same fields without the round.
		let old = (
			kept.number,
			kept.anchored,
			kept.conflicting,
			kept.set_id,
			kept.signers.clone(),
			kept.reporter.clone(),
			kept.reported_at,
		)
			.encode();
		frame_support::storage::unhashed::put_raw(&Forks::<Test>::hashed_key_for(ONE), &old);
		StorageVersion::new(0).put::<Registry>();
		assert_eq!(Forks::<Test>::get(ONE), None, "the old layout does not decode");

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(1));
		let migrated = dbm_primitives::registry::ForkEvidence { round: UNKNOWN_ROUND, ..kept };
		assert_eq!(Forks::<Test>::get(ONE), Some(migrated.clone()));
		// Once only.
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Forks::<Test>::get(ONE), Some(migrated));
		// No justification's round is the unknown one's: the council decides.
		assert_noop!(
			Registry::exclude_fork_signers(
				RuntimeOrigin::signed(acc(Ferdie)),
				ONE,
				3,
				justification(&three, 0, &ABC)
			),
			Error::<Test>::DifferentRounds
		);
	});
}
