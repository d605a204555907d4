//! Seal equivocations: a sub-chain block author that sealed two blocks for one slot, to the
//! parent's registry.
//!
//! The relay's node imports every block it hears of, forks included. A watcher ([`watch`])
//! notes each imported header's Aura slot and author (the slot's author among
//! `Aura::Authorities` of its parent block's state) in a [`SlotBook`] of recent slots. A second
//! block sealed for a slot by the same author is an equivocation: Aura gives an author one
//! block per slot, and two processes running one key (an operator's careless backup) make two.
//! The relay sends the two headers to `billerRegistry.reportSealEquivocation` with a storage
//! proof, against the parent's last anchor, of whose key it is (`Dbsca::KeyOwner`); the parent
//! checks both seals and suspends that member, which the sub-chain then takes out of its
//! committee. A report sent, or refused for a reason that may pass, waits
//! [`INCLUSION_TIMEOUT`] before it is tried again; one the parent refuses for good (the member
//! suspended already, or for that slot) is dropped.

use crate::{
	config::{RelayConfig, INCLUSION_TIMEOUT, LOG},
	equivocations,
	error::Result,
	local::{self, SubchainClient},
	parent::Parent,
};
use codec::Encode;
use dbm_primitives::{seal, subchain_state, Header, SubchainId};
use futures::StreamExt;
use sp_core::{sr25519, H256};
use sp_runtime::traits::Header as _;
use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::Instant,
};

/// How many slots, up to the newest one seen, the book remembers.
pub const SLOTS_KEPT: u64 = 1_024;

/// The most blocks the book remembers for one slot (a slot with more is flooded, and its first
/// blocks are enough to prove it).
pub const BLOCKS_PER_SLOT: usize = 4;

/// The most equivocations waiting to be sent; the oldest give way.
pub const MAX_FOUND: usize = 16;

/// Two blocks one author sealed for one slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealEquivocation {
	/// The slot.
	pub slot: u64,
	/// The author's Aura key.
	pub author: sr25519::Public,
	/// The block seen first.
	pub first: Header,
	/// The other.
	pub second: Header,
}

/// The equivocations the watcher found and the relay has not yet got the parent to take.
pub type Found = Arc<Mutex<Vec<SealEquivocation>>>;

/// The blocks of recent slots: each slot's blocks (the hash their author signed, the header
/// without its seal) and authors, and the authors already found equivocating in it.
#[derive(Default)]
pub struct SlotBook {
	slots: BTreeMap<u64, (Vec<(H256, sr25519::Public, Header)>, Vec<sr25519::Public>)>,
}

impl SlotBook {
	/// Notes `header`, sealed by `author`: the equivocation it makes with a block noted
	/// before, if it is another block of the same slot by the same author (once per author
	/// and slot: a third block of the slot adds nothing).
	pub fn note(&mut self, header: Header, author: sr25519::Public) -> Option<SealEquivocation> {
		let slot = seal::slot(&header)?;
		let (signed, _) = seal::unsealed(&header).ok()?;
		let newest = self.slots.keys().next_back().map_or(slot, |newest| slot.max(*newest));
		let oldest = newest.saturating_sub(SLOTS_KEPT - 1);
		if slot < oldest {
			return None;
		}
		self.slots = self.slots.split_off(&oldest);
		let (seen, found) = self.slots.entry(slot).or_default();
		if found.contains(&author) || seen.iter().any(|(hash, _, _)| *hash == signed) {
			return None;
		}
		let equivocation = seen.iter().find(|(_, by, _)| *by == author).map(|(_, _, first)| {
			SealEquivocation { slot, author, first: first.clone(), second: header.clone() }
		});
		if equivocation.is_some() {
			found.push(author);
		} else if seen.len() < BLOCKS_PER_SLOT {
			seen.push((signed, author, header));
		}
		equivocation
	}
}

