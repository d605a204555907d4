//! Who sealed a sub-chain header: the Aura author of its slot, among the sub-chain's Aura
//! authorities of its parent block's state.
//!
//! A sub-chain block carries its slot in a `PreRuntime(*b"aura", slot)` digest item and, last,
//! a `Seal(*b"aura", signature)` item: the sr25519 signature of the slot's author over the hash
//! of the header without the seal. The author of slot `s` is `authorities[s % len]`, read from
//! `Aura::Authorities` in the state of the parent block (its post-state decides the next
//! block's authors). The parent chain checks anchored headers this way, the authorities proven
//! against the state root of the sub-chain block it anchored before.

use crate::{parent_state::prefix, Header};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_core::sr25519;
use sp_runtime::{
	generic::DigestItem,
	traits::{Header as _, Verify},
	ConsensusEngineId,
};

/// Aura's consensus engine id, in the slot's pre-runtime item and in the seal.
pub const AURA_ENGINE_ID: ConsensusEngineId = *b"aura";

/// The sub-chain runtime's name for the Aura pallet.
pub const AURA_PALLET: &[u8] = b"Aura";

/// `Aura::Authorities`: the sub-chain's block authors, in slot order.
pub fn aura_authorities_key() -> Vec<u8> {
	prefix(AURA_PALLET, b"Authorities")
}

/// Why a header's seal is not its slot author's.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum SealError {
	/// The digest has no (decodable) Aura slot.
	NoSlot,
	/// The last digest item is not a (decodable) Aura seal.
	NoSeal,
	/// There are no authorities to author the slot.
	NoAuthorities,
	/// The seal is not the slot author's signature of the header.
	BadSeal,
}

/// The Aura slot of `header`, from its pre-runtime digest item.
pub fn slot(header: &Header) -> Option<u64> {
	header.digest().logs().iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == AURA_ENGINE_ID => {
			u64::decode(&mut &data[..]).ok()
		}
		_ => None,
	})
}

/// Checks that `header` is sealed by the author of its slot among `authorities`; returns the
/// author.
pub fn verify(
	header: &Header,
	authorities: &[sr25519::Public],
) -> Result<sr25519::Public, SealError> {
	let slot = slot(header).ok_or(SealError::NoSlot)?;
	let mut unsealed = header.clone();
	let signature = match unsealed.digest_mut().pop() {
		Some(DigestItem::Seal(id, data)) if id == AURA_ENGINE_ID => {
			sr25519::Signature::decode(&mut &data[..]).map_err(|_| SealError::NoSeal)?
		}
		_ => return Err(SealError::NoSeal),
	};
	let len = authorities.len() as u64;
	let index = slot.checked_rem(len).ok_or(SealError::NoAuthorities)?;
	let author = authorities[index as usize];
	let pre_hash = unsealed.hash();
	signature.verify(pre_hash.as_ref(), &author).then_some(author).ok_or(SealError::BadSeal)
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
	use sp_core::{Pair, H256};
	use sp_runtime::generic::Digest;

	fn header(slot: u64) -> Header {
		let mut digest = Digest::default();
		digest.push(DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode()));
		Header::new(5, H256::repeat_byte(1), H256::repeat_byte(2), H256::repeat_byte(3), digest)
	}

	#[test]
	fn only_the_slot_author_seals() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
		let authorities = [alice.public(), bob.public()];
		// Slot 4: Alice's turn; slot 5: Bob's.
		let mut sealed = header(4);
		seal(&mut sealed, |hash| alice.sign(hash));
		assert_eq!(verify(&sealed, &authorities), Ok(alice.public()));
		let mut wrong = header(5);
		seal(&mut wrong, |hash| alice.sign(hash));
		assert_eq!(verify(&wrong, &authorities), Err(SealError::BadSeal));
		let mut by_bob = header(5);
		seal(&mut by_bob, |hash| bob.sign(hash));
		assert_eq!(verify(&by_bob, &authorities), Ok(bob.public()));

		// A changed header no longer matches its seal.
		let mut changed = sealed.clone();
		changed.set_state_root(H256::repeat_byte(9));
		assert_eq!(verify(&changed, &authorities), Err(SealError::BadSeal));
		// No seal, no slot, no authorities.
		assert_eq!(verify(&header(4), &authorities), Err(SealError::NoSeal));
		let mut no_slot =
			Header::new(5, H256::zero(), H256::zero(), H256::zero(), Default::default());
		seal(&mut no_slot, |hash| alice.sign(hash));
		assert_eq!(verify(&no_slot, &authorities), Err(SealError::NoSlot));
		assert_eq!(verify(&sealed, &[]), Err(SealError::NoAuthorities));
		// A seal that is not last is not the seal.
		let mut late = sealed.clone();
		late.digest_mut().push(DigestItem::Other(vec![1]));
		assert_eq!(verify(&late, &authorities), Err(SealError::NoSeal));
	}
}
