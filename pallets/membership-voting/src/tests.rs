//! Unit tests: every call, error, event and hook of the pallet, on both mock instances.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use sp_runtime::DispatchError;

type Error = crate::Error<Test, ()>;
type Event = crate::Event<Test, ()>;

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Voting(HoldReason::Deposit), &who)
}

fn events() -> Vec<Event> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Voting(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn events2() -> Vec<crate::Event<Test, Instance2>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Voting2(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn propose(who: AccountId, proposal: Proposal<AccountId>) -> ProposalIndex {
	let index = NextProposal::<Test>::get();
	assert_ok!(Voting::propose(RuntimeOrigin::signed(who), proposal));
	index
}

fn vote(who: AccountId, index: ProposalIndex, aye: bool) {
	assert_ok!(Voting::vote(RuntimeOrigin::signed(who), index, aye));
}

// ---- propose ----

#[test]
fn a_join_proposal_holds_the_deposit() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		assert_eq!(index, 0);
		assert_eq!(held(OUTSIDER), DEPOSIT);
		let open = Proposals::<Test>::get(0).expect("open");
		assert_eq!(open.proposer, Some(OUTSIDER));
		assert_eq!(open.deposit, DEPOSIT);
		assert_eq!(open.end, 1 + PERIOD);
		assert_eq!(ProposalAbout::<Test>::get(CANDIDATE), Some(0));
		assert_eq!(Expiries::<Test>::get(1 + PERIOD).into_inner(), vec![0]);
		System::assert_last_event(RuntimeEvent::Voting(Event::Proposed {
			index: 0,
			proposer: Some(OUTSIDER),
			proposal: join(CANDIDATE),
			end: 1 + PERIOD,
		}));
	});
}

#[test]
fn a_candidate_may_propose_itself_and_members_may_propose_kicks_and_suspensions() {
	build_and_execute(|| {
		assert_eq!(propose(CANDIDATE, join(CANDIDATE)), 0);
		assert_eq!(propose(1, kick(2)), 1);
		assert_eq!(propose(1, suspend(3)), 2);
		assert_eq!(held(1), 2 * DEPOSIT);
		assert_eq!(Proposals::<Test>::count(), 3);
	});
}

#[test]
fn propose_needs_a_signed_origin() {
	build_and_execute(|| {
		assert_noop!(
			Voting::propose(RuntimeOrigin::root(), join(CANDIDATE)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Voting::propose(RuntimeOrigin::none(), join(CANDIDATE)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn one_open_proposal_per_node() {
	build_and_execute(|| {
		propose(OUTSIDER, join(CANDIDATE));
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(1), join(CANDIDATE)),
			Error::AlreadyProposed
		);
		propose(OUTSIDER, kick(2));
		assert_noop!(Voting::propose(RuntimeOrigin::signed(1), suspend(2)), Error::AlreadyProposed);
	});
}

#[test]
fn at_most_max_proposals_are_open() {
	build_and_execute(|| {
		propose(OUTSIDER, join(CANDIDATE));
		propose(OUTSIDER, kick(1));
		propose(OUTSIDER, kick(2));
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(OUTSIDER), kick(3)),
			Error::TooManyProposals
		);
	});
}

#[test]
fn a_proposer_without_the_deposit_is_refused() {
	build_and_execute(|| {
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(PAUPER), join(PAUPER)),
			Error::InsufficientDeposit
		);
	});
}

#[test]
fn the_handler_refuses_what_it_could_not_carry_out() {
	build_and_execute(|| {
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(OUTSIDER), join(1)),
			Error::AlreadyMember
		);
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(OUTSIDER), join(SUSPENDED)),
			Error::AlreadyMember
		);
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(OUTSIDER), kick(CANDIDATE)),
			Error::NotMember
		);
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(OUTSIDER), suspend(CANDIDATE)),
			Error::NotMember
		);
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(OUTSIDER), suspend(SUSPENDED)),
			Error::AlreadySuspended
		);
		// A suspended member may still be kicked.
		propose(OUTSIDER, kick(SUSPENDED));
	});
}

// ---- vote ----

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

// ---- approval ----

