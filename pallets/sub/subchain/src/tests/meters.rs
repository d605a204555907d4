//! `set_meter`, the meters in genesis, and what the energy-trade pallet asks of them.

use super::*;

#[test]
fn genesis_registers_the_meters_it_lists() {
	build_and_execute(|| {
		assert_eq!(Meters::<Test>::get(1), Some(MeterState::new(meter(1), None)));
		assert_eq!(Subchain::meter_owner(&meter(1)).map(|(who, _)| who), Some(1));
		assert_eq!(Subchain::meter_of(&2), None);
		assert_eq!(<Subchain as MeterRegistry<u64>>::subchain(), Some(SubchainId(1)));
	});
}

#[test]
#[should_panic(expected = "`subchain.meters` lists a meter key twice")]
fn genesis_refuses_a_shared_meter() {
	let m = info(Role::Generator, false);
	let _ = genesis_with_meters(Some(1), vec![(1, m), (2, m)], vec![(1, meter(1)), (2, meter(1))])
		.build_storage();
}

#[test]
#[should_panic(expected = "`subchain.meters` names a non-member")]
fn genesis_refuses_a_meter_of_a_non_member() {
	let m = info(Role::Generator, false);
	let _ = genesis_with_meters(Some(1), vec![(1, m)], vec![(3, meter(3))]).build_storage();
}

#[test]
fn set_meter_gives_replaces_and_revokes() {
	build_and_execute(|| {
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), 2, Some(meter(2))));
		System::assert_last_event(Event::MeterSet { who: 2, meter: Some(meter(2)) }.into());
		assert_eq!(Subchain::meter_owner(&meter(2)).map(|(who, _)| who), Some(2));

		// A replacement keeps the member's place in its readings and starts a new counter.
		Subchain::note_reading(&1, 41, 17);
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), 1, Some(meter(9))));
		assert_eq!(
			Meters::<Test>::get(1),
			Some(MeterState { key: meter(9), last_interval: Some(41), counter: 0 })
		);
		assert_eq!(Subchain::meter_owner(&meter(1)), None);

		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), 1, None));
		System::assert_last_event(Event::MeterSet { who: 1, meter: None }.into());
		assert_eq!(Subchain::meter_of(&1), None);
		assert_eq!(Subchain::meter_owner(&meter(9)), None);
	});
}

#[test]
fn set_meter_errors() {
	build_and_execute(|| {
		assert_noop!(
			Subchain::set_meter(RuntimeOrigin::signed(1), 1, Some(meter(5))),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Subchain::set_meter(RuntimeOrigin::root(), 3, Some(meter(5))),
			Error::<Test>::NotMember
		);
		assert_noop!(
			Subchain::set_meter(RuntimeOrigin::root(), 2, Some(meter(1))),
			Error::<Test>::MeterInUse
		);
		assert_noop!(
			Subchain::set_meter(RuntimeOrigin::root(), 1, Some(meter(1))),
			Error::<Test>::MeterUnchanged
		);
		assert_noop!(
			Subchain::set_meter(RuntimeOrigin::root(), 2, None),
			Error::<Test>::MeterUnchanged
		);
	});
}

#[test]
fn a_removed_member_takes_its_meter_with_it() {
	build_and_execute(|| {
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 1));
		assert_eq!(Meters::<Test>::get(1), None);
		assert_eq!(MeterOwners::<Test>::get(meter(1)), None);
		// The key is free for another member.
		assert_ok!(Subchain::set_meter(RuntimeOrigin::root(), 2, Some(meter(1))));
	});
}

#[test]
fn a_reading_is_noted_only_for_a_member_with_a_meter() {
	build_and_execute(|| {
		Subchain::note_reading(&2, 3, 3);
		assert_eq!(Meters::<Test>::get(2), None);
		Subchain::note_reading(&1, 3, 4);
		assert_eq!(
			Subchain::meter_of(&1).map(|m| (m.last_interval, m.counter)),
			Some((Some(3), 4))
		);
	});
}
