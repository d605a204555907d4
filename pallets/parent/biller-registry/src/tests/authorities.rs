//! The parent authorities: standing operators plus the billers of active sub-chains.

use crate::{mock::*, *};
use dbm_primitives::AccountId;
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::DispatchError;

fn ops() -> Vec<AccountId> {
	operators().into_iter().map(|(who, _)| who).collect()
}

/// How `KeyOwner` indexes the test key `n`.
fn key(n: u64) -> KeyId {
	use sp_runtime::traits::OpaqueKeys;
	let keys = MockKeys::of(n);
	let id = MockKeys::key_ids()[0];
	(id.0, <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(keys.get_raw(id)).0)
}

fn applied() -> Vec<Vec<(AccountId, MockKeys)>> {
	APPLIED.with(|a| a.borrow().clone())
}

/// Moves one block on, running the hook.
fn next_block() {
	run_to_block(System::block_number() + 1);
}

/// Notes `k`'s own vote in an anchor of sub-chain `id` in this block, as `note_biller_vote`
/// does for its biller: `k` is live.
fn live_in(id: SubchainId, k: Sr25519Keyring) {
	BillerVotes::<Test>::insert(id, (acc(k), System::block_number()));
}

/// Sub-chain 1's biller `k` is live.
fn live(k: Sr25519Keyring) {
	live_in(ONE, k);
}

fn set_keys(k: Sr25519Keyring, keys: u64) {
	let keys = MockKeys::of(keys);
	let proof = keys.proof(&acc(k));
	assert_ok!(Registry::set_parent_keys(RuntimeOrigin::signed(acc(k)), keys, proof));
}

#[test]
fn genesis_authorities_are_the_operators_with_keys() {
	build_and_execute(|| {
		assert_eq!(Authorities::<Test>::get().into_inner(), ops());
		assert_eq!(Operators::<Test>::get().into_inner(), ops());
		assert_eq!(ParentKeys::<Test>::get(acc(BobStash)), Some(MockKeys::of(11)));
		assert_eq!(KeyOwner::<Test>::get(key(11)), Some(acc(BobStash)));
		assert!(!AuthoritiesStale::<Test>::get());
		// Alice is sub-chain 1's biller but has no parent keys yet.
		assert_eq!(Registry::expected_authorities().len(), 4);
	});
}

#[test]
fn a_biller_with_parent_keys_joins_the_authorities_at_the_next_block() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		System::assert_last_event(Event::<Test>::ParentKeysSet { who: acc(Alice) }.into());
		assert!(AuthoritiesStale::<Test>::get());
		// Nothing changes in the block of the call.
		assert_eq!(Authorities::<Test>::get().len(), 4);
		next_block();
		let mut expected = operators();
		expected.push((acc(Alice), MockKeys::of(1)));
		assert_eq!(applied(), vec![expected.clone()]);
		let accounts: Vec<_> = expected.iter().map(|(who, _)| who.clone()).collect();
		assert_eq!(Authorities::<Test>::get().into_inner(), accounts);
		System::assert_last_event(
			Event::<Test>::AuthoritiesChanged { authorities: accounts }.into(),
		);
		assert!(!AuthoritiesStale::<Test>::get());
		// Nothing more to do in the following block.
		next_block();
		assert_eq!(applied().len(), 1);
	});
}

#[test]
fn keys_of_a_committee_member_that_is_not_the_biller_change_nothing() {
	build_and_execute(|| {
		// Bob is second in sub-chain 1's committee.
		set_keys(Bob, 3);
		next_block();
		assert!(applied().is_empty());
		assert_eq!(Authorities::<Test>::get().into_inner(), ops());
		assert!(!AuthoritiesStale::<Test>::get());
	});
}

