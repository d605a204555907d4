//! Seal equivocations of a sub-chain's block authors: two blocks sealed for one slot by a key
//! the sub-chain's state says is a member's suspend that member.

use crate::{mock::*, *};
use codec::Encode;
use dbm_primitives::{
	membership::{Destination, Message, Reason},
	proof::RawProof,
	seal, subchain_state, AccountId, Header,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	DispatchError,
};

/// Alice's Aura key (not her account key).
fn alice_aura() -> sr25519::Pair {
	sr25519::Pair::from_string("//Alice//aura", None).unwrap()
}

/// The hash of sub-chain 1's anchored block `number` (zero if there is none).
fn anchored(number: u32) -> H256 {
	Anchors::<Test>::get(ONE, number).map_or(H256::zero(), |anchor| anchor.hash)
}

/// A sub-chain header for `slot` on anchored block 1, different for each `variant`, sealed
/// by `by`.
fn sealed(slot: u64, variant: u8, by: &sr25519::Pair) -> Header {
	sealed_on(anchored(1), slot, variant, by)
}

/// [`sealed`] on `parent`, as block 2.
fn sealed_on(parent: H256, slot: u64, variant: u8, by: &sr25519::Pair) -> Header {
	let mut digest = Digest::default();
	digest.push(DigestItem::PreRuntime(*b"aura", slot.encode()));
	let mut header =
		Header::new(2, H256::repeat_byte(variant), H256::repeat_byte(4), parent, digest);
	seal::seal(&mut header, |hash| by.sign(hash));
	header
}

/// A sub-chain state in which the Aura keys `owners` are registered to their accounts: its
/// root and a proof of every key.
fn state(owners: &[(sr25519::Public, AccountId)]) -> (H256, RawProof) {
	let entries: Vec<_> = owners
		.iter()
		.map(|(key, who)| (subchain_state::aura_key_owner_key(key), who.encode()))
		.collect();
	dbm_primitives::proof::trie(&entries)
}

/// Anchors sub-chain 1 to block 2, whose state holds `owners`; returns the proof.
fn anchored_state(owners: &[(sr25519::Public, AccountId)]) -> RawProof {
	let one = anchor_chain(1);
	let (root, proof) = state(owners);
	let mut two = header(2, one.hash(), &[]);
	two.set_state_root(root);
	assert_ok!(anchor(&two, vec![]));
	proof
}

fn report(
	author: &sr25519::Pair,
	first: &Header,
	second: &Header,
	proof: RawProof,
) -> sp_runtime::DispatchResult {
	report_raw(2, author.public(), first.encode(), second.encode(), proof)
}

fn report_raw(
	at: u32,
	author: sr25519::Public,
	first: Vec<u8>,
	second: Vec<u8>,
	proof: RawProof,
) -> sp_runtime::DispatchResult {
	Registry::report_seal_equivocation(
		RuntimeOrigin::signed(acc(Ferdie)),
		ONE,
		at,
		author,
		first,
		second,
		proof,
	)
}

#[test]
fn an_author_that_seals_two_blocks_for_one_slot_is_suspended_here_and_on_its_sub_chain() {
	build_and_execute(|| {
		let aura = alice_aura();
		let proof = anchored_state(&[(aura.public(), acc(Alice))]);
		let active = Registry::active_set_of(ONE).count;
		assert_ok!(report(&aura, &sealed(40, 1, &aura), &sealed(40, 2, &aura), proof.clone()));
		assert!(Members::<Test>::get(ONE, acc(Alice)).is_some_and(|m| m.suspended));
		assert_eq!(Registry::active_set_of(ONE).count, active - 1);
		assert_eq!(SealOffences::<Test>::get(acc(Alice)), Some(40));
		let sent = SENT.with(|s| s.borrow().last().cloned());
		assert_eq!(
			sent,
			Some((
				Destination::Subchain(ONE),
				Message::Suspend { who: acc(Alice), reason: Reason::Misconduct }
			))
		);
		System::assert_has_event(
			Event::<Test>::MemberUpdated { subchain: ONE, who: acc(Alice) }.into(),
		);
		System::assert_last_event(
			Event::<Test>::SealEquivocationReported {
				subchain: ONE,
				slot: 40,
				offender: acc(Alice),
				reporter: acc(Ferdie),
			}
			.into(),
		);
		// Once is enough, and a member restored by vote is not suspended again for it.
		let later = (sealed(41, 1, &aura), sealed(41, 2, &aura));
		assert_noop!(
			report(&aura, &later.0, &later.1, proof.clone()),
			Error::<Test>::AlreadySuspended
		);
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Alice), member(false)));
		for slot in [39, 40] {
			let old = (sealed(slot, 1, &aura), sealed(slot, 3, &aura));
			assert_noop!(
				report(&aura, &old.0, &old.1, proof.clone()),
				Error::<Test>::StaleEquivocation
			);
		}
		// A new offence is one.
		assert_ok!(report(&aura, &later.0, &later.1, proof));
		assert_eq!(SealOffences::<Test>::get(acc(Alice)), Some(41));
		// A member that leaves takes its record with it.
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(Alice)));
		assert_eq!(SealOffences::<Test>::get(acc(Alice)), None);
	});
}

