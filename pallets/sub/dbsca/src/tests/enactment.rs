use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn elect(excluded: Option<AccountId>) -> u32 {
	assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), excluded));
	let round = CurrentRound::<Test>::get().unwrap().index;
	confirm_by(&[1, 2, 3, 4, 5, 6]);
	round
}

#[test]
fn enact_puts_the_committee_in_force_and_hands_it_to_consensus() {
	ExtBuilder::default().build_and_execute(|| {
		let round = elect(Some(1));
		System::set_block_number(7);
		assert_ok!(Dbsca::enact(RuntimeOrigin::root(), round));
		assert_eq!(Committee::<Test>::get().to_vec(), vec![2, 3, 4]);
		assert_eq!(AuthoringOrder::<Test>::get().to_vec(), vec![0, 1, 0, 2]);
		assert_eq!(TermStart::<Test>::get(), 7);
		assert_eq!(APPLIED.with(|a| a.borrow().clone()), vec![(vec![2, 3, 4], vec![0, 1, 0, 2])]);
		assert!(!PendingElection::<Test>::exists());
		assert_eq!(LastElection::<Test>::get().unwrap().round, round);
		System::assert_last_event(
			Event::CommitteeEnacted { round, committee: vec![2, 3, 4] }.into(),
		);
	});
}

#[test]
fn enact_fails_without_a_pending_election_or_for_another_round() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Dbsca::enact(RuntimeOrigin::root(), 1), Error::<Test>::NoPendingElection);
		let round = elect(None);
		assert_noop!(Dbsca::enact(RuntimeOrigin::root(), round + 1), Error::<Test>::WrongRound);
		assert_noop!(Dbsca::enact(RuntimeOrigin::signed(1), round), DispatchError::BadOrigin);
	});
}

#[test]
fn enact_fails_when_a_member_lost_its_keys() {
	ExtBuilder::default().build_and_execute(|| {
		let round = elect(None);
		// Keys cannot be purged in an election; a removed member's can only be pruned
		// outside one. Take them away behind the pallet's back to see enact refuse.
		Keys::<Test>::remove(3);
		assert_noop!(Dbsca::enact(RuntimeOrigin::root(), round), Error::<Test>::NoKeys);
		Keys::<Test>::insert(3, MockKeys::of(3));
	});
}

#[test]
fn enact_changes_nothing_when_consensus_refuses() {
	ExtBuilder::default().build_and_execute(|| {
		let round = elect(Some(1));
		HANDLER_FAILS.with(|f| *f.borrow_mut() = true);
		assert_noop!(
			Dbsca::enact(RuntimeOrigin::root(), round),
			DispatchError::Other("consensus refuses")
		);
		assert_eq!(Committee::<Test>::get().to_vec(), vec![1, 2, 3]);
		HANDLER_FAILS.with(|f| *f.borrow_mut() = false);
		assert_ok!(Dbsca::enact(RuntimeOrigin::root(), round));
	});
}

#[test]
fn the_confirmed_committee_must_be_the_pending_one() {
	ExtBuilder::default().build_and_execute(|| {
		let keys = voters(&[2, 3, 4]);
		assert_noop!(
			Dbsca::enact_confirmed(1, &[2, 3, 4], &keys),
			Error::<Test>::NoPendingElection
		);
		let round = elect(Some(1));
		assert_noop!(
			Dbsca::enact_confirmed(round + 1, &[2, 3, 4], &keys),
			Error::<Test>::WrongRound
		);
		for (committee, other) in [
			(vec![3, 2, 4], keys.clone()),
			(vec![2, 3], keys.clone()),
			// The committee, with other voters than its statement named.
			(vec![2, 3, 4], voters(&[2, 3, 5])),
			(vec![2, 3, 4], voters(&[2, 3])),
		] {
			assert_noop!(
				Dbsca::enact_confirmed(round, &committee, &other),
				Error::<Test>::CommitteeMismatch
			);
		}
		assert_eq!(Dbsca::enact_confirmed(round, &[2, 3, 4], &keys), Ok(3));
		assert_eq!(LastElection::<Test>::get().unwrap().round, round);
	});
}