#[test]
fn a_new_biller_replaces_the_old_one() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		set_keys(Bob, 2);
		next_block();
		let committee = vec![acc(Bob), acc(Alice)];
		let signers = [Alice, Bob, Charlie, Dave, Eve];
		assert_ok!(Registry::submit_election(
			RuntimeOrigin::signed(acc(Ferdie)),
			ONE,
			1,
			Registry::active_set_of(ONE),
			committee.clone(),
			voters_for(&committee),
			confirmations(ONE, 1, &committee, &signers),
		));
		// Bob is the biller now, and live once his own vote is anchored.
		live(Bob);
		next_block();
		let last = applied().pop().expect("two changes");
		assert_eq!(last.last(), Some(&(acc(Bob), MockKeys::of(2))));
		assert!(!Authorities::<Test>::get().contains(&acc(Alice)));
	});
}

#[test]
fn a_suspended_or_removed_biller_and_a_paused_sub_chain_leave_the_set() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		next_block();
		assert!(Authorities::<Test>::get().contains(&acc(Alice)));
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Alice), member(true)));
		next_block();
		assert!(!Authorities::<Test>::get().contains(&acc(Alice)));
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Alice), member(false)));
		next_block();
		assert!(Authorities::<Test>::get().contains(&acc(Alice)));
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Paused));
		next_block();
		assert!(!Authorities::<Test>::get().contains(&acc(Alice)));
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Active));
		next_block();
		assert!(Authorities::<Test>::get().contains(&acc(Alice)));
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(Alice)));
		// A former member's keys are freed.
		assert_eq!(ParentKeys::<Test>::get(acc(Alice)), None);
		assert_eq!(KeyOwner::<Test>::get(key(1)), None);
		next_block();
		assert_eq!(Authorities::<Test>::get().into_inner(), ops());
		assert_eq!(applied().len(), 6);
	});
}

#[test]
fn a_rotated_key_reaches_consensus_at_the_next_block() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		next_block();
		set_keys(Alice, 2);
		next_block();
		let applied = applied();
		assert_eq!(applied.len(), 2, "the same accounts with a new key are a new set");
		assert_eq!(applied[1].last(), Some(&(acc(Alice), MockKeys::of(2))));
		// An operator's rotation too.
		set_keys(BobStash, 21);
		next_block();
		assert_eq!(self::applied()[2][0], (acc(BobStash), MockKeys::of(21)));
		assert_eq!(Authorities::<Test>::get().len(), 5);
	});
}

#[test]
fn an_operator_keeps_its_keys_when_it_leaves_a_sub_chain() {
	build_and_execute(|| {
		assert_ok!(Registry::add_member(RuntimeOrigin::root(), TWO, acc(BobStash), member(false)));
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(BobStash)));
		assert_eq!(ParentKeys::<Test>::get(acc(BobStash)), Some(MockKeys::of(11)));
	});
}

#[test]
fn a_refused_change_is_tried_again_next_block() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		REFUSE.with(|r| r.set(true));
		next_block();
		assert!(AuthoritiesStale::<Test>::get());
		assert_eq!(Authorities::<Test>::get().len(), 4);
		next_block();
		assert!(AuthoritiesStale::<Test>::get());
		REFUSE.with(|r| r.set(false));
		next_block();
		assert!(!AuthoritiesStale::<Test>::get());
		assert_eq!(Authorities::<Test>::get().len(), 5);
		assert_eq!(applied().len(), 1);
	});
}

#[test]
fn a_set_below_min_authorities_is_not_applied() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		next_block();
		assert_eq!(Authorities::<Test>::get().len(), 5);
		// Two operators leave no room for a biller (it would be a third): two voters, fewer
		// than four.
		assert_ok!(Registry::set_operators(RuntimeOrigin::root(), ops()[..2].to_vec()));
		next_block();
		System::assert_last_event(Event::<Test>::AuthoritySetTooSmall { count: 2 }.into());
		assert_eq!(Authorities::<Test>::get().len(), 5);
		assert!(!AuthoritiesStale::<Test>::get());
		assert_eq!(applied().len(), 1);
		// Three operators and the biller are enough.
		assert_ok!(Registry::set_operators(RuntimeOrigin::root(), ops()[..3].to_vec()));
		next_block();
		assert_eq!(
			Authorities::<Test>::get().into_inner(),
			vec![ops()[0].clone(), ops()[1].clone(), ops()[2].clone(), acc(Alice)]
		);
	});
}

