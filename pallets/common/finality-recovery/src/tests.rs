//! Tests of the stall reports, the forced change, the return, and every error.

// The pool's check of unsigned reports is `ValidateUnsigned` (see the pallet).
#![allow(deprecated)]

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{
	traits::ValidateUnsigned,
	transaction_validity::{InvalidTransaction, TransactionSource},
	DispatchError,
};

fn report(i: u8, set_id: SetId, finalized: u64) -> DispatchResultWithPostInfo {
	let (report, signature) = stall(i, set_id, finalized);
	Recovery::report_stall(RuntimeOrigin::none(), report, signature)
}

fn report_back(i: u8, set_id: SetId) -> DispatchResultWithPostInfo {
	let (report, signature) = back(i, set_id);
	Recovery::report_return(RuntimeOrigin::none(), report, signature)
}

fn grandpa_voters() -> Vec<AuthorityId> {
	pallet_grandpa::Authorities::<Test>::get().into_iter().map(|(key, _)| key).collect()
}

fn keys(seeds: &[u8]) -> Vec<AuthorityId> {
	seeds.iter().map(|&i| voter(i)).collect()
}

/// Six voters at block 10; voters 1 to 4 report set 0 stalled (finalized 5 to 8); the forced
/// change is scheduled in block 11.
fn forced_six_to_four() {
	run_to(10);
	for (i, finalized) in [(1, 7), (2, 5), (3, 8), (4, 6)] {
		assert_ok!(report(i, 0, finalized));
	}
	run_to(11);
}

#[test]
fn the_genesis_set_is_remembered() {
	new_test_ext(6).execute_with(|| {
		let sets = Sets::<Test>::get();
		assert_eq!(sets.len(), 1);
		assert_eq!((sets[0].id, sets[0].from), (0, 0));
		assert_eq!(
			sets[0].voters.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
			keys(&[1, 2, 3, 4, 5, 6])
		);
		Recovery::do_try_state().unwrap();
	});
}

#[test]
fn reports_of_more_than_half_force_a_change_to_the_reporters() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		for (i, finalized) in [(2, 7), (3, 5), (4, 8)] {
			assert_ok!(report(i, 0, finalized));
		}
		// Three of six, without the first voter, is half: nothing happens.
		run_to(11);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert!(events().is_empty());
		assert_ok!(report(1, 0, 6));
		assert_eq!(Reports::<Test>::get().len(), 4);
		run_to(12);
		assert_eq!(
			events(),
			vec![Event::FinalityForced {
				set_id: 1,
				voters: keys(&[1, 2, 3, 4]),
				sidelined: keys(&[5, 6]),
				median: 5,
				enacted_at: 15,
			}]
		);
		let pending = pallet_grandpa::PendingChange::<Test>::get().unwrap();
		assert_eq!((pending.scheduled_at, pending.delay, pending.forced), (12, 3, Some(5)));
		assert_eq!(TOLD.with(|told| told.borrow().clone()), vec![(true, keys(&[5, 6]))]);
		assert!(Reports::<Test>::get().is_empty());
		let sets = Sets::<Test>::get();
		assert_eq!(
			sets.iter().map(|set| (set.id, set.from)).collect::<Vec<_>>(),
			vec![(0, 0), (1, 5)]
		);
		// The nodes enact it in block 15; until then the set id is the old one.
		run_to(14);
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 0);
		assert_eq!(grandpa_voters(), keys(&[1, 2, 3, 4, 5, 6]));
		run_to(15);
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 1);
		run_to(16);
		assert_eq!(grandpa_voters(), keys(&[1, 2, 3, 4]));
		assert_eq!(Sidelined::<Test>::get().len(), 2);
		Recovery::do_try_state().unwrap();
	});
}

#[test]
fn the_forced_change_is_signalled_in_the_block_that_schedules_it() {
	new_test_ext(6).execute_with(|| {
		forced_six_to_four();
		// GRANDPA deposits the signal when the block is finalized.
		Grandpa::on_finalize(11);
		let forced = System::digest().logs().iter().any(|item| {
			item.consensus_try_to::<sp_consensus_grandpa::ConsensusLog<u64>>(
				&sp_consensus_grandpa::GRANDPA_ENGINE_ID,
			)
			.is_some_and(|log| {
				matches!(log, sp_consensus_grandpa::ConsensusLog::ForcedChange(5, _))
			})
		});
		assert!(forced);
	});
}

