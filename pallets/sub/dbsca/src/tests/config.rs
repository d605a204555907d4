use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn set_weights_rescores_every_candidate() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Weights::<Test>::get(), ScoreWeights::default());
		// Only renewable counts: candidates 1 to 5 are all renewable, so they tie and rank by
		// account.
		let w = ScoreWeights::from_percent(100, 0, 0, 0);
		assert_ok!(Dbsca::set_weights(RuntimeOrigin::root(), w));
		assert_eq!(Weights::<Test>::get(), w);
		let ranked = Dbsca::ranking();
		assert!(ranked.iter().all(|c| c.score == sp_runtime::Permill::one()));
		assert_eq!(ranked.iter().map(|c| c.account).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
		System::assert_last_event(Event::WeightsChanged { weights: w }.into());
	});
}

#[test]
fn set_weights_fails_unless_they_sum_to_100_percent() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::set_weights(RuntimeOrigin::root(), ScoreWeights::from_percent(20, 30, 40, 11)),
			Error::<Test>::WeightsDoNotSumTo100Percent
		);
		assert_noop!(
			Dbsca::set_weights(RuntimeOrigin::root(), ScoreWeights::from_percent(20, 30, 40, 9)),
			Error::<Test>::WeightsDoNotSumTo100Percent
		);
		assert_noop!(
			Dbsca::set_weights(RuntimeOrigin::signed(1), ScoreWeights::default()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_committee_size_takes_effect_in_the_next_round() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Dbsca::set_committee_size(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::CommitteeSizeChanged { size: 2 }.into());
		assert_ok!(Dbsca::request_election(RuntimeOrigin::root(), None));
		assert_eq!(CurrentRound::<Test>::get().unwrap().committee.len(), 2);
	});
}

#[test]
fn set_committee_size_fails_out_of_range() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Dbsca::set_committee_size(RuntimeOrigin::root(), 0),
			Error::<Test>::InvalidCommitteeSize
		);
		assert_noop!(
			Dbsca::set_committee_size(RuntimeOrigin::root(), 5),
			Error::<Test>::InvalidCommitteeSize
		);
		assert_noop!(
			Dbsca::set_committee_size(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn integrity_test_passes() {
	use frame_support::traits::Hooks;
	Dbsca::integrity_test();
}

#[test]
fn the_authoring_order_gives_the_biller_its_extra_slots() {
	// BillerAuraSlots is 2 in the mock.
	assert_eq!(Dbsca::authoring_order(1), vec![0]);
	assert_eq!(Dbsca::authoring_order(2), vec![0, 1, 0]);
	assert_eq!(Dbsca::authoring_order(4), vec![0, 1, 0, 2, 3]);
}
