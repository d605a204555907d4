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

/// After the hand-over to set 1, blocks 3 and 4 anchored in one segment with the justification
/// of block 4 by Alice, Bob and Charlie (round 1), and another block 3 reported with that of
/// Bob, Charlie and Dave (round 1 too): Bob and Charlie signed both. Returns the anchored block
/// 3 and the other.
fn forked_in_set_one() -> (dbm_primitives::Header, dbm_primitives::Header) {
	hand_over();
	let parent = Anchors::<Test>::get(ONE, 2).unwrap().hash;
	let three = header(3, parent, &[]);
	let four = header(4, three.hash(), &[]);
	assert_ok!(anchor_segment(
		&[(three.clone(), vec![]), (four.clone(), vec![])],
		justification(&four, 1, &ABC)
	));
	let fork = header(3, parent, &[record(33)]);
	assert_ok!(Registry::report_fork(
		RuntimeOrigin::signed(acc(Eve)),
		ONE,
		fork.encode(),
		justification(&fork, 1, &VOTER_SEEDS[1..])
	));
	(three, fork)
}

/// `exclude_fork_signers` of sub-chain 1 with `justification` of its anchored block `number`.
fn exclude(number: u32, justification: Vec<u8>) -> sp_runtime::DispatchResult {
	Registry::exclude_fork_signers(RuntimeOrigin::signed(acc(Ferdie)), ONE, number, justification)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// The justification of anchored block 4 by `seeds` of set 1 in round 1: what the anchor of
/// blocks 3 and 4 carried.
fn of_four(seeds: &[&str]) -> Vec<u8> {
	let four = Anchors::<Test>::get(ONE, 4).expect("block 4 is anchored").hash;
	let three = Anchors::<Test>::get(ONE, 3).expect("block 3 is anchored").hash;
	let header = header(4, three, &[]);
	assert_eq!(header.hash(), four);
	justification(&header, 1, seeds)
}

#[test]
fn the_voters_that_signed_both_sides_of_a_fork_in_one_round_are_suspended() {
	build_and_execute(|| {
		let (three, _) = forked_in_set_one();
		assert_eq!(Forks::<Test>::get(ONE).map(|fork| fork.round), Some(1));
		let active = Registry::active_set_of(ONE).count;
		SENT.with(|s| s.borrow_mut().clear());
		// The justification the anchor carried, of block 4 above the fork's height.
		assert_ok!(exclude(4, of_four(&ABC)));
		for (who, suspended) in [(Alice, false), (Bob, true), (Charlie, true), (Dave, false)] {
			assert_eq!(Members::<Test>::get(ONE, acc(who)).map(|m| m.suspended), Some(suspended));
		}
		assert_eq!(Registry::active_set_of(ONE).count, active - 2);
		let mut sent = SENT.with(|s| s.borrow().clone());
		sent.sort_by_key(|(_, message)| message.encode());
		let mut expected: Vec<_> = [Bob, Charlie]
			.into_iter()
			.map(|k| {
				(
					Destination::Subchain(ONE),
					Message::Suspend { who: acc(k), reason: Reason::Misconduct },
				)
			})
			.collect();
		expected.sort_by_key(|(_, message)| message.encode());
		assert_eq!(sent, expected, "the sub-chain opens a round without them");
		let excluded = System::events()
			.into_iter()
			.find_map(|record| match record.event {
				RuntimeEvent::Registry(Event::ForkSignersExcluded {
					subchain,
					round,
					excluded,
				}) => Some((subchain, round, excluded)),
				_ => None,
			})
			.expect("the exclusion is announced");
		let mut names = excluded.2.clone();
		names.sort();
		let mut both = vec![acc(Bob), acc(Charlie)];
		both.sort();
		assert_eq!((excluded.0, excluded.1, names), (ONE, 1, both));
		// The evidence stands for governance; the same proof excludes nobody twice.
		assert!(Forks::<Test>::contains_key(ONE));
		assert_noop!(exclude(3, justification(&three, 1, &ABC)), Error::<Test>::AlreadySuspended);
	});
}

#[test]
fn exclusions_that_prove_no_double_signing_are_refused() {
	build_and_execute(|| {
		// No fork reported.
		hand_over();
		let two = Anchors::<Test>::get(ONE, 2).unwrap().hash;
		let three = header(3, two, &[]);
		assert_noop!(exclude(3, justification(&three, 1, &ABC)), Error::<Test>::NoForkReported);
	});
	build_and_execute(|| {
		let (three, fork) = forked_in_set_one();
		assert_noop!(
			Registry::exclude_fork_signers(
				RuntimeOrigin::signed(acc(Ferdie)),
				SubchainId(9),
				3,
				justification(&three, 1, &ABC)
			),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(
			Registry::exclude_fork_signers(
				RuntimeOrigin::none(),
				ONE,
				3,
				justification(&three, 1, &ABC)
			),
			sp_runtime::DispatchError::BadOrigin
		);
		// Below the fork's height, or a block not anchored.
		assert_noop!(exclude(2, justification(&three, 1, &ABC)), Error::<Test>::NotAnchoredHeight);
		assert_noop!(exclude(9, justification(&three, 1, &ABC)), Error::<Test>::NotAnchoredHeight);
		// Another round: no single voter's votes contradict each other.
		let round_two =
			dbm_primitives::finality::testing::justify(&three, 2, 1, &voter_keys(&ABC)).encode();
		assert_noop!(exclude(3, round_two), Error::<Test>::DifferentRounds);
		// Not the anchored side, a third of the voters, a justification of the other set.
		assert_noop!(
			exclude(3, justification(&fork, 1, &ABC)),
			Error::<Test>::WrongJustificationTarget
		);
		assert_noop!(
			exclude(3, justification(&three, 1, &ABC[..2])),
			Error::<Test>::NotEnoughVotes
		);
		assert_noop!(exclude(3, justification(&three, 0, &ABC)), Error::<Test>::BadVote);
		assert_noop!(exclude(3, vec![1, 2, 3]), Error::<Test>::BadJustification);
		assert_noop!(exclude(3, vec![0; 4_097]), Error::<Test>::JustificationTooLong);
		// No call changes the voters while a fork stands; were they changed, the evidence's
		// set would no longer be the one the proof is checked against.
		Voters::<Test>::mutate(ONE, |voters| {
			if let Some(voters) = voters {
				voters.set_id = 2;
			}
		});
		assert_noop!(exclude(3, justification(&three, 1, &ABC)), Error::<Test>::NotCurrentVoterSet);
		Voters::<Test>::mutate(ONE, |voters| {
			if let Some(voters) = voters {
				voters.set_id = 1;
			}
		});
		// A retired sub-chain is done with.
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Retired));
		assert_noop!(exclude(3, justification(&three, 1, &ABC)), Error::<Test>::SubchainRetired);
	});
	build_and_execute(|| {
		// Set 0, the genesis voters: whose keys they are, the parent does not know.
		let three = anchor_chain(3);
		let one = Anchors::<Test>::get(ONE, 1).unwrap().hash;
		let fork = header(2, one, &[record(22)]);
		assert_ok!(Registry::report_fork(
			RuntimeOrigin::signed(acc(Eve)),
			ONE,
			fork.encode(),
			justification(&fork, 0, &ABC)
		));
		let two = Anchors::<Test>::get(ONE, 2).unwrap().hash;
		assert_eq!(three.parent_hash, two);
		let anchored_two = header(2, one, &[record(2)]);
		assert_eq!(anchored_two.hash(), two);
		assert_noop!(
			exclude(2, justification(&anchored_two, 0, &ABC)),
			Error::<Test>::UnknownVoterAccount
		);
	});
}