#[test]
fn the_vote_that_reaches_the_threshold_forwards_the_proposal_to_the_parent() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		// 60% of 5 members: 3 ayes. A nay on the way does not stop it.
		vote(1, index, true);
		vote(4, index, false);
		vote(2, index, true);
		assert!(Proposals::<Test>::get(index).is_some());
		let before = Balances::balance(&OUTSIDER);
		vote(3, index, true);
		assert!(Proposals::<Test>::get(index).is_none());
		assert_eq!(ProposalAbout::<Test>::get(CANDIDATE), None);
		assert_eq!(held(OUTSIDER), 0);
		assert_eq!(Balances::balance(&OUTSIDER), before + DEPOSIT);
		let message = Message::Approved { proposal: join(CANDIDATE) };
		assert_eq!(Outbox::<Test>::get(Destination::Parent, 0), Some(message.clone()));
		assert_eq!(OutboxNonces::<Test>::get(Destination::Parent), (0, 1));
		assert_eq!(OutboxLen::<Test>::get(), 1);
		assert_eq!(Voting::pending_messages(Destination::Parent), vec![(0, message.clone())]);
		let tail = events();
		assert_eq!(
			tail[tail.len() - 3..],
			[
				Event::Voted { index, voter: 3, aye: true, ayes: 3, nays: 1 },
				Event::MessageQueued { destination: Destination::Parent, nonce: 0, message },
				Event::Executed { index, result: Ok(()) },
			]
		);
		// The member list changes only when the parent's decision comes back.
		assert_eq!(Subchain::member(&CANDIDATE), None);
	});
}

#[test]
fn messages_to_one_destination_get_consecutive_nonces() {
	build_and_execute(|| {
		let a = propose(OUTSIDER, join(CANDIDATE));
		let b = propose(OUTSIDER, suspend(5));
		for m in [1, 2, 3] {
			vote(m, a, true);
			vote(m, b, true);
		}
		assert_eq!(
			Voting::pending_messages(Destination::Parent),
			vec![
				(0, Message::Approved { proposal: join(CANDIDATE) }),
				(1, Message::Approved { proposal: suspend(5) }),
			]
		);
	});
}

#[test]
fn the_threshold_follows_the_voters_at_the_time_of_the_vote() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		vote(1, index, true);
		vote(2, index, true);
		// Two of five members are not 60%; two of three are, and the next vote counts them.
		for m in [4, 5] {
			assert_ok!(Subchain::update_member(
				RuntimeOrigin::root(),
				m,
				MemberInfo { suspended: true, ..generator() }
			));
		}
		assert_eq!(Voting::required_ayes(3), 2);
		assert!(Proposals::<Test>::get(index).is_some());
		vote(3, index, false);
		assert!(Proposals::<Test>::get(index).is_none());
		System::assert_last_event(RuntimeEvent::Voting(Event::Executed { index, result: Ok(()) }));
		assert_eq!(OutboxLen::<Test>::get(), 1);
	});
}

#[test]
fn a_decision_that_can_no_longer_be_carried_out_closes_with_the_error() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, kick(5));
		vote(1, index, true);
		vote(2, index, true);
		// The member leaves (e.g. by an earlier decision) before the last vote.
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 5));
		vote(3, index, true);
		assert!(Proposals::<Test>::get(index).is_none());
		assert_eq!(held(OUTSIDER), 0);
		assert_eq!(OutboxLen::<Test>::get(), 0);
		System::assert_last_event(RuntimeEvent::Voting(Event::Executed {
			index,
			result: Err(Error::NotMember.into()),
		}));
	});
}

/// Suspends members 4 and 5, leaving three voters: instance 2 then needs all of 1, 2, 3.
fn three_voters() {
	for m in [4, 5] {
		assert_ok!(Subchain::update_member(
			RuntimeOrigin::root(),
			m,
			MemberInfo { suspended: true, ..generator() }
		));
	}
}

#[test]
fn a_failing_handler_leaves_no_trace_but_the_event() {
	build_and_execute(|| {
		FAIL.with(|f| *f.borrow_mut() = true);
		three_voters();
		assert_ok!(Voting2::propose(RuntimeOrigin::signed(OUTSIDER), join(CANDIDATE)));
		let providers = System::providers(&CANDIDATE);
		for m in [1, 2, 3] {
			assert_ok!(Voting2::vote(RuntimeOrigin::signed(m), 0, true));
		}
		assert!(crate::Proposals::<Test, Instance2>::get(0).is_none());
		// The handler's write was undone with its failure; the deposit was returned.
		assert_eq!(System::providers(&CANDIDATE), providers);
		assert_eq!(crate::OutboxLen::<Test, Instance2>::get(), 0);
		assert_eq!(
			Balances::balance_on_hold(&RuntimeHoldReason::Voting2(HoldReason::Deposit), &OUTSIDER),
			0
		);
		assert_eq!(Balances::balance(&OUTSIDER), FUNDS);
		// The event keeps the error's kind; its text is not stored on chain.
		assert!(matches!(
			events2().last(),
			Some(crate::Event::Executed { index: 0, result: Err(DispatchError::Other(_)) })
		));
		assert!(EXECUTED.with(|e| e.borrow().is_empty()));
	});
}