#[test]
fn a_biller_is_an_authority_only_while_its_own_votes_are_anchored() {
	use frame_support::traits::Get;
	build_and_execute(|| {
		// Keys with their proof are not enough.
		set_keys(Alice, 1);
		next_block();
		assert!(applied().is_empty());
		assert!(!Authorities::<Test>::get().contains(&acc(Alice)));
		// Her vote in an anchor makes her live (as `note_biller_vote` finds it).
		live(Alice);
		Registry::authorities_may_have_changed();
		let voted = System::block_number();
		next_block();
		assert!(Authorities::<Test>::get().contains(&acc(Alice)));
		// Without another for `BillerLiveness` blocks she leaves, in the block after it ran out.
		let liveness: u64 = <Test as Config>::BillerLiveness::get();
		run_to_block(voted + liveness);
		assert!(Authorities::<Test>::get().contains(&acc(Alice)));
		assert!(AuthoritiesStale::<Test>::get());
		run_to_block(voted + liveness + 1);
		assert!(!Authorities::<Test>::get().contains(&acc(Alice)));
		assert_eq!(Authorities::<Test>::get().into_inner(), ops());
		// Another sub-chain's biller's vote does not count for her.
		live_in(TWO, Alice);
		Registry::authorities_may_have_changed();
		next_block();
		assert!(!Authorities::<Test>::get().contains(&acc(Alice)));
	});
}

#[test]
fn billers_stay_below_a_third_of_the_authorities() {
	build_and_execute(|| {
		// Two live billers with keys: Alice for sub-chain 1, Alice's stash for sub-chain 2.
		assert_ok!(Registry::add_member(
			RuntimeOrigin::root(),
			TWO,
			acc(AliceStash),
			member(false)
		));
		Elections::<Test>::insert(
			TWO,
			ConfirmedElection {
				round: 1,
				committee: vec![acc(AliceStash)].try_into().unwrap(),
				voters: voters_for(&[acc(AliceStash)]).try_into().unwrap(),
				confirmed_at: 1,
			},
		);
		live(Alice);
		live_in(TWO, AliceStash);
		set_keys(Alice, 1);
		set_keys(AliceStash, 7);
		next_block();
		// Four operators take one biller (one of five); two would be a third of six.
		let mut expected = ops();
		expected.push(acc(Alice));
		assert_eq!(Authorities::<Test>::get().into_inner(), expected);
		// When sub-chain 1's biller is out, sub-chain 2's takes the place.
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Alice), member(true)));
		next_block();
		*expected.last_mut().unwrap() = acc(AliceStash);
		assert_eq!(Authorities::<Test>::get().into_inner(), expected);
		// Every set applied had fewer than a third billers.
		for set in applied() {
			let billers = set.iter().filter(|(who, _)| !ops().contains(who)).count();
			assert!(3 * billers < set.len(), "{billers} billers of {}", set.len());
		}
	});
}

#[test]
fn operators_without_keys_are_left_out() {
	build_and_execute(|| {
		let mut new = ops();
		new[3] = acc(Dave);
		assert_ok!(Registry::set_operators(RuntimeOrigin::root(), new.clone()));
		System::assert_last_event(Event::<Test>::OperatorsSet { operators: new }.into());
		next_block();
		// Dave has no keys: three authorities are too few, the set in force stays.
		System::assert_last_event(Event::<Test>::AuthoritySetTooSmall { count: 3 }.into());
		assert!(applied().is_empty());
		assert_eq!(Authorities::<Test>::get().into_inner(), ops());
		set_keys(Dave, 4);
		next_block();
		assert_eq!(Authorities::<Test>::get().last(), Some(&acc(Dave)));
	});
}

#[test]
fn an_operator_who_is_also_the_biller_counts_once() {
	build_and_execute(|| {
		let mut new = ops();
		new[3] = acc(Alice);
		assert_ok!(Registry::set_operators(RuntimeOrigin::root(), new.clone()));
		set_keys(Alice, 1);
		next_block();
		assert_eq!(Authorities::<Test>::get().into_inner(), new);
	});
}

