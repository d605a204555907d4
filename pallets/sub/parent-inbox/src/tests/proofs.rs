//! What every call checks first: the proof, the parent header, the origin and the id.

use super::*;

#[test]
fn only_proofs_against_finalized_parent_headers_count() {
	build_and_execute(|| {
		let entries = [mine(0, &admit(10))];
		let (root, proof) = trie(&entries);
		// The header is not finalized (not known to the light client).
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()),
			Error::<Test>::UnknownParentHeader
		);
		// A forged state: a different message under the same key gives another root.
		let (_, forged) = trie(&[mine(0, &admit(66))]);
		finalize(AT, root);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, forged),
			Error::<Test>::InvalidProof
		);
		// An incomplete proof: without the leaf, the entry cannot be read.
		let (big_root, big) =
			trie(&[mine(0, &admit(10)), mine(1, &admit(11)), mine(2, &admit(12))]);
		let at2 = H256::repeat_byte(2);
		finalize(at2, big_root);
		let root_node_only: RawProof = big
			.iter()
			.filter(|node| sp_io::hashing::blake2_256(node) == big_root.0)
			.cloned()
			.collect();
		assert_eq!(root_node_only.len(), 1);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), at2, 0, root_node_only),
			Error::<Test>::InvalidProof
		);
		// Garbage where the message should be.
		let at3 = H256::repeat_byte(3);
		let garbage = parent(
			at3,
			&[(parent_state::outbox_key(Destination::Subchain(THIS), 0), vec![9, 9, 9])],
		);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), at3, 0, garbage),
			Error::<Test>::UndecodableEntry
		);
		// The honest proof goes through.
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof));
		assert_eq!(applied(), vec![Decision::Apply(admit(10))]);
	});
}

#[test]
fn proofs_are_bounded_and_calls_signed() {
	build_and_execute(|| {
		let proof = parent(AT, &[mine(0, &admit(10))]);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::root(), AT, 0, proof.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::none(), AT, 0, proof.clone()),
			DispatchError::BadOrigin
		);
		MaxProof::set(proof_size(&proof) - 1);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()),
			Error::<Test>::ProofTooLarge
		);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), AT, proof.clone()),
			Error::<Test>::ProofTooLarge
		);
		MaxProof::set(proof_size(&proof));
		MaxNodes::set(proof.len() as u32 - 1);
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()),
			Error::<Test>::ProofTooLarge
		);
		MaxNodes::set(proof.len() as u32);
		assert_ok!(Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof));
	});
}

#[test]
fn a_chain_without_an_id_takes_no_decision() {
	build_and_execute(|| {
		let proof = parent(AT, &[mine(0, &admit(10))]);
		Id::set(SubchainId::default());
		assert_noop!(
			Inbox::deliver(RuntimeOrigin::signed(RELAY), AT, 0, proof.clone()),
			Error::<Test>::NoSubchainId
		);
		assert_noop!(
			Inbox::enact_election(RuntimeOrigin::signed(RELAY), AT, proof.clone()),
			Error::<Test>::NoSubchainId
		);
		assert_noop!(
			Inbox::request_election(RuntimeOrigin::signed(RELAY), AT, proof),
			Error::<Test>::NoSubchainId
		);
	});
}

#[test]
fn try_state_refuses_decisions_without_an_id() {
	new_test_ext().execute_with(|| {
		Inbox::do_try_state().unwrap();
		NextNonce::<Test>::put(1);
		Inbox::do_try_state().unwrap();
		Id::set(SubchainId::default());
		assert!(Inbox::do_try_state().is_err());
	});
}