/// The Aura author of `header`'s slot: `Aura::Authorities[slot % len]` in its parent block's
/// state (`None` if the node has no such state, or no authorities).
pub fn author_of<C: SubchainClient>(client: &C, header: &Header) -> Option<sr25519::Public> {
	let slot = seal::slot(header)?;
	let key =
		[sp_io::hashing::twox_128(b"Aura"), sp_io::hashing::twox_128(b"Authorities")].concat();
	let authorities: Vec<sr25519::Public> =
		local::local(client, *header.parent_hash(), &key).ok()??;
	let index = slot.checked_rem(authorities.len() as u64)?;
	authorities.get(index as usize).copied()
}

/// Watches the blocks `client` imports for seal equivocations, adding each one found to
/// `found`; runs until the node stops.
pub async fn watch<C: SubchainClient>(client: Arc<C>, found: Found) {
	let mut imports = client.every_import_notification_stream();
	let mut book = SlotBook::default();
	while let Some(imported) = imports.next().await {
		let header = imported.header;
		let Some(author) = author_of(&*client, &header) else { continue };
		let Some(equivocation) = book.note(header, author) else { continue };
		if seal::check_equivocation(&equivocation.first, &equivocation.second, &author).is_err() {
			continue;
		}
		log::warn!(
			target: LOG,
			"the sub-chain's author {author} sealed two blocks for slot {}: {:?} and {:?}",
			equivocation.slot,
			equivocation.first.hash(),
			equivocation.second.hash(),
		);
		let mut found = found.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if found.len() >= MAX_FOUND {
			found.remove(0);
		}
		found.push(equivocation);
	}
}

/// An equivocation by its author and slot.
pub type Offence = (sr25519::Public, u64);

/// The reports sent to the parent (or refused) in this session: when, and the last refusal.
pub type Reported = HashMap<Offence, (Instant, Option<String>)>;

/// Whether the parent's refusal `refusal` is for good: nothing the relay waits for changes it.
pub fn refused_for_good(refusal: &str) -> bool {
	[
		"AlreadySuspended",
		"StaleEquivocation",
		"NotMember",
		"UnknownKey",
		"SubchainRetired",
		"ParentNotAnchored",
	]
	.iter()
	.any(|name| refusal.contains(&format!("({name})")))
}

