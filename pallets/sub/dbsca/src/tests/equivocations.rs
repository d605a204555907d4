use crate::{mock::*, *};
use dbm_primitives::finality::StoredEquivocation;
use frame_support::{assert_noop, assert_ok};
use sp_consensus_grandpa::EquivocationProof;
use sp_core::{Pair, H256};

const SET: u64 = 4;
const ROUND: u64 = 9;

/// Voter `i`'s precommit for `hash` at block 1 in `round` of `set`.
fn precommit(
	i: u32,
	set: u64,
	round: u64,
	hash: H256,
) -> (finality_grandpa::Precommit<H256, u64>, sp_consensus_grandpa::AuthoritySignature) {
	let vote = finality_grandpa::Precommit { target_hash: hash, target_number: 1 };
	let message = finality_grandpa::Message::Precommit(vote.clone());
	let payload = sp_consensus_grandpa::localized_payload(round, set, &message);
	(vote, grandpa_pair(i).sign(&payload).into())
}

/// A proof naming voter `offender` and round `round` of `set`, of two precommits (for blocks
/// `0x01..` and `0x02..`) that voter `signer` signed in round `signed_in`.
fn proof_by(
	offender: u32,
	round: u64,
	signer: u32,
	signed_in: u64,
) -> EquivocationProof<H256, u64> {
	EquivocationProof::new(
		SET,
		sp_consensus_grandpa::Equivocation::Precommit(finality_grandpa::Equivocation {
			round_number: round,
			identity: grandpa_key(offender),
			first: precommit(signer, SET, signed_in, H256::repeat_byte(1)),
			second: precommit(signer, SET, signed_in, H256::repeat_byte(2)),
		}),
	)
}

/// Voter `i`'s two precommits, for `first` and `second`, in one round.
fn proof_with(i: u32, set: u64, first: H256, second: H256) -> EquivocationProof<H256, u64> {
	EquivocationProof::new(
		set,
		sp_consensus_grandpa::Equivocation::Precommit(finality_grandpa::Equivocation {
			round_number: ROUND,
			identity: grandpa_key(i),
			first: precommit(i, set, ROUND, first),
			second: precommit(i, set, ROUND, second),
		}),
	)
}

fn proof(i: u32, set: u64) -> EquivocationProof<H256, u64> {
	proof_with(i, set, H256::repeat_byte(1), H256::repeat_byte(2))
}

/// Voters 0, 1, 2 and 3 in set [`SET`].
fn four_voters() {
	set_voters(SET, (0..4).map(grandpa_key).collect());
}

fn owner() -> VoterProof {
	VoterProof { set_id: SET, voters: 4 }
}

#[test]
fn the_proof_of_a_voter_of_the_set_in_force_is_given_to_its_node() {
	ExtBuilder::default().build_and_execute(|| {
		four_voters();
		assert_eq!(Dbsca::voter_proof(SET, &grandpa_key(2)), Some(owner()));
		assert_eq!(Dbsca::voter_proof(SET - 1, &grandpa_key(2)), None, "another set");
		assert_eq!(Dbsca::voter_proof(SET, &grandpa_key(7)), None, "not a voter");
	});
}

#[test]
fn a_voters_equivocation_is_kept_for_the_relay_once() {
	ExtBuilder::default().build_and_execute(|| {
		four_voters();
		assert_ok!(Dbsca::note_equivocation(Some(3), proof(1, SET), owner()));
		assert_eq!(
			Equivocations::<Test>::get().into_inner(),
			vec![StoredEquivocation(proof(1, SET))]
		);
		System::assert_last_event(
			Event::EquivocationNoted {
				set_id: SET,
				round: ROUND,
				offender: grandpa_key(1),
				member: None,
				reporter: Some(3),
			}
			.into(),
		);
		// The same voter again, even with other votes of the round: one proof is enough.
		let other = proof_with(1, SET, H256::repeat_byte(3), H256::repeat_byte(4));
		assert_noop!(
			Dbsca::note_equivocation(None, other, owner()),
			Error::<Test>::AlreadyReported
		);
		// Another voter of the same set is kept beside it.
		assert_ok!(Dbsca::note_equivocation(None, proof(2, SET), owner()));
		assert_eq!(Equivocations::<Test>::get().len(), 2);
	});
}

#[test]
fn the_member_whose_key_equivocated_is_named() {
	ExtBuilder::default().build_and_execute(|| {
		four_voters();
		// The mock's keys have no GRANDPA key: this entry stands in for member 5's (and goes
		// before the invariants, which want the keys it belongs to).
		let key = Dbsca::grandpa_key_of(&grandpa_key(0));
		KeyOwner::<Test>::insert(&key, 5);
		assert_ok!(Dbsca::note_equivocation(None, proof(0, SET), owner()));
		System::assert_last_event(
			Event::EquivocationNoted {
				set_id: SET,
				round: ROUND,
				offender: grandpa_key(0),
				member: Some(5),
				reporter: None,
			}
			.into(),
		);
		KeyOwner::<Test>::remove(&key);
	});
}

#[test]
fn proofs_of_an_earlier_set_give_way_to_the_next_sets() {
	ExtBuilder::default().build_and_execute(|| {
		four_voters();
		assert_ok!(Dbsca::note_equivocation(None, proof(1, SET), owner()));
		assert_ok!(Dbsca::note_equivocation(None, proof(2, SET), owner()));
		set_voters(SET + 1, (0..4).map(grandpa_key).collect());
		let next = VoterProof { set_id: SET + 1, voters: 4 };
		// The same voter may be reported again in a new set.
		assert_ok!(Dbsca::note_equivocation(None, proof(1, SET + 1), next));
		assert_eq!(
			Equivocations::<Test>::get().into_inner(),
			vec![StoredEquivocation(proof(1, SET + 1))]
		);
	});
}

#[test]
fn note_equivocation_errors() {
	ExtBuilder::default().build_and_execute(|| {
		four_voters();
		// A proof of another set, and a key ownership proof of another set or size.
		assert_noop!(
			Dbsca::note_equivocation(None, proof(1, SET - 1), owner()),
			Error::<Test>::NotCurrentVoterSet
		);
		for wrong in
			[VoterProof { set_id: SET - 1, voters: 4 }, VoterProof { set_id: SET, voters: 5 }]
		{
			assert_noop!(
				Dbsca::note_equivocation(None, proof(1, SET), wrong),
				Error::<Test>::BadKeyOwnerProof
			);
		}
		// A key outside the set.
		assert_noop!(
			Dbsca::note_equivocation(None, proof(6, SET), owner()),
			Error::<Test>::UnknownVoter
		);
		// The same vote twice is no equivocation; nor are votes signed by another key.
		let same = proof_with(1, SET, H256::repeat_byte(1), H256::repeat_byte(1));
		assert_noop!(
			Dbsca::note_equivocation(None, same, owner()),
			Error::<Test>::InvalidEquivocation
		);
		assert_noop!(
			Dbsca::note_equivocation(None, proof_by(1, ROUND, 2, ROUND), owner()),
			Error::<Test>::InvalidEquivocation
		);
		// Votes signed for another round than the proof names.
		assert_noop!(
			Dbsca::note_equivocation(None, proof_by(1, ROUND + 1, 1, ROUND), owner()),
			Error::<Test>::InvalidEquivocation
		);
		// The bound (three in the mock) holds even with more voters.
		for i in 0..3 {
			assert_ok!(Dbsca::note_equivocation(None, proof(i, SET), owner()));
		}
		assert_noop!(
			Dbsca::note_equivocation(None, proof(3, SET), owner()),
			Error::<Test>::TooManyEquivocations
		);
	});
}
