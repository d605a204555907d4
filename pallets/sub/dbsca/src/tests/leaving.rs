//! Members leaving: a committee member removed or suspended is taken out of consensus at once
//! and replaced by a round that opens in the next block; other changes of the member set
//! reopen an open round.

use crate::{mock::*, *};
use dbm_primitives::membership::Role;
use frame_support::{assert_ok, traits::Hooks, BoundedVec};

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
		// The committee in force went on without it at once.
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 3]);
		confirm_by(&[1, 3, 4, 5, 6, 7]);
		assert_ok!(Dbsca::enact(RuntimeOrigin::root(), round.index));
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 3, 4]);
	});
}

fn removed() -> Vec<(sp_consensus_grandpa::AuthorityId, Vec<u32>, u32)> {
	REMOVED.with(|r| r.borrow().clone())
}

fn voter(n: AccountId) -> sp_consensus_grandpa::AuthorityId {
	voters(&[n])[0].clone()
}

#[test]
fn a_committee_member_that_leaves_is_taken_out_of_consensus_at_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		// The biller 1 holds two slots of each rotation: 1, 2, 1, 3.
		assert_eq!(AuthoringOrder::<Test>::get().into_inner(), vec![0, 1, 0, 2]);
		BillerLastSlot::<Test>::put(7);
		suspend(2);
		assert_eq!(Leaving::<Test>::get().into_inner(), vec![2]);
		assert!(removed().is_empty(), "not in the call that delivered it");
		run_to_block(2, |_| None);
		assert_eq!(removed(), vec![(voter(2), vec![0, 1, 0, 2], 1)]);
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 3]);
		assert_eq!(AuthoringOrder::<Test>::get().into_inner(), vec![0, 0, 1]);
		assert_eq!(BillerLastSlot::<Test>::get(), Some(7), "the biller is the same");
		assert!(Leaving::<Test>::get().is_empty());
		let events = dbsca_events();
		let out = events
			.iter()
			.position(|e| *e == Event::TakenOutOfConsensus { who: 2, committee: vec![1, 3] })
			.expect("taken out");
		let opened = events
			.iter()
			.position(|e| matches!(e, Event::RoundOpened { .. }))
			.expect("the round opened in the same block");
		assert!(out < opened, "taken out first");
		// The biller goes too: the standby 3 authors alone, its silence counted anew.
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 1));
		run_to_block(3, |_| None);
		assert_eq!(removed()[1], (voter(1), vec![0, 0, 1], 0));
		assert_eq!(Committee::<Test>::get().into_inner(), vec![3]);
		assert_eq!(AuthoringOrder::<Test>::get().into_inner(), vec![0]);
		assert_eq!(BillerLastSlot::<Test>::get(), None);
		// Members outside the committee in force take nobody out.
		suspend(4);
		assert!(Leaving::<Test>::get().is_empty());
	});
}

#[test]
fn members_are_taken_out_one_a_block_while_the_authorities_can_change() {
	ExtBuilder::default().build_and_execute(|| {
		suspend(3);
		suspend(2);
		assert_eq!(Leaving::<Test>::get().into_inner(), vec![3, 2]);
		// Block 2 has a change pending already (an enactment, say): nobody is taken out.
		System::set_block_number(2);
		BUSY.with(|b| *b.borrow_mut() = true);
		Dbsca::on_initialize(2);
		assert!(removed().is_empty());
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 2, 3]);
		run_to_block(3, |_| None);
		assert_eq!(removed(), vec![(voter(3), vec![0, 1, 0, 2], 2)]);
		assert_eq!(Leaving::<Test>::get().into_inner(), vec![2]);
		run_to_block(4, |_| None);
		assert_eq!(removed()[1], (voter(2), vec![0, 1, 0], 1));
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1]);
		assert_eq!(AuthoringOrder::<Test>::get().into_inner(), vec![0, 0]);
	});
}

#[test]
fn a_member_taken_back_or_no_longer_in_the_committee_is_not_taken_out() {
	ExtBuilder::default().build_and_execute(|| {
		suspend(2);
		// The parent takes it back before the next block.
		let info = member(Role::Generator, 2);
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 2, info));
		assert!(Leaving::<Test>::get().is_empty());
		run_to_block(2, |_| None);
		assert!(removed().is_empty());
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 2, 3]);

		// A committee enacted without it before its turn: nothing to take out.
		suspend(3);
		Committee::<Test>::put(BoundedVec::truncate_from(vec![1, 2]));
		AuthoringOrder::<Test>::put(BoundedVec::truncate_from(vec![0, 1, 0]));
		run_to_block(3, |_| None);
		assert!(removed().is_empty());
		assert!(Leaving::<Test>::get().is_empty());
		assert!(!dbsca_events().iter().any(|e| matches!(e, Event::KeptInConsensus { .. })));
	});
}

#[test]
fn a_member_that_cannot_be_taken_out_keeps_its_place_until_the_new_committee() {
	ExtBuilder::default().build_and_execute(|| {
		// Consensus refuses (its key is no voter in force, say).
		HANDLER_FAILS.with(|f| *f.borrow_mut() = true);
		suspend(2);
		run_to_block(2, |_| None);
		assert_eq!(Committee::<Test>::get().into_inner(), vec![1, 2, 3]);
		assert_eq!(AuthoringOrder::<Test>::get().into_inner(), vec![0, 1, 0, 2]);
		assert!(dbsca_events()
			.contains(&Event::KeptInConsensus { who: 2, error: Error::<Test>::NotAVoter.into() }));
		assert!(Leaving::<Test>::get().is_empty(), "not tried again");
		HANDLER_FAILS.with(|f| *f.borrow_mut() = false);
		// The last member of the committee in force stays: a chain needs an author.
		Committee::<Test>::put(BoundedVec::truncate_from(vec![3]));
		AuthoringOrder::<Test>::put(BoundedVec::truncate_from(vec![0]));
		suspend(3);
		run_to_block(3, |_| None);
		assert_eq!(Committee::<Test>::get().into_inner(), vec![3]);
		assert!(dbsca_events()
			.contains(&Event::KeptInConsensus { who: 3, error: Error::<Test>::LastVoter.into() }));
		assert!(removed().is_empty());
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
