//! Where a sub-chain keeps what it tells the parent chain: the storage keys the parent reads,
//! through a storage proof against the state root of an anchored sub-chain header, to act on
//! the sub-chain's decisions.
//!
//! The keys follow FRAME's layout with the pallet names of the sub-chain runtime; the
//! sub-chain runtime's tests check every key here against its own storage items.

use crate::{
	membership::Destination,
	parent_state::{prefix, twox64_concat},
};
use alloc::vec::Vec;

/// The sub-chain runtime's name for the membership-voting pallet.
pub const MEMBERSHIP_PALLET: &[u8] = b"MembershipVoting";
/// The sub-chain runtime's name for the parent-inbox pallet.
pub const PARENT_INBOX_PALLET: &[u8] = b"ParentInbox";

/// `MembershipVoting::Outbox(Parent, nonce)`: the sub-chain's message `nonce` for the parent.
pub fn outbox_key(nonce: u64) -> Vec<u8> {
	let mut key = prefix(MEMBERSHIP_PALLET, b"Outbox");
	twox64_concat(&mut key, &Destination::Parent);
	twox64_concat(&mut key, &nonce);
	key
}

/// `MembershipVoting::OutboxNonces(Parent)`: the first unacknowledged and the next nonce of
/// the sub-chain's messages for the parent.
pub fn outbox_nonces_key() -> Vec<u8> {
	let mut key = prefix(MEMBERSHIP_PALLET, b"OutboxNonces");
	twox64_concat(&mut key, &Destination::Parent);
	key
}

/// The sub-chain runtime's name for the DBSCA pallet.
pub const DBSCA_PALLET: &[u8] = b"Dbsca";

/// `Dbsca::KeyOwner((aura, key))`: the account that registered `key` as its Aura key (the key
/// it seals blocks with).
pub fn aura_key_owner_key(key: &sp_core::sr25519::Public) -> Vec<u8> {
	let mut item = prefix(DBSCA_PALLET, b"KeyOwner");
	twox64_concat(&mut item, &(crate::seal::AURA_KEY_TYPE, key.0.to_vec()));
	item
}

/// `ParentInbox::NextNonce`: the nonce of the next parent message the sub-chain takes (every
/// earlier one was delivered).
pub fn delivered_nonce_key() -> Vec<u8> {
	prefix(PARENT_INBOX_PALLET, b"NextNonce")
}
