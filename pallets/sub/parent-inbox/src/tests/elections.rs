//! `enact_election` and `request_election`: the parent's elections and requests.

use super::*;

#[test]
fn a_confirmed_election_is_enacted_once() {
	build_and_execute(|| {
		let other = (parent_state::election_key(SubchainId(4)), election(5).encode());
		let empty = parent(AT, core::slice::from_ref(&other));
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), AT, empty),
			Error::<Test>::NoConfirmedElection
		);
		// Round 0 is in force already (genesis).
		let at0 = H256::repeat_byte(9);
		let round0 = parent(at0, &[(parent_state::election_key(THIS), election(0).encode())]);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), at0, round0),
			Error::<Test>::AlreadyEnacted
		);
		let at2 = H256::repeat_byte(2);
		let proof = parent(at2, &[other, (parent_state::election_key(THIS), election(2).encode())]);
		let info = Inbox::enact_election(RuntimeOrigin::signed(RELAY), at2, proof.clone()).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_last_event(Event::ElectionEnacted { round: 2 }.into());
		assert_eq!(applied(), vec![Decision::Enact(election(2))]);
		assert_eq!(LastConfirmation::<Test>::get(), Some(40));
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), at2, proof),
			Error::<Test>::AlreadyEnacted
		);
		// A newer round confirmed at the same parent block was not confirmed after it.
		let at5 = H256::repeat_byte(5);
		let same_block = parent(at5, &[(parent_state::election_key(THIS), election(3).encode())]);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), at5, same_block),
			Error::<Test>::AlreadyEnacted
		);
		let garbage = H256::repeat_byte(3);
		let proof = parent(garbage, &[(parent_state::election_key(THIS), vec![1])]);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), garbage, proof),
			Error::<Test>::UndecodableEntry
		);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), H256::repeat_byte(7), vec![]),
			Error::<Test>::UnknownParentHeader
		);
	});
}

#[test]
fn a_confirmation_that_cannot_be_enacted_is_taken_once_with_its_refusal() {
	build_and_execute(|| {
		let at = H256::repeat_byte(2);
		let proof = parent(at, &[(parent_state::election_key(THIS), confirmed(2, 40).encode())]);
		// (An error whose text survives the event's encoding.)
		fail_with(Some(DispatchError::Unavailable));
		let info = Inbox::enact_election(RuntimeOrigin::signed(RELAY), at, proof.clone()).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_last_event(
			Event::ElectionNotEnacted { round: 2, error: DispatchError::Unavailable }.into(),
		);
		assert_eq!(applied(), vec![]);
		assert_eq!(LastConfirmation::<Test>::get(), Some(40));
		// Not again, even once it could be enacted: the relay does not retry it forever.
		fail_with(None);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), at, proof),
			Error::<Test>::AlreadyEnacted
		);
		// The next confirmation is taken.
		let later = H256::repeat_byte(3);
		let proof = parent(later, &[(parent_state::election_key(THIS), confirmed(2, 41).encode())]);
		assert_ok!(Inbox::enact_election(RuntimeOrigin::signed(RELAY), later, proof));
		assert_eq!(applied(), vec![Decision::Enact(confirmed(2, 41))]);
	});
}

#[test]
fn a_reelection_request_opens_one_round() {
	build_and_execute(|| {
		let key = parent_state::reelection_key(THIS);
		let none = parent(AT, &[(parent_state::election_key(THIS), election(0).encode())]);
		assert_noop!(
			Inbox::request_election(RuntimeOrigin::signed(RELAY), AT, none),
			Error::<Test>::NoReelectionRequested
		);
		let at2 = H256::repeat_byte(2);
		let proof = parent(at2, &[(key.clone(), reelection(20, Some(7)).encode())]);
		let info =
			Inbox::request_election(RuntimeOrigin::signed(RELAY), at2, proof.clone()).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_last_event(
			Event::ElectionRequested { requested_at: 20, excluded: Some(7), result: Ok(()) }.into(),
		);
		assert_eq!(LastReelection::<Test>::get(), Some(20));
		// The same request, at a later header, is not acted on twice.
		assert_noop!(
			Inbox::request_election(RuntimeOrigin::signed(RELAY), at2, proof),
			Error::<Test>::AlreadyRequested
		);
		// A request the sub-chain cannot act on is still taken once, its refusal in the event.
		let at3 = H256::repeat_byte(3);
		let later = parent(at3, &[(key.clone(), reelection(35, None).encode())]);
		fail_with(Some(DispatchError::Exhausted));
		assert_ok!(Inbox::request_election(RuntimeOrigin::signed(RELAY), at3, later.clone()));
		System::assert_last_event(
			Event::ElectionRequested {
				requested_at: 35,
				excluded: None,
				result: Err(DispatchError::Exhausted),
			}
			.into(),
		);
		fail_with(None);
		assert_noop!(
			Inbox::request_election(RuntimeOrigin::signed(RELAY), at3, later),
			Error::<Test>::AlreadyRequested
		);
		let at5 = H256::repeat_byte(5);
		let next = parent(at5, &[(key.clone(), reelection(50, None).encode())]);
		assert_ok!(Inbox::request_election(RuntimeOrigin::signed(RELAY), at5, next));
		assert_eq!(applied(), vec![Decision::Reelect(Some(7)), Decision::Reelect(None)]);
		let at4 = H256::repeat_byte(4);
		let garbage = parent(at4, &[(key, vec![7])]);
		assert_noop!(
			Inbox::request_election(RuntimeOrigin::signed(RELAY), at4, garbage),
			Error::<Test>::UndecodableEntry
		);
	});
}

#[test]
fn a_request_withdrawn_by_a_later_confirmation_proves_nothing() {
	build_and_execute(|| {
		// An old parent header still shows the request of block 30 ...
		let old = H256::repeat_byte(2);
		let request =
			parent(old, &[(parent_state::reelection_key(THIS), reelection(30, Some(7)).encode())]);
		// ... which the confirmation of block 40 withdrew on the parent.
		let new = H256::repeat_byte(3);
		let confirmation =
			parent(new, &[(parent_state::election_key(THIS), confirmed(2, 40).encode())]);
		assert_ok!(Inbox::enact_election(RuntimeOrigin::signed(RELAY), new, confirmation));
		assert_noop!(
			Inbox::request_election(RuntimeOrigin::signed(RELAY), old, request),
			Error::<Test>::RequestWithdrawn
		);
		assert_eq!(applied(), vec![Decision::Enact(confirmed(2, 40))]);
	});
}
