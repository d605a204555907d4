use crate::{mock::*, *};
use sp_runtime::BuildStorage;

#[test]
fn genesis_stores_candidates_keys_and_the_committee() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Candidates::<Test>::count(), 5);
		assert_eq!(Keys::<Test>::iter().count(), 4);
		assert_eq!(Committee::<Test>::get().to_vec(), vec![1, 2, 3]);
		assert_eq!(AuthoringOrder::<Test>::get().to_vec(), vec![0, 1, 0, 2]);
		assert_eq!(CommitteeSize::<Test>::get(), 3);
		assert_eq!(Weights::<Test>::get(), ScoreWeights::default());
	});
}

fn build(edit: impl FnOnce(&mut RuntimeGenesisConfig)) {
	let mut genesis = ExtBuilder::default().genesis();
	edit(&mut genesis);
	let _ = genesis.build_storage();
}

#[test]
#[should_panic(expected = "`dbsca.weights` must sum to 100%")]
fn genesis_refuses_bad_weights() {
	build(|g| g.dbsca.weights = ScoreWeights::from_percent(50, 50, 50, 0));
}

#[test]
#[should_panic(expected = "`dbsca.committeeSize` exceeds MaxCommittee")]
fn genesis_refuses_a_large_committee_size() {
	build(|g| g.dbsca.committee_size = 5);
}

#[test]
#[should_panic(expected = "every candidate must be an active member")]
fn genesis_refuses_a_candidate_that_is_not_a_member() {
	build(|g| g.dbsca.candidates[0].account = 42);
}

#[test]
#[should_panic(expected = "a candidate must supply power")]
fn genesis_refuses_a_consumer_candidate() {
	build(|g| g.dbsca.candidates[0].account = 9);
}

#[test]
#[should_panic(expected = "`dbsca.candidates` lists an account twice")]
fn genesis_refuses_a_candidate_twice() {
	build(|g| g.dbsca.candidates[1] = g.dbsca.candidates[0].clone());
}

#[test]
#[should_panic(expected = "`dbsca.keys`: two accounts share a key")]
fn genesis_refuses_shared_keys() {
	build(|g| g.dbsca.keys[1].1 = MockKeys::of(1));
}

#[test]
#[should_panic(expected = "every member must be a candidate with keys")]
fn genesis_refuses_a_committee_member_without_keys() {
	build(|g| g.dbsca.committee = vec![5]);
}

#[test]
#[should_panic(expected = "`dbsca.committee` lists an account twice")]
fn genesis_refuses_a_committee_member_twice() {
	build(|g| g.dbsca.committee = vec![1, 1]);
}

#[test]
#[should_panic(expected = "`dbsca.committee` has more than MaxCommittee members")]
fn genesis_refuses_a_long_committee() {
	build(|g| g.dbsca.committee = vec![1, 2, 3, 4, 5]);
}

#[test]
fn the_default_genesis_builds() {
	let storage = RuntimeGenesisConfig::default().build_storage();
	assert!(storage.is_ok());
}
