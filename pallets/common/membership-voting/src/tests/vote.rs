//! Casting and changing votes, and the open proposals as the runtime API lists them.

use super::*;

#[test]
fn votes_are_recorded_and_may_change() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		vote(1, index, true);
		System::assert_last_event(RuntimeEvent::Voting(Event::Voted {
			index,
			voter: 1,
			aye: true,
			ayes: 1,
			nays: 0,
		}));
		vote(2, index, false);
		vote(1, index, false);
		System::assert_last_event(RuntimeEvent::Voting(Event::Voted {
			index,
			voter: 1,
			aye: false,
			ayes: 0,
			nays: 2,
		}));
		let open = Proposals::<Test>::get(index).expect("open");
		assert!(open.ayes.is_empty());
		assert_eq!(open.nays.into_inner(), vec![2, 1]);
	});
}

#[test]
fn voting_the_same_way_twice_fails() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		vote(1, index, true);
		assert_noop!(Voting::vote(RuntimeOrigin::signed(1), index, true), Error::AlreadyVoted);
		vote(2, index, false);
		assert_noop!(Voting::vote(RuntimeOrigin::signed(2), index, false), Error::AlreadyVoted);
	});
}

#[test]
fn only_active_members_vote() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		assert_noop!(Voting::vote(RuntimeOrigin::signed(OUTSIDER), index, true), Error::NotVoter);
		assert_noop!(Voting::vote(RuntimeOrigin::signed(SUSPENDED), index, true), Error::NotVoter);
		assert_noop!(Voting::vote(RuntimeOrigin::root(), index, true), DispatchError::BadOrigin);
	});
}

#[test]
fn the_subject_may_not_vote_on_its_own_proposal() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, kick(1));
		assert_noop!(
			Voting::vote(RuntimeOrigin::signed(1), index, false),
			Error::SubjectMayNotVote
		);
	});
}

#[test]
fn votes_on_unknown_and_closed_proposals_fail() {
	build_and_execute(|| {
		assert_noop!(Voting::vote(RuntimeOrigin::signed(1), 0, true), Error::UnknownProposal);
		let index = propose(OUTSIDER, join(CANDIDATE));
		for m in [1, 2, 3] {
			vote(m, index, true);
		}
		assert!(Proposals::<Test>::get(index).is_none());
		assert_noop!(Voting::vote(RuntimeOrigin::signed(4), index, true), Error::ProposalClosed);
		assert_noop!(Voting::vote(RuntimeOrigin::signed(1), 7, true), Error::UnknownProposal);
	});
}

#[test]
fn votes_beyond_max_voters_fail() {
	// Instance 2 keeps three votes a side and needs all five members.
	build_and_execute(|| {
		assert_ok!(Voting2::propose(RuntimeOrigin::signed(OUTSIDER), join(CANDIDATE)));
		for m in [1, 2, 3] {
			assert_ok!(Voting2::vote(RuntimeOrigin::signed(m), 0, true));
		}
		assert_noop!(
			Voting2::vote(RuntimeOrigin::signed(4), 0, true),
			crate::Error::<Test, Instance2>::TooManyVotes
		);
	});
}

#[test]
fn open_proposals_list_votes_and_the_ayes_needed() {
	build_and_execute(|| {
		let a = propose(OUTSIDER, join(CANDIDATE));
		let b = propose(1, kick(2));
		vote(3, b, true);
		vote(4, b, false);
		let open = Voting::open_proposals();
		assert_eq!(open.iter().map(|p| p.index).collect::<Vec<_>>(), vec![a, b]);
		assert_eq!(open[1].proposal, kick(2));
		assert_eq!(open[1].proposer, Some(1));
		assert_eq!((open[1].ayes.clone(), open[1].nays.clone()), (vec![3], vec![4]));
		assert_eq!(open[1].required, 3);
		assert_eq!(open[0].end, 1 + PERIOD);
	});
}
