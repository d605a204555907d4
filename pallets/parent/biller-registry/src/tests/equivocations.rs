//! Equivocations of a sub-chain's voters: proven, they suspend the member whose key signed.

use crate::{mock::*, *};
use codec::{Decode, Encode};
use dbm_primitives::{
	finality::{precommit_equivocation, precommit_payload, EquivocationProof},
	membership::{Destination, Message, Reason},
	AccountId,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring::*;

const ABC: [&str; 3] = ["//Alice", "//Bob", "//Charlie"];

/// The proof that voter `seed` precommitted blocks `a` and `b` (at height 5) in round 2 of set
/// `set_id`, each vote signed for set `signed_for`.
fn proof(seed: &str, set_id: u64, signed_for: u64, a: u8, b: u8) -> EquivocationProof {
	let pair = dbm_primitives::finality::testing::voter(seed);
	let vote = |byte: u8| {
		let target = (H256::repeat_byte(byte), 5);
		(target, pair.sign(&precommit_payload(2, signed_for, target)).into())
	};
	precommit_equivocation(set_id, 2, pair.public().into(), vote(a), vote(b))
}

fn report(proof: EquivocationProof) -> sp_runtime::DispatchResult {
	Registry::report_equivocation(RuntimeOrigin::signed(acc(Ferdie)), ONE, Box::new(proof))
}

/// Anchors sub-chain 1 to block 2, which hands over from the genesis voters to the committee
/// Alice, Bob, Charlie, Dave elected in round 1 (set 1).
fn hand_over() {
	let one = anchor_chain(1);
	elect_voters(1, &VOTER_SEEDS);
	let two = with_set_change(header(2, one.hash(), &[]), &VOTER_SEEDS);
	assert_ok!(anchor_segment(&[(two.clone(), vec![])], justification(&two, 0, &ABC)));
	assert_eq!(Voters::<Test>::get(ONE).map(|v| v.set_id), Some(1));
}

#[test]
fn an_equivocating_voter_is_suspended_here_and_on_its_sub_chain() {
	build_and_execute(|| {
		hand_over();
		assert_eq!(
			VoterAccounts::<Test>::get(ONE).to_vec(),
			vec![acc(Alice), acc(Bob), acc(Charlie), acc(Dave)]
		);
		let active = Registry::active_set_of(ONE).count;
		assert_ok!(report(proof("//Charlie", 1, 1, 1, 2)));
		assert!(Members::<Test>::get(ONE, acc(Charlie)).is_some_and(|m| m.suspended));
		assert_eq!(Registry::active_set_of(ONE).count, active - 1);
		let sent = SENT.with(|s| s.borrow().last().cloned());
		assert_eq!(
			sent,
			Some((
				Destination::Subchain(ONE),
				Message::Suspend { who: acc(Charlie), reason: Reason::Misconduct }
			))
		);
		System::assert_last_event(
			Event::<Test>::EquivocationReported {
				subchain: ONE,
				set_id: 1,
				round: 2,
				offender: acc(Charlie),
				reporter: acc(Ferdie),
			}
			.into(),
		);
		// Once is enough.
		assert_noop!(report(proof("//Charlie", 1, 1, 3, 4)), Error::<Test>::AlreadySuspended);
	});
}

#[test]
fn equivocation_reports_that_prove_nothing_are_refused() {
	build_and_execute(|| {
		assert_noop!(
			Registry::report_equivocation(
				RuntimeOrigin::signed(acc(Ferdie)),
				SubchainId(9),
				Box::new(proof("//Alice", 0, 0, 1, 2))
			),
			Error::<Test>::UnknownSubchain
		);
		// Nothing anchored: no voter set to hold the keys against.
		assert_noop!(report(proof("//Alice", 0, 0, 1, 2)), Error::<Test>::NotAnchoredHeight);
		anchor_chain(1);
		// The genesis committee (Alice, Bob) is not one account per genesis voter (four):
		// whose key it is, the parent does not know.
		assert!(VoterAccounts::<Test>::get(ONE).is_empty());
		assert_noop!(report(proof("//Alice", 0, 0, 1, 2)), Error::<Test>::UnknownVoterAccount);
		// Governance resolves what the parent cannot; not a reporter.
		assert_noop!(
			Registry::report_equivocation(
				RuntimeOrigin::none(),
				ONE,
				Box::new(proof("//Alice", 0, 0, 1, 2))
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
	build_and_execute(|| {
		hand_over();
		for (bad, error) in [
			// Set 0 handed over: its votes count no more.
			(proof("//Charlie", 0, 0, 1, 2), Error::<Test>::NotCurrentVoterSet),
			// Not a voter of the set.
			(proof("//Eve", 1, 1, 1, 2), Error::<Test>::UnknownVoter),
			// The same vote twice.
			(proof("//Charlie", 1, 1, 1, 1), Error::<Test>::InvalidEquivocation),
			// Votes signed for another set than the proof names.
			(proof("//Charlie", 1, 0, 1, 2), Error::<Test>::InvalidEquivocation),
		] {
			assert_noop!(report(bad), error);
		}
		// Another voter's signature under Charlie's name.
		let mut forged = proof("//Dave", 1, 1, 1, 2).encode();
		let dave: dbm_primitives::finality::AuthorityId =
			dbm_primitives::finality::testing::voter("//Dave").public().into();
		let charlie: dbm_primitives::finality::AuthorityId =
			dbm_primitives::finality::testing::voter("//Charlie").public().into();
		let at = forged
			.windows(32)
			.position(|w| w == AsRef::<[u8]>::as_ref(&dave))
			.expect("the offender's key is in the proof");
		forged[at..at + 32].copy_from_slice(charlie.as_ref());
		let forged = EquivocationProof::decode(&mut &forged[..]).expect("still a proof");
		assert_noop!(report(forged), Error::<Test>::InvalidEquivocation);
		// A member that left is not suspended again.
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(Dave)));
		assert_noop!(report(proof("//Dave", 1, 1, 1, 2)), Error::<Test>::NotMember);
		// A retired sub-chain is done with.
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Retired));
		assert_noop!(report(proof("//Charlie", 1, 1, 1, 2)), Error::<Test>::SubchainRetired);
	});
}

#[test]
fn the_genesis_committee_maps_the_genesis_voters_when_it_has_one_account_each() {
	build_and_execute(|| {
		// A genesis committee of two (Alice, Bob) for four genesis voters is forgotten at the
		// genesis anchor (see below); one of four is kept.
		assert_eq!(VoterAccounts::<Test>::get(ONE).len(), 2);
		let four: Vec<AccountId> = VOTER_SEEDS.iter().map(|seed| seed_account(seed)).collect();
		VoterAccounts::<Test>::insert(ONE, Committee::<AccountId>::try_from(four).unwrap());
		anchor_chain(1);
		assert_eq!(VoterAccounts::<Test>::get(ONE).len(), 4);
		assert_ok!(report(proof("//Bob", 0, 0, 1, 2)));
		assert!(Members::<Test>::get(ONE, acc(Bob)).is_some_and(|m| m.suspended));
	});
}

#[test]
fn a_voter_set_governance_chose_has_no_known_accounts() {
	build_and_execute(|| {
		hand_over();
		let parent = Anchors::<Test>::get(ONE, 2).unwrap().hash;
		let three = header(3, parent, &[]);
		let set_one = &VOTER_SEEDS[..3];
		assert_ok!(anchor_segment(&[(three.clone(), vec![])], justification(&three, 1, set_one)));
		let fork = header(3, parent, &[record(33)]);
		assert_ok!(Registry::report_fork(
			RuntimeOrigin::signed(acc(Eve)),
			ONE,
			fork.encode(),
			justification(&fork, 1, set_one)
		));
		let chosen = ["//Eve", "//Ferdie", "//One", "//Two"];
		assert_ok!(Registry::resolve_fork(
			RuntimeOrigin::root(),
			ONE,
			Some(2),
			Some((2, voter_list(&chosen)))
		));
		assert!(VoterAccounts::<Test>::get(ONE).is_empty());
		assert_noop!(report(proof("//Eve", 2, 2, 1, 2)), Error::<Test>::UnknownVoterAccount);
	});
}
