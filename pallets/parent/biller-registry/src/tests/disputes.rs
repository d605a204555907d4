//! Trade disputes: opened from a sub-chain's message, ruled by `DisputeOrigin`, the ruling sent
//! back through the outbox.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::DispatchError;

/// A dispute of 2 kWh between Alice (buyer) and Bob (seller), by `by`.
fn dispute(by: sp_keyring::Sr25519Keyring) -> DisputeOf<Test> {
	Dispute { by: acc(by), buyer: acc(Alice), seller: acc(Bob), energy_wh: 2_000, escrow: 500 }
}

#[test]
fn a_dispute_is_opened_ruled_and_the_ruling_sent_to_its_sub_chain() {
	build_and_execute(|| {
		assert_ok!(Registry::open_dispute(ONE, 7, &dispute(Bob)));
		System::assert_last_event(
			Event::<Test>::DisputeOpened { subchain: ONE, trade: 7, by: acc(Bob) }.into(),
		);
		assert_eq!(Disputes::<Test>::get(ONE, 7), Some(dispute(Bob)));
		assert_eq!(DisputeCount::<Test>::get(ONE), 1);
		// Trade ids are the sub-chain's: another sub-chain's trade 7 is another dispute.
		assert_ok!(Registry::open_dispute(TWO, 7, &dispute(Alice)));

		assert_ok!(Registry::rule_dispute(RuntimeOrigin::root(), ONE, 7, 1_500));
		System::assert_last_event(
			Event::<Test>::DisputeRuled { subchain: ONE, trade: 7, delivered_wh: 1_500, nonce: 0 }
				.into(),
		);
		assert_eq!(
			SENT.with(|s| s.borrow().clone()),
			vec![(Destination::Subchain(ONE), Message::Ruling { trade: 7, delivered_wh: 1_500 })]
		);
		assert!(!Disputes::<Test>::contains_key(ONE, 7));
		assert!(!DisputeCount::<Test>::contains_key(ONE));
		assert_eq!(DisputeCount::<Test>::get(TWO), 1);
		// Ruled once.
		assert_noop!(
			Registry::rule_dispute(RuntimeOrigin::root(), ONE, 7, 1_500),
			Error::<Test>::UnknownDispute
		);
		// The whole agreed energy may be ruled delivered.
		assert_ok!(Registry::rule_dispute(RuntimeOrigin::root(), TWO, 7, 2_000));
	});
}

#[test]
fn a_dispute_is_opened_once_by_a_party_of_a_known_sub_chain_with_room() {
	build_and_execute(|| {
		assert_noop!(
			Registry::open_dispute(SubchainId(9), 1, &dispute(Alice)),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(Registry::open_dispute(ONE, 1, &dispute(Charlie)), Error::<Test>::NotAParty);
		assert_ok!(Registry::open_dispute(ONE, 1, &dispute(Alice)));
		assert_noop!(Registry::open_dispute(ONE, 1, &dispute(Bob)), Error::<Test>::AlreadyDisputed);
		// `MaxDisputes` is 2 per sub-chain.
		assert!(Registry::has_dispute_room(ONE));
		assert_ok!(Registry::open_dispute(ONE, 2, &dispute(Alice)));
		assert!(!Registry::has_dispute_room(ONE));
		assert_noop!(
			Registry::open_dispute(ONE, 3, &dispute(Alice)),
			Error::<Test>::TooManyDisputes
		);
		assert!(Registry::has_dispute_room(TWO));
	});
}

#[test]
fn a_ruling_is_dispute_origins_within_the_agreed_energy_and_needs_the_outbox() {
	build_and_execute(|| {
		assert_ok!(Registry::open_dispute(ONE, 7, &dispute(Alice)));
		assert_noop!(
			Registry::rule_dispute(RuntimeOrigin::signed(acc(Alice)), ONE, 7, 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::rule_dispute(RuntimeOrigin::root(), ONE, 7, 2_001),
			Error::<Test>::ExceedsAgreed
		);
		assert_noop!(
			Registry::rule_dispute(RuntimeOrigin::root(), ONE, 8, 0),
			Error::<Test>::UnknownDispute
		);
		OUTBOX_FULL.with(|f| f.set(true));
		assert_noop!(
			Registry::rule_dispute(RuntimeOrigin::root(), ONE, 7, 0),
			DispatchError::Other("OutboxFull")
		);
		OUTBOX_FULL.with(|f| f.set(false));
		assert_ok!(Registry::rule_dispute(RuntimeOrigin::root(), ONE, 7, 0));
	});
}

#[test]
fn try_state_checks_the_dispute_count() {
	build_and_execute(|| {
		assert_ok!(Registry::open_dispute(ONE, 7, &dispute(Alice)));
		DisputeCount::<Test>::insert(ONE, 2);
		assert!(Registry::do_try_state().is_err());
		DisputeCount::<Test>::insert(ONE, 1);
		assert_ok!(Registry::do_try_state());
	});
}