#[test]
fn a_parent_like_handler_sends_its_decisions_to_the_sub_chain() {
	build_and_execute(|| {
		three_voters();
		assert_ok!(Voting2::import(RuntimeOrigin::root(), kick(SUSPENDED)));
		for m in [1, 2, 3] {
			assert_ok!(Voting2::vote(RuntimeOrigin::signed(m), 0, true));
		}
		assert_eq!(EXECUTED.with(|e| e.borrow().clone()), vec![kick(SUSPENDED)]);
		let to = Destination::Subchain(dbm_primitives::SubchainId(7));
		assert_eq!(
			Voting2::pending_messages(to),
			vec![(0, Message::Remove { who: SUSPENDED, reason: Reason::ContinuousSilence })]
		);
		// The default instance is untouched.
		assert_eq!(OutboxLen::<Test>::get(), 0);
		assert!(Voting::pending_messages(to).is_empty());
	});
}

#[test]
fn an_approving_vote_waits_while_the_outbox_is_full() {
	build_and_execute(|| {
		let a = propose(OUTSIDER, join(CANDIDATE));
		let b = propose(OUTSIDER, suspend(5));
		let c = propose(OUTSIDER, kick(4));
		for m in [1, 2, 3] {
			vote(m, a, true);
			vote(m, b, true);
		}
		assert_eq!(OutboxLen::<Test>::get(), 2);
		vote(1, c, true);
		vote(2, c, true);
		assert_noop!(Voting::vote(RuntimeOrigin::signed(3), c, true), Error::OutboxFull);
		assert_ok!(Voting::acknowledge(RuntimeOrigin::signed(RELAY), Destination::Parent, 0));
		vote(3, c, true);
		assert_eq!(
			Voting::pending_messages(Destination::Parent),
			vec![
				(1, Message::Approved { proposal: suspend(5) }),
				(2, Message::Approved { proposal: kick(4) }),
			]
		);
	});
}

// ---- rejection ----

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

// ---- import ----

#[test]
fn import_opens_a_proposal_without_a_deposit() {
	build_and_execute(|| {
		assert_ok!(Voting::import(RuntimeOrigin::signed(RELAY), suspend(2)));
		let open = Proposals::<Test>::get(0).expect("open");
		assert_eq!((open.proposer, open.deposit), (None, 0));
		System::assert_last_event(RuntimeEvent::Voting(Event::Proposed {
			index: 0,
			proposer: None,
			proposal: suspend(2),
			end: 1 + PERIOD,
		}));
	});
}

