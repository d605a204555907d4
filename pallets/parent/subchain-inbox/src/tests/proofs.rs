//! What the proofs are checked against: an anchored state, and the sub-chain's keys.

use super::*;

#[test]
fn a_message_is_read_only_from_an_anchored_state_with_a_valid_proof() {
	build_and_execute(|| {
		let entry = outbox(0, &approved(join(10)));
		let proof = sub(ONE, AT, core::slice::from_ref(&entry));
		assert_noop!(
			Inbox::receive(RuntimeOrigin::none(), ONE, AT, 0, proof.clone()),
			DispatchError::BadOrigin
		);
		// Not anchored (or another sub-chain's block).
		assert_noop!(receive(ONE, AT + 1, 0, proof.clone()), Error::<Test>::UnknownAnchor);
		assert_noop!(receive(TWO, AT, 0, proof.clone()), Error::<Test>::UnknownAnchor);
		// A forged message: a proof of another state.
		let (_, forged) = trie(&[outbox(0, &approved(join(66)))]);
		assert_noop!(receive(ONE, AT, 0, forged), Error::<Test>::InvalidProof);
		// An incomplete proof.
		assert_noop!(receive(ONE, AT, 0, Vec::new()), Error::<Test>::InvalidProof);
		let bad = sub(ONE, AT + 2, &[(entry.0.clone(), vec![9u8])]);
		assert_noop!(receive(ONE, AT + 2, 0, bad), Error::<Test>::UndecodableEntry);
		MaxNodes::set(0);
		assert_noop!(receive(ONE, AT, 0, proof.clone()), Error::<Test>::ProofTooLarge);
		MaxNodes::set(16);
		MaxProof::set(proof_size(&proof) - 1);
		assert_noop!(receive(ONE, AT, 0, proof.clone()), Error::<Test>::ProofTooLarge);
		MaxProof::set(proof_size(&proof));
		assert_ok!(receive(ONE, AT, 0, proof));
		assert_eq!(taken(), vec![Decision::Import(join(10))]);
	});
}

#[test]
fn the_keys_are_the_sub_chains_outbox_for_the_parent() {
	// The parent's messages for a sub-chain are another outbox entry: a proof of one is not a
	// proof of the other.
	assert_ne!(
		subchain_state::outbox_key(0),
		dbm_primitives::parent_state::outbox_key(Destination::Subchain(ONE), 0)
	);
}
