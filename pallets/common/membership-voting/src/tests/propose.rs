//! Opening proposals: `propose` with a deposit, `import` without one.

use super::*;

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

/// Meter `n`'s key pair.
fn meter(n: u8) -> sp_core::ed25519::Pair {
	use sp_core::Pair;
	sp_core::ed25519::Pair::from_seed(&[n; 32])
}

/// Meter `n`'s key.
fn key(n: u8) -> dbm_primitives::metering::MeterKey {
	use sp_core::Pair;
	meter(n).public()
}

/// Meter `n`'s claim to measure for `who`.
fn claim(n: u8, who: u64) -> dbm_primitives::metering::MeterClaim {
	dbm_primitives::metering::MeterClaim::sign(&meter(n), &who)
}

#[test]
fn a_meter_replacement_is_checked_against_the_members_and_their_meters() {
	build_and_execute(|| {
		let replace = |member, meter| Proposal::ReplaceMeter { member, meter };
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), 2, Some(key(2))));
		// Not a member; another member's meter key; the key the meter has; no meter to revoke;
		// a meter that signed for another member; a new meter someone else proposes.
		for (by, proposal, error) in [
			(OUTSIDER, replace(OUTSIDER, Some(claim(9, OUTSIDER))), Error::NotMember),
			(1, replace(1, Some(claim(2, 1))), Error::MeterInUse),
			(2, replace(2, Some(claim(2, 2))), Error::MeterUnchanged),
			(1, replace(1, None), Error::MeterUnchanged),
			(1, replace(1, Some(claim(9, 3))), Error::BadMeterProof),
			(2, replace(1, Some(claim(9, 1))), Error::NotTheMembersOwn),
		] {
			assert_noop!(Voting::propose(RuntimeOrigin::signed(by), proposal), error);
		}
		// Member 1 gets a meter; member 3 proposes to revoke member 2's: once approved, each
		// goes to the parent, and the meters change only when the parent's decision comes
		// back.
		let index = propose(1, replace(1, Some(claim(1, 1))));
		for voter in [2, 3, 4] {
			vote(voter, index, true);
		}
		let index = propose(3, replace(2, None));
		for voter in [1, 3, 4] {
			vote(voter, index, true);
		}
		assert_eq!(
			Voting::pending_messages(Destination::Parent),
			vec![
				(0, Message::Approved { proposal: replace(1, Some(claim(1, 1))) }),
				(1, Message::Approved { proposal: replace(2, None) }),
			]
		);
		assert_eq!(pallet_subchain::Meters::<Test>::get(1), None);
		assert_eq!(pallet_subchain::Meters::<Test>::get(2).map(|m| m.key), Some(key(2)));
	});
}

#[test]
fn a_join_with_a_meter_is_refused_for_a_meter_key_another_member_has_or_that_did_not_sign() {
	build_and_execute(|| {
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), 2, Some(key(2))));
		let with = |meter| {
			let Proposal::Join { candidate, application } = join(CANDIDATE) else {
				unreachable!("join() is a join")
			};
			Proposal::JoinWithMeter { candidate, application, meter }
		};
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(1), with(claim(2, CANDIDATE))),
			Error::MeterInUse
		);
		assert_noop!(
			Voting::propose(RuntimeOrigin::signed(1), with(claim(7, OUTSIDER))),
			Error::BadMeterProof
		);
		let member = Proposal::JoinWithMeter {
			candidate: 3,
			application: match join(CANDIDATE) {
				Proposal::Join { application, .. } => application,
				_ => unreachable!("join() is a join"),
			},
			meter: claim(3, 3),
		};
		assert_noop!(Voting::propose(RuntimeOrigin::signed(1), member), Error::AlreadyMember);
		// A free key that signed for the candidate: approved, the join goes to the parent
		// with its meter.
		let index = propose(OUTSIDER, with(claim(7, CANDIDATE)));
		for voter in [1, 2, 3] {
			vote(voter, index, true);
		}
		assert_eq!(
			Voting::pending_messages(Destination::Parent),
			vec![(0, Message::Approved { proposal: with(claim(7, CANDIDATE)) })]
		);
	});
}
