use crate::{mock::*, *};
use codec::Encode;
use dbm_primitives::{
	membership::{Application, Destination, Reason, Role},
	proof::trie,
	subchain_state,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchResultWithPostInfo, Pays},
};
use sp_runtime::DispatchError;

/// The anchored block the tests prove against.
const AT: SubchainBlockNumber = 10;

fn join(candidate: AccountId) -> Proposal<AccountId> {
	let application = Application {
		role: Role::Consumer,
		attested: Default::default(),
		capacity_w: 0,
		area: Default::default(),
	};
	Proposal::Join { candidate, application }
}

fn kick(member: AccountId) -> Proposal<AccountId> {
	Proposal::Kick { member, reason: Reason::Misconduct }
}

fn approved(proposal: Proposal<AccountId>) -> Message<AccountId, Balance> {
	Message::Approved { proposal }
}

fn outbox(nonce: u64, message: &Message<AccountId, Balance>) -> (Vec<u8>, Vec<u8>) {
	(subchain_state::outbox_key(nonce), message.encode())
}

/// `subchain`'s anchored block `number` whose state holds `entries`; the proof of all of it.
fn sub(
	subchain: SubchainId,
	number: SubchainBlockNumber,
	entries: &[(Vec<u8>, Vec<u8>)],
) -> RawProof {
	let (root, proof) = trie(entries);
	anchor(subchain, number, root);
	proof
}

fn receive(
	subchain: SubchainId,
	number: SubchainBlockNumber,
	nonce: u64,
	proof: RawProof,
) -> DispatchResultWithPostInfo {
	Inbox::receive(RuntimeOrigin::signed(RELAY), subchain, number, nonce, proof)
}

fn received(
	subchain: SubchainId,
	nonce: u64,
	message: Message<AccountId, Balance>,
	result: DispatchResult,
) {
	System::assert_has_event(Event::<Test>::Received { subchain, nonce, message, result }.into());
}

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

#[test]
fn the_keys_are_the_sub_chains_outbox_for_the_parent() {
	// The parent's messages for a sub-chain are another outbox entry: a proof of one is not a
	// proof of the other.
	assert_ne!(
		subchain_state::outbox_key(0),
		dbm_primitives::parent_state::outbox_key(Destination::Subchain(ONE), 0)
	);
}

#[test]
fn try_state_refuses_entries_of_unknown_sub_chains() {
	new_test_ext().execute_with(|| {
		Inbox::do_try_state().unwrap();
		NextNonce::<Test>::insert(ONE, 1);
		Inbox::do_try_state().unwrap();
		NextNonce::<Test>::insert(SubchainId(9), 1);
		assert!(Inbox::do_try_state().is_err());
		NextNonce::<Test>::remove(SubchainId(9));
		NextNonce::<Test>::insert(TWO, 0);
		assert!(Inbox::do_try_state().is_err());
	});
}