/// Sends the parent each equivocation in `found` that is due (not sent or refused in the last
/// [`INCLUSION_TIMEOUT`]), with the proof of its author's key against the parent's last anchor.
pub async fn forward<C: SubchainClient>(
	client: &C,
	parent: &Parent,
	subchain: SubchainId,
	config: &RelayConfig,
	found: &Found,
	reported: &mut Reported,
) -> Result<()> {
	let pending: Vec<SealEquivocation> =
		found.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
	if pending.is_empty() {
		return Ok(());
	}
	let Some(head) = parent.last_anchor(subchain).await? else { return Ok(()) };
	let mut done = Vec::new();
	for equivocation in pending {
		let offence = (equivocation.author, equivocation.slot);
		if reported.get(&offence).is_some_and(|(at, _)| at.elapsed() < INCLUSION_TIMEOUT) {
			continue;
		}
		// The parent takes the blocks only on blocks it anchored: until then, wait.
		let on = |header: &Header| (*header.number()).saturating_sub(1);
		if on(&equivocation.first).max(on(&equivocation.second)) > head.number {
			continue;
		}
		let key = subchain_state::aura_key_owner_key(&equivocation.author);
		// The parent's last anchor is a block this node has, unless the record is foreign
		// (which the anchor loop raises) or the node is catching up: then later.
		let owner = match local::local_proof(client, head.hash, &key) {
			Ok(owner) => owner,
			Err(e) => {
				log::debug!(target: LOG, "sub-chain {subchain}: no proof of {author}'s key: {e}",
					author = equivocation.author);
				continue;
			}
		};
		let call = dbm_parent_runtime::RuntimeCall::BillerRegistry(
			pallet_biller_registry::Call::report_seal_equivocation {
				subchain,
				at: head.number,
				author: equivocation.author,
				first: equivocation.first.encode(),
				second: equivocation.second.encode(),
				owner,
			},
		);
		let refusal = parent.offer(&config.signer, call).await?;
		let said = reported.insert(offence, (Instant::now(), refusal.clone()));
		let (author, slot) = offence;
		if let Some(refusal) = refusal {
			if equivocations::refused_anew(said, &refusal) {
				log::info!(
					target: LOG,
					"sub-chain {subchain}: the parent refuses the seal equivocation of author \
					 {author} (slot {slot}): {refusal}"
				);
			}
			if refused_for_good(&refusal) {
				done.push(offence);
			}
			continue;
		}
		log::warn!(
			target: LOG,
			"sub-chain {subchain}: author {author} sealed two blocks for slot {slot}; the proof \
			 is sent to the parent"
		);
	}
	found
		.lock()
		.unwrap_or_else(|poisoned| poisoned.into_inner())
		.retain(|e| !done.contains(&(e.author, e.slot)));
	reported.retain(|offence, _| !done.contains(offence));
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::Pair;
	use sp_runtime::generic::{Digest, DigestItem};

	fn sealed(slot: u64, variant: u8, by: &sr25519::Pair) -> Header {
		let mut digest = Digest::default();
		digest.push(DigestItem::PreRuntime(seal::AURA_ENGINE_ID, slot.encode()));
		let mut header =
			Header::new(3, H256::repeat_byte(variant), H256::zero(), H256::zero(), digest);
		seal::seal(&mut header, |hash| by.sign(hash));
		header
	}

	#[test]
	fn a_second_block_of_a_slot_by_its_author_is_an_equivocation_and_nothing_else_is() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
		let mut book = SlotBook::default();
		let first = sealed(10, 1, &alice);
		assert_eq!(book.note(first.clone(), alice.public()), None, "one block");
		// The same block again, sealed again, and another slot.
		assert_eq!(book.note(first.clone(), alice.public()), None);
		assert_eq!(book.note(sealed(10, 1, &alice), alice.public()), None);
		assert_eq!(book.note(sealed(11, 2, &alice), alice.public()), None);
		// Another author's block of the slot (after an authority change) is no equivocation.
		assert_eq!(book.note(sealed(10, 3, &bob), bob.public()), None);
		let second = sealed(10, 2, &alice);
		let found = book.note(second.clone(), alice.public()).expect("an equivocation");
		assert_eq!(
			found,
			SealEquivocation { slot: 10, author: alice.public(), first, second: second.clone() }
		);
		assert_eq!(seal::check_equivocation(&found.first, &found.second, &alice.public()), Ok(10));
		// Found once: a third block of the slot is not another report.
		assert_eq!(book.note(sealed(10, 7, &alice), alice.public()), None);
		// A header without a slot or a seal is not noted.
		let mut unsealed = sealed(10, 5, &alice);
		unsealed.digest_mut().pop();
		assert_eq!(book.note(unsealed, alice.public()), None);
	}

	#[test]
	fn the_book_forgets_old_slots_and_keeps_few_blocks_a_slot() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let mut book = SlotBook::default();
		book.note(sealed(1, 1, &alice), alice.public());
		book.note(sealed(SLOTS_KEPT + 1, 1, &alice), alice.public());
		// Slot 1 is forgotten: a block of it is too old to compare, and noted no more.
		assert_eq!(book.note(sealed(1, 2, &alice), alice.public()), None);
		assert_eq!(book.slots.len(), 1);
		// Ten authors' blocks of one slot (after an authority change, say): four are kept.
		for variant in 0..10 {
			let author = sr25519::Pair::from_string(&format!("//{variant}"), None).unwrap();
			assert_eq!(book.note(sealed(3_000, variant, &author), author.public()), None);
		}
		assert_eq!(book.slots[&3_000].0.len(), BLOCKS_PER_SLOT);
		// Slot 1,025 is more than 1,024 slots below it.
		assert_eq!(book.slots.keys().collect::<Vec<_>>(), [&3_000], "older slots forgotten");
	}

	#[test]
	fn refusals_for_good_are_told_from_passing_ones() {
		for name in [
			"AlreadySuspended",
			"StaleEquivocation",
			"NotMember",
			"UnknownKey",
			"SubchainRetired",
			"ParentNotAnchored",
		] {
			assert!(refused_for_good(&format!("BillerRegistry({name})")), "{name}");
		}
		assert!(!refused_for_good("BillerRegistry(NotAnchoredHeight)"));
		assert!(!refused_for_good("BillerRegistry(InvalidProof)"));
	}
}
