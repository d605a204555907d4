use crate::{mock::*, *};
use frame_support::assert_ok;

/// Slot `b` for block `b`; the authoring order [0, 1, 0, 2] (biller 1 holds two slots of
/// four) decides the position.
fn normal(b: u64) -> Option<(u64, u32)> {
	Some((b, (b % 4) as u32))
}

#[test]
fn a_round_opens_when_the_term_ends() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(99, normal);
		assert!(!CurrentRound::<Test>::exists());
		run_to_block(100, normal);
		let round = CurrentRound::<Test>::get().expect("the term of 100 blocks from 0 ended");
		assert_eq!(round.trigger, Trigger::TermEnd);
		assert_eq!(round.opened_at, 100);
	});
}

#[test]
fn no_round_opens_while_one_is_open_or_pending() {
	ExtBuilder::default().build_and_execute(|| {
		// Opened at block 1: it may stay open until block 30 (ElectionTimeout: 30 blocks),
		// past the term's end at 100 ...
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		assert_eq!(ElectionDeadline::<Test>::get(), Some(31));
		run_to_block(30, normal);
		assert_eq!(RoundIndex::<Test>::get(), 1);
		// ... and its election, closed at block 30, awaits the parent until block 59.
		confirm_by(&[1, 2, 3, 4, 5, 6]);
		assert_eq!(ElectionDeadline::<Test>::get(), Some(60));
		run_to_block(59, normal);
		assert_eq!(RoundIndex::<Test>::get(), 1);
		assert!(PendingElection::<Test>::exists());
		// Enacted: no deadline any more.
		assert_ok!(Dbsca::enact(RuntimeOrigin::root(), 1));
		assert_eq!(ElectionDeadline::<Test>::get(), None);
	});
}

/// Suspends members 1 to 4, the candidates with keys: nobody is electable any more.
fn suspend_every_candidate_with_keys() {
	for n in 1..=4 {
		assert_ok!(Subchain::update_member(
			RuntimeOrigin::root(),
			n,
			MemberInfo {
				suspended: true,
				..member(dbm_primitives::membership::Role::Generator, n)
			}
		));
	}
}

#[test]
fn a_round_without_its_quorum_expires_and_a_new_one_keeps_its_exclusion() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), Some(1)));
		confirm_by(&[2, 3]);
		run_to_block(30, normal);
		assert_eq!(RoundIndex::<Test>::get(), 1);
		run_to_block(31, normal);
		let round = CurrentRound::<Test>::get().expect("a new round replaced the expired one");
		assert_eq!(round.index, 2);
		assert_eq!(round.trigger, Trigger::Expired { round: 1, excluded: Some(1) });
		assert_eq!(round.committee.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![2, 3, 4]);
		assert!(Confirmations::<Test>::get().is_empty(), "the expired round's confirmations go");
		assert_eq!(ElectionDeadline::<Test>::get(), Some(61));
		let events = dbsca_events();
		assert!(events.contains(&Event::ElectionExpired { round: 1 }));
		assert_eq!(
			events.last(),
			Some(&Event::RoundOpened {
				round: 2,
				trigger: Trigger::Expired { round: 1, excluded: Some(1) },
				committee: vec![2, 3, 4],
				needed: 6,
			})
		);
	});
}

#[test]
fn an_election_the_parent_never_confirms_expires() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		confirm_by(&[1, 2, 3, 4, 5, 6]);
		assert!(PendingElection::<Test>::exists());
		run_to_block(30, normal);
		assert!(PendingElection::<Test>::exists());
		run_to_block(31, normal);
		assert!(!PendingElection::<Test>::exists());
		let round = CurrentRound::<Test>::get().expect("a new round");
		assert_eq!(
			(round.index, round.trigger),
			(2, Trigger::Expired { round: 1, excluded: None })
		);
		assert!(dbsca_events().contains(&Event::ElectionExpired { round: 1 }));
		// The parent's late confirmation of round 1 finds nothing to enact.
		assert!(Dbsca::enact(RuntimeOrigin::root(), 1).is_err());
	});
}

#[test]
fn an_expired_round_with_nobody_to_elect_is_reported() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		// While the round is open, nobody becomes electable.
		suspend_every_candidate_with_keys();
		run_to_block(31, |_| None);
		assert!(!CurrentRound::<Test>::exists());
		assert_eq!(ElectionDeadline::<Test>::get(), None);
		assert_eq!(
			dbsca_events().last(),
			Some(&Event::RoundNotOpened { trigger: Trigger::Expired { round: 1, excluded: None } })
		);
		assert_eq!(TermStart::<Test>::get(), 31, "tried again a term later");
	});
}

#[test]
fn a_silent_biller_triggers_a_round_without_it() {
	ExtBuilder::default().build_and_execute(|| {
		// The biller authors its slots up to block 10.
		run_to_block(10, normal);
		assert_eq!(BillerLastSlot::<Test>::get(), Some(10));
		// From then on only the standbys' slots (positions 1 and 3) are filled: blocks 11,
		// 12, 13, 14 in slots 11, 13, 15, 17.
		let standbys_only = |b: u64| {
			let slot = 2 * b - 11;
			Some((slot, (slot % 4) as u32))
		};
		run_to_block(13, standbys_only);
		assert!(!CurrentRound::<Test>::exists(), "slot 15 is only 5 slots after the last");
		run_to_block(14, standbys_only);
		let round = CurrentRound::<Test>::get().expect("the biller was silent for over 5 slots");
		assert_eq!(round.trigger, Trigger::BillerSilent { biller: 1 });
		assert_eq!(round.committee.iter().map(|(a, _)| *a).collect::<Vec<_>>(), vec![2, 3, 4]);
	});
}

#[test]
fn a_biller_that_keeps_authoring_is_never_silent() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(99, normal);
		assert!(!CurrentRound::<Test>::exists());
		assert_eq!(RoundIndex::<Test>::get(), 0);
	});
}

#[test]
fn without_a_committee_the_hooks_do_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		for n in 1..=4 {
			Keys::<Test>::remove(n);
			for key in MockKeys::of(n).index_keys() {
				KeyOwner::<Test>::remove(key);
			}
		}
		Committee::<Test>::kill();
		AuthoringOrder::<Test>::kill();
		run_to_block(101, normal);
		// No committee: nothing to watch, no term.
		assert!(dbsca_events().is_empty());
	});
}

#[test]
fn a_round_that_cannot_open_is_reported_and_retried_a_term_later() {
	ExtBuilder::default().build_and_execute(|| {
		suspend_every_candidate_with_keys();
		// Block 2 tries to replace the biller that left, in vain; the term counts from there.
		// Blocks 2 to 4 take the committee members that left out of consensus, one a block,
		// but the last.
		run_to_block(102, |_| None);
		assert_eq!(
			dbsca_events(),
			vec![
				Event::TakenOutOfConsensus { who: 1, committee: vec![2, 3] },
				Event::RoundNotOpened {
					trigger: Trigger::CommitteeMemberLeft { who: 1, excluded: None }
				},
				Event::TakenOutOfConsensus { who: 2, committee: vec![3] },
				Event::KeptInConsensus { who: 3, error: Error::<Test>::LastVoter.into() },
				Event::RoundNotOpened { trigger: Trigger::TermEnd }
			]
		);
		assert_eq!(TermStart::<Test>::get(), 102);
	});
}
