//! Where the parent chain keeps what it tells its sub-chains: the storage keys a sub-chain
//! reads, through a storage proof against a finalized parent header, to act on the parent's
//! decisions.
//!
//! The keys follow FRAME's layout (`twox128(pallet) ++ twox128(item) ++ hashed keys`) with the
//! pallet names of the parent runtime; the parent runtime's tests check every key here against
//! its own storage items, so a renamed pallet or item fails there rather than in a proof.

use crate::{membership::Destination, SubchainId};
use alloc::vec::Vec;
use codec::Encode;
use sp_crypto_hashing::{twox_128, twox_64};

/// The parent runtime's name for the membership-voting pallet.
pub const MEMBERSHIP_PALLET: &[u8] = b"MembershipVoting";
/// The parent runtime's name for the biller-registry pallet.
pub const REGISTRY_PALLET: &[u8] = b"BillerRegistry";
/// The parent runtime's name for the sub-chain inbox pallet.
pub const SUBCHAIN_INBOX_PALLET: &[u8] = b"SubchainInbox";

pub(crate) fn prefix(pallet: &[u8], item: &[u8]) -> Vec<u8> {
	let mut key = Vec::with_capacity(32 + 64);
	key.extend_from_slice(&twox_128(pallet));
	key.extend_from_slice(&twox_128(item));
	key
}

pub(crate) fn twox64_concat(key: &mut Vec<u8>, part: &impl Encode) {
	let encoded = part.encode();
	key.extend_from_slice(&twox_64(&encoded));
	key.extend_from_slice(&encoded);
}

/// `MembershipVoting::Outbox(destination, nonce)`: the parent's message `nonce` for
/// `destination`.
pub fn outbox_key(destination: Destination, nonce: u64) -> Vec<u8> {
	let mut key = prefix(MEMBERSHIP_PALLET, b"Outbox");
	twox64_concat(&mut key, &destination);
	twox64_concat(&mut key, &nonce);
	key
}

/// `MembershipVoting::OutboxNonces(destination)`: the first unacknowledged and the next nonce
/// of `destination`'s messages.
pub fn outbox_nonces_key(destination: Destination) -> Vec<u8> {
	let mut key = prefix(MEMBERSHIP_PALLET, b"OutboxNonces");
	twox64_concat(&mut key, &destination);
	key
}

/// `BillerRegistry::Elections(subchain)`: the sub-chain's election the parent confirmed.
pub fn election_key(subchain: SubchainId) -> Vec<u8> {
	let mut key = prefix(REGISTRY_PALLET, b"Elections");
	twox64_concat(&mut key, &subchain);
	key
}

/// `BillerRegistry::Reelections(subchain)`: the parent's pending request for a new election.
pub fn reelection_key(subchain: SubchainId) -> Vec<u8> {
	let mut key = prefix(REGISTRY_PALLET, b"Reelections");
	twox64_concat(&mut key, &subchain);
	key
}

/// `SubchainInbox::NextNonce(subchain)`: the nonce of the next message the parent takes from
/// `subchain` (every earlier one was taken).
pub fn inbound_nonce_key(subchain: SubchainId) -> Vec<u8> {
	let mut key = prefix(SUBCHAIN_INBOX_PALLET, b"NextNonce");
	twox64_concat(&mut key, &subchain);
	key
}

/// `MembershipVoting::CounterForProposals`: how many proposals are open on the parent.
pub fn open_proposals_key() -> Vec<u8> {
	prefix(MEMBERSHIP_PALLET, b"CounterForProposals")
}

/// `BillerRegistry::DisputeCount(subchain)`: how many of `subchain`'s disputes are open on the
/// parent.
pub fn open_disputes_key(subchain: SubchainId) -> Vec<u8> {
	let mut key = prefix(REGISTRY_PALLET, b"DisputeCount");
	twox64_concat(&mut key, &subchain);
	key
}
