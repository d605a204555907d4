//! `deliver`: the parent's messages, exactly once and in order.

use super::*;

#[test]
fn messages_are_delivered_once_and_in_order() {
	build_and_execute(|| {
		let entries = [mine(0, &admit(10)), mine(1, &remove(11)), mine(2, &admit(12))];
		let proof = parent(AT, &entries);

		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 1, proof.clone()),
			Error::<Test>::NonceGap
		);
		let info = Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		System::assert_last_event(
			Event::Delivered { nonce: 0, message: admit(10), result: Ok(()) }.into(),
		);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()),
			Error::<Test>::AlreadyDelivered
		);
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 1, proof.clone()));
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 2, proof.clone()));
		assert_eq!(NextNonce::<Test>::get(), 3);
		assert_eq!(
			applied(),
			vec![
				Decision::Apply(admit(10)),
				Decision::Apply(remove(11)),
				Decision::Apply(admit(12))
			]
		);
		// Nonce 3 is not in the parent's outbox (the proof shows its absence).
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 3, proof),
			Error::<Test>::MessageNotFound
		);
		Inbox::do_try_state().unwrap();
	});
}

#[test]
fn a_message_for_another_subchain_is_not_delivered_here() {
	build_and_execute(|| {
		let proof = parent(
			AT,
			&[
				outbox(Destination::Subchain(SubchainId(4)), 0, &admit(10)),
				outbox(Destination::Parent, 0, &admit(10)),
			],
		);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof),
			Error::<Test>::MessageNotFound
		);
		assert!(applied().is_empty());
	});
}

#[test]
fn a_message_the_sub_chain_cannot_carry_out_in_this_block_waits() {
	build_and_execute(|| {
		let ruling = Message::Ruling { trade: 3, delivered_wh: 1_000 };
		let proof = parent(AT, &[mine(0, &ruling)]);
		Room::set(false);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()),
			Error::<Test>::SubchainBusy
		);
		Room::set(true);
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof));
		assert_eq!(applied(), vec![Decision::Apply(ruling)]);
	});
}

#[test]
fn a_message_that_cannot_be_carried_out_is_still_delivered() {
	build_and_execute(|| {
		let proof = parent(AT, &[mine(0, &admit(10)), mine(1, &admit(12))]);
		fail_with(Some(TokenError::FundsUnavailable.into()));
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()));
		System::assert_last_event(
			Event::Delivered {
				nonce: 0,
				message: admit(10),
				result: Err(DispatchError::Token(TokenError::FundsUnavailable)),
			}
			.into(),
		);
		fail_with(None);
		// The next one is not held up.
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 1, proof));
		assert_eq!(applied(), vec![Decision::Apply(admit(12))]);
	});
}

#[test]
fn a_decision_that_fails_leaves_nothing_half_done() {
	build_and_execute(|| {
		let proof = parent(AT, &[mine(0, &admit(10))]);
		fail_with(Some(DispatchError::Other("half")));
		HALF_DONE.with(|h| *h.borrow_mut() = true);
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof));
		assert_eq!(frame_support::storage::unhashed::get::<u32>(b"half-done"), None);
		assert_eq!(NextNonce::<Test>::get(), 1);
	});
}