#[test]
fn set_operators_errors() {
	build_and_execute(|| {
		assert_noop!(
			Registry::set_operators(RuntimeOrigin::signed(acc(Alice)), ops()),
			DispatchError::BadOrigin
		);
		let mut five = ops();
		five.push(acc(Alice));
		assert_noop!(
			Registry::set_operators(RuntimeOrigin::root(), five),
			Error::<Test>::TooManyOperators
		);
		let twice = vec![acc(Alice), acc(Bob), acc(Alice)];
		assert_noop!(
			Registry::set_operators(RuntimeOrigin::root(), twice),
			Error::<Test>::DuplicateOperator
		);
	});
}

#[test]
fn set_parent_keys_errors() {
	build_and_execute(|| {
		let set = |k: Sr25519Keyring, keys: u64, proof: Vec<u8>| {
			Registry::set_parent_keys(RuntimeOrigin::signed(acc(k)), MockKeys::of(keys), proof)
		};
		let proof = |k: Sr25519Keyring, keys: u64| MockKeys::of(keys).proof(&acc(k));
		// Alice's stash is a member of no sub-chain; Charlie is a member of sub-chain 1 but
		// not in its committee (Alice and Bob).
		assert_noop!(set(AliceStash, 1, proof(AliceStash, 1)), Error::<Test>::NotEligible);
		assert_noop!(set(Charlie, 1, proof(Charlie, 1)), Error::<Test>::NotEligible);
		assert_noop!(
			Registry::set_parent_keys(RuntimeOrigin::root(), MockKeys::of(1), Vec::new()),
			DispatchError::BadOrigin
		);
		// A proof made for another account, for other keys, or none.
		assert_noop!(set(Alice, 1, proof(Bob, 1)), Error::<Test>::InvalidKeyProof);
		assert_noop!(set(Alice, 1, proof(Alice, 2)), Error::<Test>::InvalidKeyProof);
		assert_noop!(set(Alice, 1, Vec::new()), Error::<Test>::InvalidKeyProof);
		// Bob's stash (an operator) holds 11: a proof does not take another's keys.
		assert_noop!(set(Alice, 11, proof(Alice, 11)), Error::<Test>::KeysInUse);
	});
}

#[test]
fn replacing_keys_frees_the_old_ones() {
	build_and_execute(|| {
		live(Alice);
		set_keys(Alice, 1);
		set_keys(Alice, 2);
		assert_eq!(KeyOwner::<Test>::get(key(1)), None);
		assert_eq!(KeyOwner::<Test>::get(key(2)), Some(acc(Alice)));
		// Setting the same keys again is fine.
		set_keys(Alice, 2);
		set_keys(Bob, 1);
		next_block();
		assert_eq!(Authorities::<Test>::get().last(), Some(&acc(Alice)));
		assert_eq!(applied()[0].last(), Some(&(acc(Alice), MockKeys::of(2))));
	});
}

#[test]
fn the_authorities_are_the_parents_membership_voters() {
	build_and_execute(|| {
		live(Alice);
		assert_eq!(<Registry as VoterSet<_>>::voter_count(), 4);
		assert!(<Registry as VoterSet<_>>::is_voter(&acc(BobStash)));
		assert!(!<Registry as VoterSet<_>>::is_voter(&acc(Alice)));
		set_keys(Alice, 1);
		next_block();
		assert_eq!(<Registry as VoterSet<_>>::voter_count(), 5);
		assert!(<Registry as VoterSet<_>>::is_voter(&acc(Alice)));
	});
}

#[test]
fn on_initialize_charges_for_the_refresh_only_when_the_set_is_stale() {
	build_and_execute(|| {
		let now = System::block_number() + 1;
		System::set_block_number(now);
		let idle = Registry::on_initialize(now);
		set_keys(Alice, 1);
		let busy = Registry::on_initialize(now);
		assert!(busy.ref_time() > idle.ref_time());
	});
}
