//! Aura seals of sub-chain headers, and the proof that one author sealed two blocks for one
//! slot.
//!
//! A sub-chain block carries its slot in a `PreRuntime(*b"aura", slot)` digest item and, last,
//! a `Seal(*b"aura", signature)` item: the sr25519 signature of the slot's author over the hash
//! of the header without the seal. Aura gives each slot one author and each author one block
//! per slot: an author that seals two different headers for one slot equivocates (it offers
//! the network two forks, as two processes running one key do). The headers must differ in
//! what the author signed (the header without its seal): a seal is read strictly (64 bytes,
//! nothing after them), so no one but the author can turn one sealed header into two. The two sealed headers prove
//! it by themselves, against the author's public key, with no chain state: this is what the
//! parent checks in `billerRegistry.reportSealEquivocation`.

use crate::Header;
use codec::{DecodeAll, Encode};
use sp_core::{sr25519, H256};
use sp_runtime::{
	generic::DigestItem,
	traits::{Header as _, Verify},
	ConsensusEngineId,
};

/// Aura's consensus engine id, in the slot's pre-runtime item and in the seal.
pub const AURA_ENGINE_ID: ConsensusEngineId = *b"aura";

/// Aura's key type, under which a sub-chain's key-ownership index keeps authors' keys.
pub const AURA_KEY_TYPE: [u8; 4] = *b"aura";

/// Why two headers are no proof of a seal equivocation.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum SealError {
	/// A header's digest has no (decodable) Aura slot.
	NoSlot,
	/// A header's last digest item is not a (decodable) Aura seal.
	NoSeal,
	/// A seal is not the key's signature of its header.
	BadSeal,
	/// The headers are for different slots.
	DifferentSlots,
	/// The two headers are one block: the same but for the seal.
	SameBlock,
}

/// The Aura slot of `header`, from its pre-runtime digest item.
pub fn slot(header: &Header) -> Option<u64> {
	header.digest().logs().iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == AURA_ENGINE_ID => {
			u64::decode_all(&mut &data[..]).ok()
		}
		_ => None,
	})
}

/// The hash `header`'s author signed (the header without its seal) and the seal's signature.
pub fn unsealed(header: &Header) -> Result<(H256, sr25519::Signature), SealError> {
	let mut unsealed = header.clone();
	match unsealed.digest_mut().pop() {
		Some(DigestItem::Seal(id, data)) if id == AURA_ENGINE_ID => {
			// All of it: a seal with bytes after the signature would be another header
			// with the same signature, made by anyone.
			let signature =
				sr25519::Signature::decode_all(&mut &data[..]).map_err(|_| SealError::NoSeal)?;
			Ok((unsealed.hash(), signature))
		}
		_ => Err(SealError::NoSeal),
	}
}

/// Checks that `header` is sealed by `author`; returns its slot.
pub fn sealed_by(header: &Header, author: &sr25519::Public) -> Result<u64, SealError> {
	let slot = slot(header).ok_or(SealError::NoSlot)?;
	let (pre_hash, signature) = unsealed(header)?;
	signature.verify(pre_hash.as_ref(), author).then_some(slot).ok_or(SealError::BadSeal)
}

/// Checks that `first` and `second` are two different blocks `author` sealed for one slot;
/// returns the slot.
pub fn check_equivocation(
	first: &Header,
	second: &Header,
	author: &sr25519::Public,
) -> Result<u64, SealError> {
	let slot = sealed_by(first, author)?;
	if sealed_by(second, author)? != slot {
		return Err(SealError::DifferentSlots);
	}
	// What the author signed must differ: the seal is no part of what it vouches for.
	if unsealed(first)?.0 == unsealed(second)?.0 {
		return Err(SealError::SameBlock);
	}
	Ok(slot)
}

/// Appends to `header` the Aura seal `sign` makes over its hash (the way an author seals a
/// block). For tests and benchmarks that build sub-chain headers.
pub fn seal(header: &mut Header, sign: impl FnOnce(&[u8]) -> sr25519::Signature) {
	let signature = sign(header.hash().as_ref());
	header.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, signature.encode()));
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::Pair;
	use sp_runtime::generic::Digest;

	fn header(slot: u64, state: u8) -> Header {
		let mut digest = Digest::default();
		digest.push(DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode()));
		Header::new(5, H256::repeat_byte(1), H256::repeat_byte(state), H256::repeat_byte(3), digest)
	}

	fn sealed(slot: u64, state: u8, by: &sr25519::Pair) -> Header {
		let mut header = header(slot, state);
		seal(&mut header, |hash| by.sign(hash));
		header
	}

	#[test]
	fn two_blocks_one_author_sealed_for_one_slot_are_an_equivocation() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let (first, second) = (sealed(7, 2, &alice), sealed(7, 9, &alice));
		assert_eq!(check_equivocation(&first, &second, &alice.public()), Ok(7));
		assert_eq!(check_equivocation(&second, &first, &alice.public()), Ok(7));
		assert_eq!(sealed_by(&first, &alice.public()), Ok(7));
	}

	#[test]
	fn anything_else_is_refused_by_name() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
		let first = sealed(7, 2, &alice);
		// Another key's seal, or the key of someone who did not seal.
		let by_bob = sealed(7, 9, &bob);
		assert_eq!(check_equivocation(&first, &by_bob, &alice.public()), Err(SealError::BadSeal));
		assert_eq!(check_equivocation(&first, &first, &bob.public()), Err(SealError::BadSeal));
		// Two slots.
		let later = sealed(8, 9, &alice);
		assert_eq!(
			check_equivocation(&first, &later, &alice.public()),
			Err(SealError::DifferentSlots)
		);
		// One header twice, or sealed twice: one block.
		assert_eq!(check_equivocation(&first, &first, &alice.public()), Err(SealError::SameBlock));
		let again = sealed(7, 2, &alice);
		assert_ne!(first, again, "two signatures of one hash differ");
		assert_eq!(check_equivocation(&first, &again, &alice.public()), Err(SealError::SameBlock));
		// A byte after the signature makes another header, but no seal.
		let mut padded = first.clone();
		if let Some(DigestItem::Seal(_, data)) = padded.digest_mut().logs.last_mut() {
			data.push(0);
		}
		assert_ne!(padded.hash(), first.hash());
		assert_eq!(check_equivocation(&first, &padded, &alice.public()), Err(SealError::NoSeal));
		// A changed header no longer matches its seal.
		let mut changed = first.clone();
		changed.set_state_root(H256::repeat_byte(9));
		assert_eq!(check_equivocation(&first, &changed, &alice.public()), Err(SealError::BadSeal));
		// No seal, no slot, a seal that is not last.
		assert_eq!(
			check_equivocation(&first, &header(7, 9), &alice.public()),
			Err(SealError::NoSeal)
		);
		let mut no_slot =
			Header::new(5, H256::zero(), H256::zero(), H256::zero(), Default::default());
		seal(&mut no_slot, |hash| alice.sign(hash));
		assert_eq!(check_equivocation(&no_slot, &first, &alice.public()), Err(SealError::NoSlot));
		let mut late = sealed(7, 9, &alice);
		late.digest_mut().push(DigestItem::Other(vec![1]));
		assert_eq!(check_equivocation(&first, &late, &alice.public()), Err(SealError::NoSeal));
	}
}
