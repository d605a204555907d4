use crate::{mock::*, *};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};

#[test]
fn set_keys_registers_keys_with_a_valid_proof_and_makes_a_candidate_electable() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!Dbsca::ranking().iter().find(|c| c.account == 5).unwrap().electable);
		assert_ok!(Dbsca::set_keys(RuntimeOrigin::signed(5), MockKeys::of(5), 5u64.encode()));
		assert_eq!(Keys::<Test>::get(5), Some(MockKeys::of(5)));
		for key in MockKeys::of(5).index_keys() {
			assert_eq!(KeyOwner::<Test>::get(key), Some(5));
		}
		assert!(Dbsca::ranking().iter().find(|c| c.account == 5).unwrap().electable);
		System::assert_last_event(Event::KeysSet { who: 5 }.into());
	});
}

#[test]
fn set_keys_replaces_old_keys_and_frees_them() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::set_keys(RuntimeOrigin::signed(4), MockKeys::of(44), 4u64.encode()));
		assert_eq!(Keys::<Test>::get(4), Some(MockKeys::of(44)));
		// 4's old keys are free for 5 now.
		assert_ok!(Dbsca::set_keys(RuntimeOrigin::signed(5), MockKeys::of(4), 5u64.encode()));
	});
}

#[test]
fn set_keys_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::set_keys(RuntimeOrigin::signed(42), MockKeys::of(42), 42u64.encode()),
			Error::<Test>::NotMember
		);
		assert_noop!(
			Dbsca::set_keys(RuntimeOrigin::signed(5), MockKeys::of(5), 6u64.encode()),
			Error::<Test>::InvalidProof
		);
		assert_noop!(
			Dbsca::set_keys(RuntimeOrigin::signed(5), MockKeys::of(1), 5u64.encode()),
			Error::<Test>::DuplicatedKey
		);
		assert_noop!(
			Dbsca::set_keys(RuntimeOrigin::signed(5), MockKeys::long(5), 5u64.encode()),
			Error::<Test>::KeyTooLong
		);
	});
}

#[test]
fn keys_an_election_names_cannot_change_until_it_is_enacted() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::set_committee_size(RuntimeOrigin::root(), 4));
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		let round = CurrentRound::<Test>::get().unwrap();
		let committee: Vec<AccountId> = round.committee.iter().map(|(a, _)| *a).collect();
		assert_eq!(committee.len(), 4);
		assert_eq!(round.voters.to_vec(), voters(&committee));
		// 4 is in the open round's committee: its statement names 4's GRANDPA key.
		assert_noop!(
			Dbsca::set_keys(RuntimeOrigin::signed(4), MockKeys::of(44), 4u64.encode()),
			Error::<Test>::InElection
		);
		confirm_by(&[1, 2, 3, 4, 5, 6]);
		let election = PendingElection::<Test>::get().expect("elected");
		assert_eq!(election.voters.to_vec(), voters(&committee));
		// Awaiting enactment: still fixed.
		assert_noop!(
			Dbsca::set_keys(RuntimeOrigin::signed(4), MockKeys::of(44), 4u64.encode()),
			Error::<Test>::InElection
		);
		assert_ok!(Dbsca::enact(RuntimeOrigin::root(), round.index));
		// In force, the keys may change: the next election names the new ones.
		assert_ok!(Dbsca::set_keys(RuntimeOrigin::signed(4), MockKeys::of(44), 4u64.encode()));
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		let next = CurrentRound::<Test>::get().unwrap();
		let at = next.committee.iter().position(|(a, _)| *a == 4).expect("4 is elected again");
		assert_eq!(next.voters[at], voters(&[44])[0]);
	});
}

#[test]
fn purge_keys_removes_keys_of_an_idle_account() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::purge_keys(RuntimeOrigin::signed(4)));
		assert!(!Keys::<Test>::contains_key(4));
		assert_eq!(KeyOwner::<Test>::iter().count(), 3 * 2);
		System::assert_last_event(Event::KeysPurged { who: 4 }.into());
	});
}

#[test]
fn purge_keys_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Dbsca::purge_keys(RuntimeOrigin::signed(5)), Error::<Test>::NoKeys);
		assert_noop!(Dbsca::purge_keys(RuntimeOrigin::signed(1)), Error::<Test>::KeysInUse);
		assert_ok!(Dbsca::set_committee_size(RuntimeOrigin::root(), 4));
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		assert_noop!(Dbsca::purge_keys(RuntimeOrigin::signed(4)), Error::<Test>::KeysInUse);
	});
}
