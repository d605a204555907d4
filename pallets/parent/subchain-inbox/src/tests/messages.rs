//! `receive`: the sub-chains' messages, exactly once and in order.

use super::*;

#[test]
fn approved_proposals_are_taken_once_and_in_order() {
	build_and_execute(|| {
		member(20, ONE);
		let messages = [approved(join(10)), approved(kick(20)), approved(join(11))];
		let entries: Vec<_> =
			messages.iter().enumerate().map(|(n, m)| outbox(n as u64, m)).collect();
		let proof = sub(ONE, AT, &entries);
		// Not before the ones before it.
		assert_noop!(receive(ONE, AT, 1, proof.clone()), Error::<Test>::NonceGap);
		let taken0 = receive(ONE, AT, 0, proof.clone()).unwrap();
		assert_eq!(taken0.pays_fee, Pays::No);
		received(ONE, 0, messages[0].clone(), Ok(()));
		// Not twice.
		assert_noop!(receive(ONE, AT, 0, proof.clone()), Error::<Test>::AlreadyReceived);
		assert_ok!(receive(ONE, AT, 1, proof.clone()));
		assert_ok!(receive(ONE, AT, 2, proof.clone()));
		assert_noop!(receive(ONE, AT, 3, proof), Error::<Test>::MessageNotFound);
		assert_eq!(
			taken(),
			vec![
				Decision::Import(join(10)),
				Decision::Import(kick(20)),
				Decision::Import(join(11))
			]
		);
		assert_eq!(NextNonce::<Test>::get(ONE), 3);
		// Each sub-chain has its own nonces.
		assert_eq!(NextNonce::<Test>::get(TWO), 0);
		let proof = sub(TWO, 4, &[outbox(0, &approved(join(12)))]);
		assert_ok!(receive(TWO, 4, 0, proof));
		assert_eq!(NextNonce::<Test>::get(TWO), 1);
	});
}

#[test]
fn a_busy_parent_keeps_the_message_waiting() {
	build_and_execute(|| {
		let proof = sub(ONE, AT, &[outbox(0, &approved(join(10)))]);
		Room::set(false);
		assert_noop!(receive(ONE, AT, 0, proof.clone()), Error::<Test>::ParentBusy);
		Room::set(true);
		assert_ok!(receive(ONE, AT, 0, proof));
		assert_eq!(taken(), vec![Decision::Import(join(10))]);
	});
}

#[test]
fn a_dispute_is_opened_for_the_parents_ruling_when_there_is_room() {
	build_and_execute(|| {
		let dispute = Dispute { by: 10, buyer: 10, seller: 11, energy_wh: 2_000, escrow: 500 };
		let message = Message::Dispute { trade: 7, dispute: dispute.clone() };
		let proof = sub(ONE, AT, &[outbox(0, &message)]);
		// A full parent for disputes keeps it waiting; proposals are another matter.
		DisputeRoom::set(false);
		assert_noop!(receive(ONE, AT, 0, proof.clone()), Error::<Test>::ParentBusy);
		DisputeRoom::set(true);
		Room::set(false);
		assert_ok!(receive(ONE, AT, 0, proof));
		received(ONE, 0, message, Ok(()));
		assert_eq!(taken(), vec![Decision::Dispute(ONE, 7, dispute.clone())]);
		// One the parent refuses is taken with its refusal.
		let again = Message::Dispute { trade: 7, dispute };
		let proof = sub(ONE, AT + 1, &[outbox(1, &again)]);
		fail_with(Some(DispatchError::CannotLookup));
		assert_ok!(receive(ONE, AT + 1, 1, proof));
		received(ONE, 1, again, Err(DispatchError::CannotLookup));
		assert_eq!(NextNonce::<Test>::get(ONE), 2);
	});
}

#[test]
fn a_refused_message_is_taken_with_its_refusal_and_leaves_nothing_half_done() {
	build_and_execute(|| {
		member(20, TWO);
		let messages = [
			// Sub-chain 1 may not kick sub-chain 2's member, nor suspend a stranger.
			approved(kick(20)),
			approved(Proposal::Suspend { member: 21, reason: Reason::FalseInformation }),
			// Only approvals go to the parent.
			Message::Remove { who: 22, reason: Reason::Misconduct },
			// The parent's own refusal.
			approved(join(23)),
			approved(join(24)),
		];
		let entries: Vec<_> =
			messages.iter().enumerate().map(|(n, m)| outbox(n as u64, m)).collect();
		let proof = sub(ONE, AT, &entries);
		for nonce in 0..3 {
			assert_ok!(receive(ONE, AT, nonce, proof.clone()));
		}
		received(ONE, 0, messages[0].clone(), Err(Error::<Test>::NotItsMember.into()));
		received(ONE, 1, messages[1].clone(), Err(Error::<Test>::NotItsMember.into()));
		received(ONE, 2, messages[2].clone(), Err(Error::<Test>::NotForTheParent.into()));
		fail_with(Some(DispatchError::CannotLookup));
		HALF_DONE.with(|h| *h.borrow_mut() = true);
		assert_ok!(receive(ONE, AT, 3, proof.clone()));
		received(ONE, 3, messages[3].clone(), Err(DispatchError::CannotLookup));
		assert_eq!(frame_support::storage::unhashed::get::<u32>(b"half-done"), None);
		// The next one is not held up.
		fail_with(None);
		HALF_DONE.with(|h| *h.borrow_mut() = false);
		assert_ok!(receive(ONE, AT, 4, proof));
		assert_eq!(taken(), vec![Decision::Import(join(24))]);
		assert_eq!(NextNonce::<Test>::get(ONE), 5);
	});
}
