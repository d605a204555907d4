use crate::{mock::*, *};
use codec::Encode;
use dbm_primitives::proof::trie;
use dbm_primitives::{
	dbsca::NodeAttributes,
	membership::{MemberInfo, Reason, Role},
	parent_state,
	registry::ReelectionReason,
};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_runtime::{DispatchError, TokenError};

const AT: H256 = H256::repeat_byte(1);

fn admit(who: AccountId) -> Message<AccountId, Balance> {
	let info =
		MemberInfo { role: Role::Generator, attested: NodeAttributes::default(), suspended: false };
	Message::Admit { who, info, endowment: 1_000 }
}

fn remove(who: AccountId) -> Message<AccountId, Balance> {
	Message::Remove { who, reason: Reason::Misconduct }
}

fn outbox(
	destination: Destination,
	nonce: u64,
	message: &Message<AccountId, Balance>,
) -> (Vec<u8>, Vec<u8>) {
	(parent_state::outbox_key(destination, nonce), message.encode())
}

/// A finalized parent header `hash` whose state holds `entries`; the proof of all of it.
fn parent(hash: H256, entries: &[(Vec<u8>, Vec<u8>)]) -> RawProof {
	let (root, proof) = trie(entries);
	finalize(hash, root);
	proof
}

fn mine(nonce: u64, message: &Message<AccountId, Balance>) -> (Vec<u8>, Vec<u8>) {
	outbox(Destination::Subchain(THIS), nonce, message)
}

fn election(round: u32) -> ConfirmedElection<AccountId, ParentBlockNumber> {
	confirmed(round, 40)
}

fn confirmed(
	round: u32,
	confirmed_at: ParentBlockNumber,
) -> ConfirmedElection<AccountId, ParentBlockNumber> {
	ConfirmedElection { round, committee: vec![7, 8].try_into().unwrap(), confirmed_at }
}

fn reelection(
	requested_at: ParentBlockNumber,
	excluded: Option<AccountId>,
) -> Reelection<AccountId, ParentBlockNumber> {
	Reelection { reason: ReelectionReason::Silence, excluded, requested_at }
}

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
