use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

/// The statement of `round` electing 1, 2, 3 and counting `members`.
fn statement_of(round: u32, members: MemberSet) -> ElectionStatement<AccountId> {
	ElectionStatement::new(
		Genesis::get(),
		SubchainId(1),
		round,
		members,
		vec![1u64, 2, 3],
		voters(&[1, 2, 3]),
	)
}

fn open() -> u32 {
	assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
	CurrentRound::<Test>::get().unwrap().index
}

#[test]
fn a_requested_round_ranks_the_electable_candidates() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		let round = CurrentRound::<Test>::get().unwrap();
		assert_eq!(round.index, 1);
		// 5 has no keys: 1, 2, 3 are the best electable ones.
		assert_eq!(round.committee.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![1, 2, 3]);
		// 60% of 10 active members.
		assert_eq!(round.needed, 6);
		System::assert_last_event(
			Event::RoundOpened {
				round: 1,
				trigger: Trigger::Requested { excluded: None },
				committee: vec![1, 2, 3],
				needed: 6,
			}
			.into(),
		);
		let status = Dbsca::round_status().unwrap();
		assert_eq!((status.index, status.confirmations, status.needed), (1, 0, 6));
	});
}

#[test]
fn a_request_may_exclude_a_node() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), Some(1)));
		let round = CurrentRound::<Test>::get().unwrap();
		assert_eq!(round.committee.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![2, 3, 4]);
	});
}

#[test]
fn a_request_replaces_an_open_round_and_a_pending_election() {
	ExtBuilder::default().build_and_execute(|| {
		open();
		confirm_by(&[1]);
		assert_eq!(open(), 2);
		assert!(Confirmations::<Test>::get().is_empty());
		confirm_by(&[1, 2, 3, 4, 5, 6]);
		assert!(PendingElection::<Test>::exists());
		assert_eq!(open(), 3);
		assert!(!PendingElection::<Test>::exists());
	});
}

#[test]
fn request_election_errors() {
	ExtBuilder::default().keys(vec![]).no_committee().build_and_execute(|| {
		assert_noop!(
			Dbsca::request_election(RuntimeOrigin::root(), None),
			Error::<Test>::NoElectableCandidates
		);
		assert_noop!(
			Dbsca::request_election(RuntimeOrigin::signed(1), None),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn members_confirm_until_the_quorum_elects_the_committee() {
	ExtBuilder::default().build_and_execute(|| {
		let round = open();
		confirm_by(&[1, 2, 3, 4, 5]);
		System::assert_last_event(Event::Confirmed { round, who: 5, confirmations: 5 }.into());
		assert!(CurrentRound::<Test>::exists());
		// A consumer's confirmation counts as any member's.
		confirm_by(&[8]);
		assert!(!CurrentRound::<Test>::exists());
		assert!(Confirmations::<Test>::get().is_empty());
		let election = PendingElection::<Test>::get().unwrap();
		assert_eq!(election.committee.to_vec(), vec![1, 2, 3]);
		assert_eq!(election.needed, 6);
		assert_eq!(
			election.confirmations.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
			vec![1, 2, 3, 4, 5, 8]
		);
		// The proof: each signature verifies against the statement.
		let statement = statement_of(round, Subchain::active_set());
		for (who, sig) in &election.confirmations {
			assert_eq!(*sig, MockSignature::sign(*who, &statement.signing_payload()));
		}
		System::assert_last_event(Event::Elected { round, committee: vec![1, 2, 3] }.into());
		assert_eq!(Dbsca::pending_committee(), Some((round, vec![1, 2, 3])));
		// Nothing changed in the committee in force yet.
		assert!(APPLIED.with(|a| a.borrow().is_empty()));
	});
}

#[test]
fn confirm_fails_without_an_open_round_or_for_another_round() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(1), 1, 1, MockSignature::sign(1, b"")),
			Error::<Test>::NoOpenRound
		);
		let round = open();
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(1), round + 1, 1, confirmation(1, round)),
			Error::<Test>::WrongRound
		);
	});
}