#[test]
fn import_is_only_for_the_inbound_origin_and_is_checked_like_a_proposal() {
	build_and_execute(|| {
		assert_noop!(
			Voting::import(RuntimeOrigin::signed(OUTSIDER), join(CANDIDATE)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Voting::import(RuntimeOrigin::root(), join(CANDIDATE)),
			DispatchError::BadOrigin
		);
		assert_noop!(Voting::import(RuntimeOrigin::signed(RELAY), join(1)), Error::AlreadyMember);
		assert_ok!(Voting::import(RuntimeOrigin::signed(RELAY), join(CANDIDATE)));
		assert_noop!(
			Voting::import(RuntimeOrigin::signed(RELAY), join(CANDIDATE)),
			Error::AlreadyProposed
		);
		assert_ok!(Voting::import(RuntimeOrigin::signed(RELAY), kick(1)));
		assert_ok!(Voting::import(RuntimeOrigin::signed(RELAY), kick(2)));
		assert_noop!(
			Voting::import(RuntimeOrigin::signed(RELAY), kick(3)),
			Error::TooManyProposals
		);
	});
}

// ---- acknowledge ----

#[test]
fn acknowledging_prunes_the_delivered_messages() {
	build_and_execute(|| {
		let a = propose(OUTSIDER, join(CANDIDATE));
		let b = propose(OUTSIDER, suspend(5));
		for m in [1, 2, 3] {
			vote(m, a, true);
			vote(m, b, true);
		}
		assert_ok!(Voting::acknowledge(RuntimeOrigin::signed(RELAY), Destination::Parent, 1));
		System::assert_last_event(RuntimeEvent::Voting(Event::Acknowledged {
			destination: Destination::Parent,
			nonce: 1,
			pruned: 2,
		}));
		assert_eq!(OutboxLen::<Test>::get(), 0);
		assert_eq!(OutboxNonces::<Test>::get(Destination::Parent), (2, 2));
		assert!(Voting::pending_messages(Destination::Parent).is_empty());
	});
}

#[test]
fn acknowledge_errors() {
	build_and_execute(|| {
		assert_noop!(
			Voting::acknowledge(RuntimeOrigin::signed(RELAY), Destination::Parent, 0),
			Error::UnknownMessage
		);
		let a = propose(OUTSIDER, join(CANDIDATE));
		for m in [1, 2, 3] {
			vote(m, a, true);
		}
		assert_noop!(
			Voting::acknowledge(RuntimeOrigin::signed(OUTSIDER), Destination::Parent, 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Voting::acknowledge(RuntimeOrigin::signed(RELAY), Destination::Parent, 1),
			Error::UnknownMessage
		);
		assert_noop!(
			Voting::acknowledge(
				RuntimeOrigin::signed(RELAY),
				Destination::Subchain(dbm_primitives::SubchainId(1)),
				0
			),
			Error::UnknownMessage
		);
		assert_ok!(Voting::acknowledge(RuntimeOrigin::signed(RELAY), Destination::Parent, 0));
		assert_noop!(
			Voting::acknowledge(RuntimeOrigin::signed(RELAY), Destination::Parent, 0),
			Error::AlreadyAcknowledged
		);
	});
}

// ---- expiry ----

#[test]
fn undecided_proposals_expire_and_return_the_deposit() {
	build_and_execute(|| {
		let index = propose(OUTSIDER, join(CANDIDATE));
		vote(1, index, true);
		run_to(PERIOD);
		assert!(Proposals::<Test>::get(index).is_some());
		run_to(PERIOD + 1);
		assert!(Proposals::<Test>::get(index).is_none());
		assert_eq!(ProposalAbout::<Test>::get(CANDIDATE), None);
		assert_eq!(Expiries::<Test>::get(PERIOD + 1).len(), 0);
		assert_eq!(held(OUTSIDER), 0);
		assert_eq!(Balances::balance(&OUTSIDER), FUNDS);
		System::assert_last_event(RuntimeEvent::Voting(Event::Expired { index }));
		assert_noop!(Voting::vote(RuntimeOrigin::signed(2), index, true), Error::ProposalClosed);
	});
}

#[test]
fn expiry_skips_proposals_closed_earlier_and_reports_its_work() {
	build_and_execute(|| {
		let a = propose(OUTSIDER, join(CANDIDATE));
		let b = propose(OUTSIDER, kick(1));
		for m in [2, 3, 4] {
			vote(m, a, true);
		}
		System::set_block_number(PERIOD + 1);
		assert_eq!(Voting::expire(PERIOD + 1), 1);
		assert!(Proposals::<Test>::get(b).is_none());
		assert_eq!(
			Voting::on_initialize(PERIOD + 1),
			<() as WeightInfo>::on_initialize(0),
			"the queue was emptied by the first pass"
		);
	});
}

// ---- the rest ----

#[test]
fn required_ayes_round_up_and_never_fall_below_one() {
	new_test_ext().execute_with(|| {
		let table = [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (10, 6), (11, 7), (100, 60)];
		for (voters, ayes) in table {
			assert_eq!(Voting::required_ayes(voters), ayes, "{voters} voters");
		}
		assert_eq!(Voting2::required_ayes(7), 7);
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

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		Voting::integrity_test();
		Voting2::integrity_test();
	});
}

#[test]
fn other_pallets_queue_their_decisions_in_the_outbox_until_it_is_full() {
	use dbm_primitives::{dbsca::ScoreWeights, membership::Outbox as _, SubchainId};
	build_and_execute(|| {
		let to = Destination::Subchain(SubchainId(2));
		let message = Message::SetWeights { weights: ScoreWeights::default() };
		assert_eq!(Voting::send(to, message.clone()), Ok(0));
		assert_eq!(Voting::send(to, message.clone()), Ok(1));
		assert_eq!(Voting::pending_messages(to), vec![(0, message.clone()), (1, message.clone())]);
		assert!(events().contains(&Event::MessageQueued {
			destination: to,
			nonce: 1,
			message: message.clone()
		}));
		// `MaxOutbox` is two here.
		assert_noop!(Voting::send(to, message), Error::OutboxFull);
		assert_eq!(OutboxLen::<Test>::get(), 2);
	});
}
