//! `add_member`, `update_member` and `remove_member`.

use super::*;

#[test]
fn add_member_registers_a_member() {
	build_and_execute(|| {
		let m = info(Role::Storage, false);
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 3, m));
		assert_eq!(Subchain::active_member(&3), Some(m));
		assert_eq!(Subchain::active_members(), 2);
		System::assert_last_event(Event::MemberAdded { who: 3, info: m }.into());
	});
}

#[test]
fn add_member_errors() {
	build_and_execute(|| {
		let m = info(Role::Consumer, false);
		assert_noop!(
			Subchain::add_member(RuntimeOrigin::signed(1), 3, m),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Subchain::add_member(RuntimeOrigin::root(), 1, m),
			Error::<Test>::AlreadyMember
		);
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 3, m));
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 4, m));
		assert_noop!(
			Subchain::add_member(RuntimeOrigin::root(), 5, m),
			Error::<Test>::TooManyMembers
		);
	});
}

#[test]
fn update_member_suspends_and_restores() {
	build_and_execute(|| {
		let suspended = info(Role::Generator, true);
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 1, suspended));
		assert_eq!(Subchain::active_members(), 0);
		assert_eq!(Subchain::active_set(), MemberSet::default(), "nobody active: the empty set");
		System::assert_last_event(Event::MemberUpdated { who: 1, info: suspended }.into());
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 2, info(Role::Consumer, false)));
		assert_eq!(Subchain::active_members(), 1);
		assert_eq!(Subchain::active_set(), MemberSet::of([2u64].iter()), "the digest names 2");
		assert_eq!(Subchain::active_member(&2).map(|m| m.role), Some(Role::Consumer));
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 1, info(Role::Generator, false)));
		assert_eq!(Subchain::active_set(), MemberSet::of([1u64, 2].iter()));
	});
}

#[test]
fn update_member_errors() {
	build_and_execute(|| {
		let m = info(Role::Consumer, false);
		assert_noop!(
			Subchain::update_member(RuntimeOrigin::signed(1), 1, m),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Subchain::update_member(RuntimeOrigin::root(), 3, m),
			Error::<Test>::NotMember
		);
	});
}

#[test]
fn remove_member_removes_active_and_suspended_members() {
	build_and_execute(|| {
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 2));
		assert_eq!(Subchain::active_members(), 1);
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 1));
		assert_eq!((Members::<Test>::count(), Subchain::active_members()), (0, 0));
		System::assert_last_event(Event::MemberRemoved { who: 1 }.into());
	});
}

#[test]
fn remove_member_errors() {
	build_and_execute(|| {
		assert_noop!(
			Subchain::remove_member(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(Subchain::remove_member(RuntimeOrigin::root(), 3), Error::<Test>::NotMember);
	});
}

#[test]
fn changes_of_the_active_set_are_told() {
	new_test_ext(Some(1)).execute_with(|| {
		// Genesis tells nobody; member 1 is active, 2 suspended.
		assert_eq!(take_changes(), vec![]);
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 3, info(Role::Consumer, false)));
		assert_ok!(Subchain::add_member(RuntimeOrigin::root(), 4, info(Role::Consumer, true)));
		assert_eq!(take_changes(), vec![(3, true)], "a suspended newcomer is not active");
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 1, info(Role::Generator, true)));
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 2, info(Role::Consumer, false)));
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 3, info(Role::Storage, false)));
		assert_eq!(take_changes(), vec![(1, false), (2, true)], "a new role changes no set");
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 2));
		assert_ok!(Subchain::remove_member(RuntimeOrigin::root(), 1));
		assert_eq!(take_changes(), vec![(2, false)], "1 had left the set already");
		assert_noop!(
			Subchain::remove_member(RuntimeOrigin::root(), 1),
			pallet_subchain::Error::<Test>::NotMember
		);
		assert_eq!(take_changes(), vec![]);
	});
}
