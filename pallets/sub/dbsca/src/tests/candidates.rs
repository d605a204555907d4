use crate::{mock::*, *};
use dbm_primitives::membership::Role;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Permill;

fn update(who: AccountId, info: MemberInfo) {
	assert_ok!(Subchain::update_member(RuntimeOrigin::root(), who, info));
}

#[test]
fn a_generator_nominates_itself_with_attested_attributes() {
	ExtBuilder::default().build_and_execute(|| {
		let score = ScoreWeights::default().score(&attested(6));
		assert_ok!(Dbsca::nominate(
			RuntimeOrigin::signed(6),
			attested(6),
			3_000,
			b"street 6".to_vec()
		));
		let c = Candidates::<Test>::get(6).unwrap();
		assert_eq!((c.capacity_w, &c.location[..], c.since), (3_000, &b"street 6"[..], 1));
		System::assert_last_event(Event::CandidateNominated { who: 6, score }.into());
	});
}

#[test]
fn a_storage_member_may_stand_and_may_declare_less_than_attested() {
	ExtBuilder::default().build_and_execute(|| {
		let modest = attrs(false, 100_000, 100_000, 100_000);
		assert_ok!(Dbsca::nominate(RuntimeOrigin::signed(7), modest, 1, vec![]));
		let ranked = Dbsca::ranking();
		let seven = ranked.iter().find(|c| c.account == 7).unwrap();
		assert_eq!(seven.attributes, modest);
		assert!(!seven.electable, "no keys yet");
	});
}

#[test]
fn nominate_fails_for_a_non_member_or_a_suspended_member() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(42), attested(1), 1, vec![]),
			Error::<Test>::NotMember
		);
		update(6, MemberInfo { suspended: true, ..member(Role::Generator, 6) });
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(6), attested(6), 1, vec![]),
			Error::<Test>::NotMember
		);
	});
}

#[test]
fn nominate_fails_for_a_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(8), attested(8), 1, vec![]),
			Error::<Test>::NotASupplier
		);
	});
}

#[test]
fn nominate_fails_twice() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(1), attested(1), 1, vec![]),
			Error::<Test>::AlreadyCandidate
		);
	});
}

#[test]
fn nominate_fails_when_attributes_exceed_the_attestation() {
	ExtBuilder::default().build_and_execute(|| {
		let mut better = attested(6);
		better.renewable = true; // 6 is attested not renewable
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(6), better, 1, vec![]),
			Error::<Test>::AttributesNotAttested
		);
		let mut cheaper = attested(6);
		cheaper.cost = Permill::from_parts(cheaper.cost.deconstruct() + 1);
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(6), cheaper, 1, vec![]),
			Error::<Test>::AttributesNotAttested
		);
	});
}

#[test]
fn nominate_fails_with_zero_capacity_or_a_long_location() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(6), attested(6), 0, vec![]),
			Error::<Test>::ZeroCapacity
		);
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(6), attested(6), 1, vec![b'x'; 17]),
			Error::<Test>::LocationTooLong
		);
	});
}

#[test]
fn nominate_fails_beyond_max_candidates() {
	ExtBuilder::default().build_and_execute(|| {
		for n in 11..=13 {
			assert_ok!(Subchain::add_member(RuntimeOrigin::root(), n, member(Role::Generator, 1)));
			assert_ok!(Dbsca::nominate(RuntimeOrigin::signed(n), attested(1), 1, vec![]));
		}
		assert_eq!(Candidates::<Test>::count(), 8);
		assert_noop!(
			Dbsca::nominate(RuntimeOrigin::signed(6), attested(6), 1, vec![]),
			Error::<Test>::TooManyCandidates
		);
	});
}

#[test]
fn update_candidacy_changes_the_declaration_and_the_score() {
	ExtBuilder::default().build_and_execute(|| {
		System::set_block_number(5);
		let lower = attrs(false, 0, 0, 0);
		assert_ok!(Dbsca::update_candidacy(RuntimeOrigin::signed(5), lower, 7, b"new".to_vec()));
		let c = Candidates::<Test>::get(5).unwrap();
		assert_eq!(
			(c.attributes, c.capacity_w, &c.location[..], c.since),
			(lower, 7, &b"new"[..], 5)
		);
		System::assert_last_event(
			Event::CandidacyUpdated { who: 5, score: Permill::zero() }.into(),
		);
	});
}