#[test]
fn the_forced_change_waits_until_no_report_came_for_the_grace() {
	new_test_ext(6).execute_with(|| {
		ReportGrace::set(3);
		run_to(10);
		for i in 1..=4 {
			assert_ok!(report(i, 0, 5));
		}
		// A majority at block 10; a fifth voter reports at 12: the grace starts over.
		run_to(12);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert_ok!(report(5, 0, 5));
		run_to(14);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		run_to(15);
		assert!(matches!(
			&events()[..],
			[Event::FinalityForced { voters, sidelined, .. }]
				if *voters == keys(&[1, 2, 3, 4, 5]) && *sidelined == keys(&[6])
		));
		ReportGrace::set(0);
	});
}

#[test]
fn a_minority_of_reporters_changes_nothing() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		assert_ok!(report(1, 0, 3));
		assert_ok!(report(2, 0, 3));
		run_to(30);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 0);
	});
}

#[test]
fn half_of_a_four_member_committee_recovers_only_with_its_first_voter() {
	new_test_ext(4).execute_with(|| {
		// Voters 3 and 4 (not the first) are half: nothing.
		run_to(10);
		assert_ok!(report(3, 0, 4));
		assert_ok!(report(4, 0, 4));
		run_to(11);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert!(events().is_empty());
	});
	new_test_ext(4).execute_with(|| {
		// Voters 1 (the first: the biller) and 2 are half that breaks the tie.
		run_to(10);
		assert_ok!(report(1, 0, 4));
		assert_ok!(report(2, 0, 4));
		run_to(11);
		assert!(matches!(
			&events()[..],
			[Event::FinalityForced { set_id: 1, voters, sidelined, .. }]
				if *voters == keys(&[1, 2]) && *sidelined == keys(&[3, 4])
		));
	});
}

#[test]
fn nothing_is_forced_when_every_voter_reported() {
	new_test_ext(4).execute_with(|| {
		run_to(10);
		for i in 1..=4 {
			assert_ok!(report(i, 0, 4));
		}
		run_to(20);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 0);
	});
}

#[test]
fn reports_expire() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		assert_ok!(report(2, 0, 5));
		assert_ok!(report(3, 0, 5));
		assert_ok!(report(4, 0, 5));
		run_to(30);
		assert_eq!(Reports::<Test>::get().len(), 3);
		run_to(31);
		assert!(Reports::<Test>::get().is_empty());
		// A fourth report alone now is not a majority.
		assert_ok!(report(5, 0, 5));
		run_to(32);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		// The others report again.
		for i in 2..=4 {
			assert_ok!(report(i, 0, 5));
		}
		run_to(33);
		assert!(pallet_grandpa::PendingChange::<Test>::exists());
	});
}

/// The governance's change, as the runtimes make it: a standard change with no delay and the
/// set id raised at once.
fn governance_change(seeds: &[u8]) {
	assert_ok!(Grandpa::schedule_change(
		keys(seeds).into_iter().map(|k| (k, 1)).collect(),
		0,
		None
	));
	pallet_grandpa::CurrentSetId::<Test>::mutate(|id| *id += 1);
}

#[test]
fn the_set_id_follows_the_nodes_when_unfinalized_changes_are_dropped() {
	new_test_ext(6).execute_with(|| {
		run_to(5);
		// The governance changes the set twice while finality is stalled; the nodes still
		// vote in set 0.
		governance_change(&[1, 2, 3, 4, 5, 6, 7]);
		run_to(6);
		governance_change(&[1, 2, 3, 4, 5, 7]);
		run_to(8);
		assert_eq!(Sets::<Test>::get().iter().map(|set| set.id).collect::<Vec<_>>(), vec![0, 1, 2]);
		assert_eq!(Sets::<Test>::get()[2].from, 6);
		for i in 1..=4 {
			assert_ok!(report(i, 0, 3));
		}
		run_to(9);
		// The newest set's voters that reported: 5 and 7 are left out (7 never reported).
		assert!(matches!(
			&events()[..],
			[Event::FinalityForced { set_id: 1, voters, sidelined, median: 3, .. }]
				if *voters == keys(&[1, 2, 3, 4]) && *sidelined == keys(&[5, 7])
		));
		assert_eq!(Sets::<Test>::get().iter().map(|set| set.id).collect::<Vec<_>>(), vec![0, 1]);
		run_to(12);
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 1);
		run_to(13);
		assert_eq!(grandpa_voters(), keys(&[1, 2, 3, 4]));
		Recovery::do_try_state().unwrap();
	});
}