#[test]
fn confirm_fails_for_a_non_member() {
	ExtBuilder::default().build_and_execute(|| {
		let round = open();
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(42), round, 1, confirmation(42, round)),
			Error::<Test>::NotMember
		);
	});
}

#[test]
fn confirm_fails_for_anyone_but_the_highest_score() {
	ExtBuilder::default().build_and_execute(|| {
		let round = open();
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(4), round, 2, confirmation(4, round)),
			Error::<Test>::NotTheHighestScore
		);
	});
}

#[test]
fn confirm_fails_twice() {
	ExtBuilder::default().build_and_execute(|| {
		let round = open();
		confirm_by(&[4]);
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(4), round, 1, confirmation(4, round)),
			Error::<Test>::AlreadyConfirmed
		);
	});
}

#[test]
fn confirm_fails_with_a_bad_signature() {
	ExtBuilder::default().build_and_execute(|| {
		let round = open();
		// Someone else's signature, and a signature of another round's statement.
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(4), round, 1, confirmation(5, round)),
			Error::<Test>::BadSignature
		);
		let members = Subchain::active_set();
		let committee = vec![1u64, 2, 3];
		let mut other_genesis = statement_of(round, members);
		other_genesis.genesis = sp_core::H256::repeat_byte(1);
		let mut fewer = statement_of(round, members);
		fewer.members = members.without(&10u64);
		let mut other_voters = statement_of(round, members);
		other_voters.voters = voters(&[1, 2, 4]);
		for other in [
			ElectionStatement::new(
				Genesis::get(),
				SubchainId(2),
				round,
				members,
				committee.clone(),
				voters(&committee),
			),
			other_genesis,
			fewer,
			other_voters,
		] {
			assert_noop!(
				Dbsca::confirm(
					RuntimeOrigin::signed(4),
					round,
					1,
					MockSignature::sign(4, &other.signing_payload())
				),
				Error::<Test>::BadSignature
			);
		}
	});
}

#[test]
fn the_confirmation_payload_is_only_for_the_open_round() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Dbsca::confirmation_payload(1), None);
		let round = open();
		let expected = statement_of(round, Subchain::active_set()).encode();
		assert_eq!(Dbsca::confirmation_payload(round), Some(expected));
		assert_eq!(Dbsca::confirmation_payload(round + 1), None);
	});
}

#[test]
fn a_round_counts_the_members_active_when_it_opened() {
	ExtBuilder::default().build_and_execute(|| {
		let counted = Subchain::active_set();
		assert_eq!(counted.count, 10);
		let round = open();
		assert_eq!(CurrentRound::<Test>::get().unwrap().members, counted);
		// Two nodes join while the round is open: it still needs 6 (60% of 10), and its
		// statement still names the ten.
		for who in [11u64, 12] {
			assert_ok!(Subchain::add_member(
				RuntimeOrigin::root(),
				who,
				member(dbm_primitives::membership::Role::Consumer, who)
			));
		}
		assert_ne!(Subchain::active_set(), counted);
		assert_eq!(
			Dbsca::confirmation_payload(round),
			Some(statement_of(round, counted).signing_payload())
		);
		confirm_by(&[1, 2, 3, 4, 5, 11]);
		let election = PendingElection::<Test>::get().expect("six of the ten counted elect");
		assert_eq!((election.members, election.needed), (counted, 6));
	});
}

#[test]
fn a_suspended_member_cannot_confirm_and_does_not_count() {
	ExtBuilder::default().build_and_execute(|| {
		let info = MemberInfo {
			suspended: true,
			..member(dbm_primitives::membership::Role::Consumer, 10)
		};
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 10, info));
		let round = open();
		// 60% of 9 active members, rounded up.
		assert_eq!(CurrentRound::<Test>::get().unwrap().needed, 6);
		assert_noop!(
			Dbsca::confirm(RuntimeOrigin::signed(10), round, 1, confirmation(10, round)),
			Error::<Test>::NotMember
		);
	});
}

use codec::Encode;
