//! The outbox: acknowledgements, and other pallets' messages.

use super::*;

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