#[test]
fn a_sidelined_voter_that_is_back_is_taken_in_by_a_standard_change() {
	new_test_ext(6).execute_with(|| {
		forced_six_to_four();
		run_to(16);
		assert_ok!(report_back(5, 1));
		assert_eq!(Returning::<Test>::get().into_inner(), keys(&[5]));
		run_to(17);
		assert_eq!(events(), vec![Event::VotersReturned { set_id: 2, voters: keys(&[5]) }]);
		let pending = pallet_grandpa::PendingChange::<Test>::get().unwrap();
		assert_eq!((pending.delay, pending.forced), (0, None));
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 2);
		run_to(18);
		assert_eq!(grandpa_voters(), keys(&[1, 2, 3, 4, 5]));
		assert_eq!(
			Sidelined::<Test>::get().into_iter().map(|(k, _)| k).collect::<Vec<_>>(),
			keys(&[6])
		);
		assert_eq!(TOLD.with(|told| told.borrow().last().cloned()), Some((false, keys(&[5]))));
		assert_eq!(Sets::<Test>::get().last().map(|set| (set.id, set.from)), Some((2, 17)));
		Recovery::do_try_state().unwrap();
	});
}

#[test]
fn a_governance_change_ends_the_sidelining() {
	new_test_ext(6).execute_with(|| {
		forced_six_to_four();
		run_to(16);
		governance_change(&[1, 2, 3, 4, 5, 6]);
		run_to(17);
		assert!(Sidelined::<Test>::get().is_empty());
		assert_eq!(Sets::<Test>::get().last().map(|set| (set.id, set.from)), Some((2, 16)));
		assert_noop!(report_back(5, 2), Error::<Test>::NotSidelined);
	});
}

#[test]
fn a_second_stall_after_recovery_is_recovered_too() {
	new_test_ext(6).execute_with(|| {
		forced_six_to_four();
		run_to(40);
		// Set 1 (four voters) loses one more: three of four report, from block 20.
		for i in 1..=3 {
			assert_ok!(report(i, 1, 20));
		}
		run_to(41);
		assert!(matches!(
			&events()[..],
			[Event::FinalityForced { set_id: 2, sidelined, median: 20, .. }] if *sidelined == keys(&[4])
		));
		assert_eq!(
			Sidelined::<Test>::get().into_iter().map(|(k, _)| k).collect::<Vec<_>>(),
			keys(&[5, 6, 4])
		);
		Recovery::do_try_state().unwrap();
	});
}

#[test]
fn reports_of_a_set_all_of_whose_voters_reported_force_nothing() {
	new_test_ext(4).execute_with(|| {
		run_to(10);
		for i in 1..=3 {
			assert_ok!(report(i, 0, 4));
		}
		run_to(11);
		// Set 1 = [1, 2, 3] starts from block 4; its voters see finality at 4 and report it
		// before the set finalizes anything.
		run_to(14);
		for i in 1..=3 {
			assert_ok!(report(i, 1, 4));
		}
		// Voter 4 is back and its return is scheduled: set 2 = [1, 2, 3, 4].
		assert_ok!(report_back(4, 1));
		run_to(16);
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 2);
		assert_eq!(grandpa_voters(), keys(&[1, 2, 3, 4]));
		// Set 1's reports name all of its voters: they are no reason to leave 4 out again.
		run_to(30);
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 2);
		assert!(Sidelined::<Test>::get().is_empty());
		assert_eq!(grandpa_voters(), keys(&[1, 2, 3, 4]));
		Recovery::do_try_state().unwrap();
	});
}

#[test]
fn forced_changes_wait_for_grandpa_to_allow_the_next() {
	new_test_ext(6).execute_with(|| {
		// Forced in block 11 with a delay of 3: GRANDPA allows the next from block 17.
		forced_six_to_four();
		run_to(12);
		for i in 1..=3 {
			assert_ok!(report(i, 1, 6));
		}
		run_to(16);
		assert!(events().is_empty());
		assert!(!pallet_grandpa::PendingChange::<Test>::exists());
		assert_eq!(Reports::<Test>::get().len(), 3);
		run_to(17);
		assert!(matches!(&events()[..], [Event::FinalityForced { set_id: 2, .. }]));
	});
}

