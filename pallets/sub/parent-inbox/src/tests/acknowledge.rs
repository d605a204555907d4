//! `acknowledge`: what the parent took leaves this chain's outbox.

use super::*;

#[test]
fn what_the_parent_took_leaves_the_outbox() {
	build_and_execute(|| {
		let taken = |n: u64| (parent_state::inbound_nonce_key(THIS), n.encode());
		// The parent took messages 0, 1 and 2 of this sub-chain.
		let proof = parent(AT, &[taken(3)]);
		let ack = Inbox::acknowledge(RuntimeOrigin::signed(RELAY), AT, proof).unwrap();
		assert_eq!(ack.pays_fee, Pays::No);
		assert_eq!(applied(), vec![Decision::Acknowledge(2)]);
		// Another sub-chain's count is not this one's.
		let other = H256::repeat_byte(2);
		let proof =
			parent(other, &[(parent_state::inbound_nonce_key(SubchainId(4)), 5u64.encode())]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), other, proof),
			Error::<Test>::NothingTaken
		);
		// Nothing taken yet, explicitly.
		let proof = parent(other, &[taken(0)]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), other, proof),
			Error::<Test>::NothingTaken
		);
	});
}

#[test]
fn an_acknowledgement_needs_a_proof_against_a_finalized_parent_header() {
	build_and_execute(|| {
		let entry = (parent_state::inbound_nonce_key(THIS), 3u64.encode());
		let proof = parent(AT, core::slice::from_ref(&entry));
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::none(), AT, proof.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), H256::repeat_byte(9), proof.clone()),
			Error::<Test>::UnknownParentHeader
		);
		// A forged count: the proof of another state.
		let (_, forged) = trie(&[(entry.0.clone(), 9u64.encode())]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), AT, forged),
			Error::<Test>::InvalidProof
		);
		let bad = H256::repeat_byte(5);
		let proof = parent(bad, &[(entry.0.clone(), vec![1u8])]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), bad, proof),
			Error::<Test>::UndecodableEntry
		);
		MaxNodes::set(0);
		let proof = parent(AT, &[entry]);
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), AT, proof),
			Error::<Test>::ProofTooLarge
		);
		MaxNodes::set(16);
		Id::set(SubchainId::default());
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), AT, Vec::new()),
			Error::<Test>::NoSubchainId
		);
		Id::set(THIS);
		// The outbox's own refusal (pruned already) comes back as is.
		let proof = parent(AT, &[(parent_state::inbound_nonce_key(THIS), 3u64.encode())]);
		fail_with(Some(DispatchError::Other("AlreadyAcknowledged")));
		assert_noop!(
			Inbox::acknowledge(RuntimeOrigin::signed(RELAY), AT, proof),
			DispatchError::Other("AlreadyAcknowledged")
		);
		fail_with(None);
		assert!(applied().is_empty());
	});
}
