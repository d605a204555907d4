//! Unit tests, by topic; the helpers here build a sub-chain's anchored state and its proofs.

mod acknowledge;
mod invariants;
mod messages;
mod proofs;

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