#[test]
fn stall_reports_are_checked() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		assert_noop!(report(1, 7, 5), Error::<Test>::UnknownSet);
		assert_noop!(report(9, 0, 5), Error::<Test>::NotAVoter);
		assert_noop!(report(1, 0, 10), Error::<Test>::FinalizedOutOfRange);
		// Signed by another key, or for another finalized block than signed.
		let (mut forged, _) = stall(1, 0, 5);
		let (_, other) = stall(2, 0, 5);
		assert_noop!(
			Recovery::report_stall(RuntimeOrigin::none(), forged.clone(), other),
			Error::<Test>::BadSignature
		);
		let (_, signature) = stall(1, 0, 5);
		forged.finalized = 6;
		assert_noop!(
			Recovery::report_stall(RuntimeOrigin::none(), forged, signature.clone()),
			Error::<Test>::BadSignature
		);
		assert_ok!(report(1, 0, 5));
		assert_noop!(report(1, 0, 6), Error::<Test>::AlreadyReported);
		// Only unsigned.
		let (report, signature) = stall(2, 0, 5);
		assert_noop!(
			Recovery::report_stall(RuntimeOrigin::signed(1), report, signature),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_report_below_its_sets_first_block_is_refused() {
	new_test_ext(6).execute_with(|| {
		run_to(5);
		governance_change(&[1, 2, 3, 4, 5, 6]);
		run_to(8);
		// Set 1 was scheduled in block 5: its voters finalized at least that.
		assert_noop!(report(1, 1, 4), Error::<Test>::FinalizedOutOfRange);
		assert_ok!(report(1, 1, 5));
	});
}

#[test]
fn the_report_store_is_bounded() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		let full: Vec<Report<Test>> = (0..MaxReportsOf::<Test>::get())
			.map(|_| Report { set_id: 0, voter: voter(6), finalized: 1, at: 10 })
			.collect();
		Reports::<Test>::put(BoundedVec::truncate_from(full));
		assert_noop!(report(1, 0, 5), Error::<Test>::TooManyReports);
	});
}

#[test]
fn return_reports_are_checked() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		assert_noop!(report_back(5, 0), Error::<Test>::NotSidelined);
		forced_six_to_four();
		run_to(16);
		assert_noop!(report_back(5, 0), Error::<Test>::WrongSet);
		assert_noop!(report_back(1, 1), Error::<Test>::NotSidelined);
		let (report, _) = back(5, 1);
		let (_, other) = back(6, 1);
		assert_noop!(
			Recovery::report_return(RuntimeOrigin::none(), report, other),
			Error::<Test>::BadSignature
		);
		assert_ok!(report_back(5, 1));
		assert_noop!(report_back(5, 1), Error::<Test>::AlreadyReturning);
		let (report, signature) = back(6, 1);
		assert_noop!(
			Recovery::report_return(RuntimeOrigin::signed(1), report, signature),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_pool_takes_valid_reports_once_and_refuses_the_rest() {
	new_test_ext(6).execute_with(|| {
		run_to(10);
		let (report, signature) = stall(1, 0, 5);
		let call = Call::report_stall { report: report.clone(), signature: signature.clone() };
		let valid = Recovery::validate_unsigned(TransactionSource::External, &call).unwrap();
		assert_eq!(valid.priority, UnsignedPriority::get());
		assert!(valid.propagate);
		assert_eq!(valid.provides.len(), 1);
		let (_, other) = stall(2, 0, 5);
		let forged = Call::report_stall { report: report.clone(), signature: other };
		assert_eq!(
			Recovery::validate_unsigned(TransactionSource::External, &forged),
			InvalidTransaction::BadProof.into()
		);
		let unknown = Call::report_stall { report: stall(1, 3, 5).0, signature: stall(1, 3, 5).1 };
		assert_eq!(
			Recovery::validate_unsigned(TransactionSource::External, &unknown),
			InvalidTransaction::Custom(0).into()
		);
		assert_ok!(Recovery::report_stall(RuntimeOrigin::none(), report, signature));
		assert_eq!(
			Recovery::validate_unsigned(TransactionSource::External, &call),
			InvalidTransaction::Stale.into()
		);
	});
}

#[test]
fn the_submitted_report_reaches_the_pool() {
	use sp_core::offchain::{testing::TestTransactionPoolExt, TransactionPoolExt};
	use sp_runtime::testing::TestXt;
	let mut ext = new_test_ext(6);
	let (pool, state) = TestTransactionPoolExt::new();
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| {
		run_to(10);
		let (report, signature) = stall(1, 0, 5);
		assert!(Recovery::submit_stall_report(report.clone(), signature.clone()));
		let submitted = state.read().transactions.clone();
		assert_eq!(submitted.len(), 1);
		let xt =
			<TestXt<RuntimeCall, ()> as codec::Decode>::decode(&mut &submitted[0][..]).unwrap();
		assert_eq!(xt.function, RuntimeCall::Recovery(Call::report_stall { report, signature }));
	});
}
