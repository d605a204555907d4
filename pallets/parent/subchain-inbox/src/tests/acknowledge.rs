//! `acknowledge`: what a sub-chain took leaves the parent's outbox.

use super::*;

#[test]
fn what_the_sub_chain_took_leaves_the_parents_outbox() {
	build_and_execute(|| {
		let delivered = |n: u64| (subchain_state::delivered_nonce_key(), n.encode());
		let proof = sub(ONE, AT, &[delivered(4)]);
		let ack = Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT, proof.clone()).unwrap();
		assert_eq!(ack.pays_fee, Pays::No);
		assert_eq!(taken(), vec![Decision::Acknowledge(ONE, 3)]);
		// The outbox's own refusal comes back as is.
		fail_with(Some(DispatchError::Other("AlreadyAcknowledged")));
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT, proof.clone()),
			DispatchError::Other("AlreadyAcknowledged")
		);
		fail_with(None);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::none(), ONE, AT, proof.clone()),
			DispatchError::BadOrigin
		);
		// Pruning what the parent decided is not open to anyone.
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY + 1), ONE, AT, proof.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), TWO, AT, proof),
			Error::<Test>::UnknownAnchor
		);
		// Nothing delivered: no entry, or zero.
		for entries in [vec![], vec![delivered(0)]] {
			let proof = sub(ONE, AT + 1, &entries);
			assert_noop!(
				Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT + 1, proof),
				Error::<Test>::NothingDelivered
			);
		}
		let (_, forged) = trie(&[delivered(9)]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT, forged),
			Error::<Test>::InvalidProof
		);
		let bad = sub(ONE, AT + 2, &[(subchain_state::delivered_nonce_key(), vec![1u8])]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT + 2, bad),
			Error::<Test>::UndecodableEntry
		);
		MaxNodes::set(0);
		let proof = sub(ONE, AT, &[delivered(4)]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT, proof),
			Error::<Test>::ProofTooLarge
		);
		MaxNodes::set(16);
		let proof = sub(ONE, AT, &[delivered(4)]);
		MaxProof::set(proof_size(&proof) - 1);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), ONE, AT, proof),
			Error::<Test>::ProofTooLarge
		);
		MaxProof::set(64 * 1024);
		assert_eq!(taken(), vec![Decision::Acknowledge(ONE, 3)]);
	});
}