#[test]
fn seal_evidence_that_proves_nothing_is_refused() {
	build_and_execute(|| {
		let aura = alice_aura();
		let bob_aura = sr25519::Pair::from_string("//Bob//aura", None).unwrap();
		// Nothing anchored: the headers are on no block of the sub-chain the parent knows.
		let (first, second) = (sealed(40, 1, &aura), sealed(40, 2, &aura));
		let (_, proof) = state(&[(aura.public(), acc(Alice))]);
		assert_noop!(
			report(&aura, &first, &second, proof.clone()),
			Error::<Test>::ParentNotAnchored
		);
		let nobody = seed_account("//nobody");
		let proof = anchored_state(&[(aura.public(), acc(Alice)), (bob_aura.public(), nobody)]);
		let (first, second) = (sealed(40, 1, &aura), sealed(40, 2, &aura));
		// One of them on a block the parent did not anchor (another chain's, or a fork's).
		let elsewhere = sealed_on(H256::repeat_byte(9), 40, 2, &aura);
		assert_noop!(
			report(&aura, &first, &elsewhere, proof.clone()),
			Error::<Test>::ParentNotAnchored
		);
		assert_noop!(
			Registry::report_seal_equivocation(
				RuntimeOrigin::none(),
				ONE,
				2,
				aura.public(),
				first.encode(),
				second.encode(),
				proof.clone()
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::report_seal_equivocation(
				RuntimeOrigin::signed(acc(Ferdie)),
				SubchainId(9),
				2,
				aura.public(),
				first.encode(),
				second.encode(),
				proof.clone()
			),
			Error::<Test>::UnknownSubchain
		);
		let unslotted = {
			let mut header =
				Header::new(2, H256::zero(), H256::zero(), anchored(1), Digest::default());
			seal::seal(&mut header, |hash| aura.sign(hash));
			header
		};
		let unsealed = {
			let mut header = sealed(40, 3, &aura);
			header.digest_mut().pop();
			header
		};
		let author = aura.public();
		for (first, second, error) in [
			(first.encode(), vec![0; 513], Error::<Test>::HeaderTooLong),
			(first.encode(), vec![1, 2, 3], Error::<Test>::BadHeader),
			(first.encode(), unslotted.encode(), Error::<Test>::NoSlot),
			(first.encode(), unsealed.encode(), Error::<Test>::NoSeal),
			(first.encode(), sealed(40, 2, &bob_aura).encode(), Error::<Test>::BadSeal),
			(first.encode(), sealed(41, 2, &aura).encode(), Error::<Test>::DifferentSlots),
			(first.encode(), first.encode(), Error::<Test>::SameBlock),
			(first.encode(), sealed(40, 1, &aura).encode(), Error::<Test>::SameBlock),
		] {
			assert_noop!(report_raw(2, author, first, second, proof.clone()), error);
		}
		// The owner's proof: of a block not anchored, too large, of another state.
		let (a, b) = (first.encode(), second.encode());
		assert_noop!(
			report_raw(9, author, a.clone(), b.clone(), proof.clone()),
			Error::<Test>::NotAnchoredHeight
		);
		let mut padded = proof.clone();
		padded.extend((0..8u8).map(|i| vec![i; 4]));
		assert_noop!(
			report_raw(2, author, a.clone(), b.clone(), padded),
			Error::<Test>::ProofTooLarge
		);
		let (_, elsewhere) = state(&[(aura.public(), acc(Bob))]);
		assert_noop!(
			report_raw(2, author, a.clone(), b.clone(), elsewhere),
			Error::<Test>::InvalidProof
		);
		// A key nobody registered, and one registered by an account that is no member.
		let eve = sr25519::Pair::from_string("//Eve//aura", None).unwrap();
		let by_eve = (sealed(40, 1, &eve), sealed(40, 2, &eve));
		assert_noop!(report(&eve, &by_eve.0, &by_eve.1, proof.clone()), Error::<Test>::UnknownKey);
		let by_bob = (sealed(40, 1, &bob_aura), sealed(40, 2, &bob_aura));
		assert_noop!(
			report(&bob_aura, &by_bob.0, &by_bob.1, proof.clone()),
			Error::<Test>::NotMember
		);
		// A retired sub-chain is done with.
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Retired));
		assert_noop!(report(&aura, &first, &second, proof), Error::<Test>::SubchainRetired);
	});
}
