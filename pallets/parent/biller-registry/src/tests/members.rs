//! The member registry: which node belongs to which sub-chain.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::DispatchError;

#[test]
fn the_membership_origin_adds_a_member_to_one_sub_chain() {
	build_and_execute(|| {
		let who = acc(Sr25519Keyring::AliceStash);
		assert_ok!(Registry::add_member(RuntimeOrigin::root(), TWO, who.clone(), member(false)));
		System::assert_last_event(
			Event::<Test>::MemberAdded { subchain: TWO, who: who.clone() }.into(),
		);
		assert_eq!(Members::<Test>::get(TWO, &who), Some(member(false)));
		assert_eq!(MemberOf::<Test>::get(&who), Some(TWO));
		assert_eq!(MemberCount::<Test>::get(TWO), (1, 1));
		assert_eq!(<Registry as MemberRegistry<_>>::member(&who), Some(member(false)));
		assert_eq!(Registry::members(TWO), vec![(who.clone(), member(false))]);
		// A node belongs to one sub-chain only.
		assert_noop!(
			Registry::add_member(RuntimeOrigin::root(), ONE, who, member(false)),
			Error::<Test>::AlreadyMember
		);
	});
}

#[test]
fn add_member_fails_for_an_unknown_or_inactive_sub_chain() {
	build_and_execute(|| {
		let who = acc(Sr25519Keyring::AliceStash);
		assert_noop!(
			Registry::add_member(RuntimeOrigin::root(), SubchainId(9), who.clone(), member(false)),
			Error::<Test>::UnknownSubchain
		);
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), TWO, SubchainStatus::Paused));
		assert_noop!(
			Registry::add_member(RuntimeOrigin::root(), TWO, who, member(false)),
			Error::<Test>::SubchainNotActive
		);
	});
}

#[test]
fn add_member_fails_past_the_limit() {
	build_and_execute(|| {
		// Nine members; the limit is twelve.
		for k in [AliceStash, BobStash, CharlieStash] {
			assert_ok!(Registry::add_member(RuntimeOrigin::root(), ONE, acc(k), member(false)));
		}
		assert_noop!(
			Registry::add_member(RuntimeOrigin::root(), ONE, acc(DaveStash), member(false)),
			Error::<Test>::TooManyMembers
		);
	});
}

#[test]
fn a_member_is_suspended_and_restored() {
	build_and_execute(|| {
		assert_eq!(MemberCount::<Test>::get(ONE), (9, 8));
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Bob), member(true)));
		System::assert_last_event(
			Event::<Test>::MemberUpdated { subchain: ONE, who: acc(Bob) }.into(),
		);
		assert_eq!(MemberCount::<Test>::get(ONE), (9, 7));
		assert_eq!(<Registry as MemberRegistry<_>>::active_member(&acc(Bob)), None);
		assert_ok!(Registry::update_member(RuntimeOrigin::root(), acc(Bob), member(false)));
		assert_eq!(MemberCount::<Test>::get(ONE), (9, 8));
		assert_eq!(<Registry as MemberRegistry<_>>::active_members(), 8);
	});
}

#[test]
fn a_member_is_removed() {
	build_and_execute(|| {
		assert_ok!(Registry::remove_member(RuntimeOrigin::root(), acc(EveStash)));
		System::assert_last_event(
			Event::<Test>::MemberRemoved { subchain: ONE, who: acc(EveStash) }.into(),
		);
		assert_eq!(MemberCount::<Test>::get(ONE), (8, 8));
		assert!(MemberOf::<Test>::get(acc(EveStash)).is_none());
		// It may join again, anywhere.
		assert_ok!(Registry::add_member(RuntimeOrigin::root(), TWO, acc(EveStash), member(false)));
	});
}

#[test]
fn update_and_remove_fail_for_a_non_member() {
	build_and_execute(|| {
		assert_noop!(
			Registry::update_member(RuntimeOrigin::root(), acc(DaveStash), member(false)),
			Error::<Test>::NotMember
		);
		assert_noop!(
			Registry::remove_member(RuntimeOrigin::root(), acc(DaveStash)),
			Error::<Test>::NotMember
		);
	});
}

#[test]
fn member_calls_need_the_membership_origin() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed(acc(Alice));
		assert_noop!(
			Registry::add_member(signed.clone(), TWO, acc(DaveStash), member(false)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::update_member(signed.clone(), acc(Bob), member(true)),
			DispatchError::BadOrigin
		);
		assert_noop!(Registry::remove_member(signed, acc(Bob)), DispatchError::BadOrigin);
	});
}