#[test]
fn update_candidacy_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(6), attested(6), 1, vec![]),
			Error::<Test>::NotCandidate
		);
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(5), attested(1), 1, vec![]),
			Error::<Test>::AttributesNotAttested
		);
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(5), attested(5), 0, vec![]),
			Error::<Test>::ZeroCapacity
		);
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(5), attested(5), 1, vec![0; 17]),
			Error::<Test>::LocationTooLong
		);
		update(5, MemberInfo { suspended: true, ..member(Role::Generator, 5) });
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(5), attested(5), 1, vec![]),
			Error::<Test>::NotMember
		);
		update(5, member(Role::Consumer, 5));
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(5), attested(5), 1, vec![]),
			Error::<Test>::NotASupplier
		);
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		assert_noop!(
			Dbsca::update_candidacy(RuntimeOrigin::signed(1), attested(1), 1, vec![]),
			Error::<Test>::InElection
		);
	});
}

#[test]
fn withdraw_removes_the_candidate_but_not_from_the_committee_in_force() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::withdraw(RuntimeOrigin::signed(1)));
		assert!(!Candidates::<Test>::contains_key(1));
		assert_eq!(Committee::<Test>::get().to_vec(), vec![1, 2, 3]);
		System::assert_last_event(Event::CandidateWithdrawn { who: 1 }.into());
	});
}

#[test]
fn withdraw_fails_for_a_non_candidate_or_during_its_election() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Dbsca::withdraw(RuntimeOrigin::signed(6)), Error::<Test>::NotCandidate);
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		assert_noop!(Dbsca::withdraw(RuntimeOrigin::signed(2)), Error::<Test>::InElection);
		// 5 has no keys, so it is not in the round's committee.
		assert_ok!(Dbsca::withdraw(RuntimeOrigin::signed(5)));
		confirm_by(&[1, 2, 3, 4, 5, 6]);
		assert!(PendingElection::<Test>::exists());
		assert_noop!(Dbsca::withdraw(RuntimeOrigin::signed(3)), Error::<Test>::InElection);
	});
}

#[test]
fn a_lowered_attestation_lowers_the_score_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		let before = Dbsca::ranking();
		assert_eq!(before[0].account, 1);
		update(1, MemberInfo { attested: attrs(false, 0, 0, 0), ..member(Role::Generator, 1) });
		let after = Dbsca::ranking();
		assert_eq!(after.last().map(|c| (c.account, c.score)), Some((1, Permill::zero())));
		assert_eq!(after[0].account, 2);
	});
}

#[test]
fn prune_removes_a_former_member() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 4));
		assert!(!Dbsca::ranking().iter().find(|c| c.account == 4).unwrap().electable);
		assert_ok!(Dbsca::prune(RuntimeOrigin::signed(9), 4));
		assert!(!Candidates::<Test>::contains_key(4) && !Keys::<Test>::contains_key(4));
		assert_eq!(KeyOwner::<Test>::iter().count(), 3 * 2);
		System::assert_last_event(Event::Pruned { who: 4 }.into());
	});
}

#[test]
fn prune_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Dbsca::prune(RuntimeOrigin::signed(9), 4), Error::<Test>::StillMember);
		assert_noop!(Dbsca::prune(RuntimeOrigin::signed(9), 42), Error::<Test>::NotCandidate);
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 1));
		assert_noop!(Dbsca::prune(RuntimeOrigin::signed(9), 1), Error::<Test>::KeysInUse);
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 4));
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 4, member(Role::Generator, 4)));
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 4));
		assert_noop!(Dbsca::prune(RuntimeOrigin::signed(9), 4), Error::<Test>::InElection);
		assert_noop!(Dbsca::prune(RuntimeOrigin::none(), 4), sp_runtime::DispatchError::BadOrigin);
	});
}
