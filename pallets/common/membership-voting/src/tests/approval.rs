//! The vote that reaches the threshold carries the proposal out.

use super::*;

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
