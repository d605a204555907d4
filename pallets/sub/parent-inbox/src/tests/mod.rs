//! Unit tests, by call; the helpers here build the parent's state and its proofs.

mod acknowledge;
mod elections;
mod forced;
mod messages;
mod proofs;

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
	ConfirmedElection {
		round,
		committee: vec![7, 8].try_into().unwrap(),
		voters: Default::default(),
		confirmed_at,
	}
}

fn reelection(
	requested_at: ParentBlockNumber,
	excluded: Option<AccountId>,
) -> Reelection<AccountId, ParentBlockNumber> {
	Reelection { reason: ReelectionReason::Requested, excluded, requested_at }
}
