//! The vote that makes approval impossible rejects the proposal.

use super::*;

#[test]
fn the_vote_that_makes_approval_impossible_rejects_and_burns_the_deposit() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		let issuance = Balances::total_issuance();
		// 3 of 5 needed: the third nay leaves at most 2 ayes.
		vote(1, index, false);
		vote(2, index, false);
		vote(3, index, true);
		assert!(Proposals::<Test>::get(index).is_some());
		vote(4, index, false);
		assert!(Proposals::<Test>::get(index).is_none());
		assert_eq!(ProposalAbout::<Test>::get(CANDIDATE), None);
		assert_eq!(held(OUTSIDER), 0);
		assert_eq!(Balances::balance(&OUTSIDER), FUNDS - DEPOSIT);
		assert_eq!(Balances::total_issuance(), issuance - DEPOSIT);
		System::assert_last_event(RuntimeEvent::Voting(Event::Rejected { index, burned: DEPOSIT }));
		assert_eq!(OutboxLen::<Test>::get(), 0);
		// The node may be proposed again.
		propose(OUTSIDER, join(CANDIDATE));
	});
}

#[test]
fn a_rejected_import_burns_nothing() {
	build_and_execute(|| {
		assert_ok!(Voting::import(RuntimeOrigin::signed(RELAY), join(CANDIDATE)));
		for m in [1, 2, 3] {
			vote(m, 0, false);
		}
		System::assert_last_event(RuntimeEvent::Voting(Event::Rejected { index: 0, burned: 0 }));
	});
}

#[test]
fn the_subject_of_a_kick_is_not_counted_in_the_electorate() {
	build_and_execute(|| {
		// Five members, one of them the subject: 60% of four is three ayes, so two nays
		// already make approval impossible.
		let index = propose(OUTSIDER, kick(1));
		assert_eq!(Voting::electorate(&kick(1)), 4);
		assert_eq!(Voting::electorate(&join(CANDIDATE)), 5);
		assert_eq!(Voting::open_proposals()[0].required, 3);
		vote(2, index, false);
		assert!(Proposals::<Test>::get(index).is_some());
		vote(3, index, false);
		System::assert_last_event(RuntimeEvent::Voting(Event::Rejected { index, burned: DEPOSIT }));
	});
}
