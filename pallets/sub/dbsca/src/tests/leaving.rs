//! Members leaving: a committee member removed or suspended is replaced by a round that opens
//! in the next block; other changes of the member set reopen an open round.

use crate::{mock::*, *};
use dbm_primitives::membership::Role;
use frame_support::assert_ok;

fn suspend(n: AccountId) {
	let info = MemberInfo { suspended: true, ..member(Role::Generator, n) };
	assert_ok!(Subchain::update_member(RuntimeOrigin::root(), n, info));
}

fn committee_of(round: &RoundOf<Test>) -> Vec<AccountId> {
	round.committee.iter().map(|(a, _)| *a).collect()
}

#[test]
fn a_suspended_standby_is_replaced_by_a_round_in_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		suspend(2);
		assert_eq!(
			ScheduledRound::<Test>::get(),
			Some(Trigger::CommitteeMemberLeft { who: 2, excluded: None })
		);
		assert!(!CurrentRound::<Test>::exists(), "the round opens with the next block");
		run_to_block(2, |_| None);
		let round = CurrentRound::<Test>::get().expect("a round opened");
		assert_eq!(round.trigger, Trigger::CommitteeMemberLeft { who: 2, excluded: None });
		assert_eq!(committee_of(&round), vec![1, 3, 4]);
		assert_eq!(round.members.count, 9, "the round counts the set without 2");
		assert_eq!(ScheduledRound::<Test>::get(), None);
		// The committee in force keeps consensus until the new one is enacted.
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 2, 3]);
		confirm_by(&[1, 3, 4, 5, 6, 7]);
		assert_ok!(Dbsca::enact(RuntimeOrigin::root(), round.index));
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 3, 4]);
	});
}

#[test]
fn a_removed_biller_drops_the_election_awaiting_enactment() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		confirm_by(&[1, 2, 3, 4, 5, 6]);
		assert!(PendingElection::<Test>::exists());
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 1));
		run_to_block(2, |_| None);
		assert!(!PendingElection::<Test>::exists(), "an election with the removed biller goes");
		let round = CurrentRound::<Test>::get().expect("a round opened");
		assert_eq!(
			(round.index, round.trigger.clone()),
			(2, Trigger::CommitteeMemberLeft { who: 1, excluded: None })
		);
		assert_eq!(committee_of(&round), vec![2, 3, 4]);
		// The parent's confirmation of the old election finds nothing to enact.
		assert!(Dbsca::enact(RuntimeOrigin::root(), 1).is_err());
		assert_eq!(
			dbsca_events().last(),
			Some(&Event::RoundOpened {
				round: 2,
				trigger: Trigger::CommitteeMemberLeft { who: 1, excluded: None },
				committee: vec![2, 3, 4],
				needed: 6,
			})
		);
	});
}

#[test]
fn a_member_of_the_committee_being_elected_that_leaves_reopens_the_round() {
	ExtBuilder::default().build_and_execute(|| {
		// Round 1 leaves 1 out: it elects [2, 3, 4]; 4 is not in the committee in force.
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), Some(1)));
		confirm_by(&[2, 3]);
		suspend(4);
		run_to_block(2, |_| None);
		let round = CurrentRound::<Test>::get().expect("a round opened");
		assert_eq!(round.index, 2);
		assert_eq!(round.trigger, Trigger::CommitteeMemberLeft { who: 4, excluded: Some(1) });
		assert_eq!(committee_of(&round), vec![2, 3], "1 stays excluded, 4 is not active");
		assert!(Confirmations::<Test>::get().is_empty());
	});
}

#[test]
fn a_join_while_a_round_is_open_reopens_it_over_the_new_set() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), Some(1)));
		confirm_by(&[2, 3]);
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 11, member(Role::Consumer, 11)));
		assert_eq!(
			ScheduledRound::<Test>::get(),
			Some(Trigger::MembersChanged { excluded: Some(1) })
		);
		run_to_block(2, |_| None);
		let round = CurrentRound::<Test>::get().expect("a round opened");
		assert_eq!(round.index, 2);
		assert_eq!(round.members.count, 11);
		assert_eq!(round.needed, 7);
		assert_eq!(committee_of(&round), vec![2, 3, 4]);
		assert!(Confirmations::<Test>::get().is_empty());
	});
}

#[test]
fn changes_outside_the_committees_without_an_open_round_open_none() {
	ExtBuilder::default().build_and_execute(|| {
		suspend(5);
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 11, member(Role::Consumer, 11)));
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 10));
		assert_eq!(ScheduledRound::<Test>::get(), None);
		// An election that reached its quorum is kept: the parent may have confirmed it.
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		confirm_by(&[1, 2, 3, 4, 6, 7]);
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 9));
		assert_eq!(ScheduledRound::<Test>::get(), None);
		run_to_block(2, |_| None);
		assert!(PendingElection::<Test>::exists());
		assert_eq!(RoundIndex::<Test>::get(), 1);
	});
}

#[test]
fn the_first_committee_member_to_leave_in_a_block_is_named() {
	ExtBuilder::default().build_and_execute(|| {
		suspend(3);
		suspend(1);
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 11, member(Role::Consumer, 11)));
		run_to_block(2, |_| None);
		let round = CurrentRound::<Test>::get().expect("a round opened");
		assert_eq!(round.trigger, Trigger::CommitteeMemberLeft { who: 3, excluded: None });
		assert_eq!(committee_of(&round), vec![2, 4], "neither member that left is electable");
	});
}

#[test]
fn a_replacement_round_that_cannot_open_keeps_the_open_one() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		for n in [4, 3, 2, 1] {
			suspend(n);
		}
		run_to_block(2, |_| None);
		assert_eq!(
			dbsca_events().last(),
			Some(&Event::RoundNotOpened {
				trigger: Trigger::CommitteeMemberLeft { who: 3, excluded: None }
			})
		);
		assert_eq!(CurrentRound::<Test>::get().map(|r| r.index), Some(1), "it expires in time");
		assert_eq!(ScheduledRound::<Test>::get(), None);
	});
}
