//! The genesis: the id and the first members, and what `try_state` says of them.

use super::*;

#[test]
fn genesis_sets_the_subchain_id() {
	new_test_ext(Some(3)).execute_with(|| {
		assert_eq!(Subchain::subchain_id(), Some(SubchainId(3)));
		assert_eq!(Id::<Test>::get(), Some(SubchainId(3)));
		assert!(Subchain::do_try_state().is_ok());
	});
}

#[test]
#[should_panic(expected = "`subchain.subchainId` 0 is reserved")]
fn genesis_with_the_reserved_id_zero_is_refused() {
	let _ = new_test_ext(Some(0));
}

#[test]
fn genesis_without_an_id_fails_try_state() {
	new_test_ext(None).execute_with(|| {
		assert_eq!(Subchain::subchain_id(), None);
		assert!(Subchain::do_try_state().is_err());
	});
}

#[test]
fn try_state_fails_when_the_id_is_missing() {
	sp_io::TestExternalities::default().execute_with(|| {
		assert!(Subchain::do_try_state().is_err());
		pallet_subchain::GenesisConfig::<Test> {
			subchain_id: Some(SubchainId(1)),
			..Default::default()
		}
		.build();
		assert!(Subchain::do_try_state().is_ok());
	});
}

#[test]
fn genesis_members_are_registered_with_their_state() {
	build_and_execute(|| {
		assert_eq!(Subchain::member(&1), Some(info(Role::Generator, false)));
		assert_eq!(Subchain::active_member(&2), None);
		assert_eq!(Subchain::member(&2).map(|m| m.suspended), Some(true));
		assert_eq!((Members::<Test>::count(), Subchain::active_members()), (2, 1));
		assert_eq!(<Subchain as frame_support::traits::Get<SubchainId>>::get(), SubchainId(1));
	});
}

#[test]
#[should_panic(expected = "`subchain.members` lists an account twice")]
fn genesis_refuses_a_member_twice() {
	let m = info(Role::Generator, false);
	let _ = genesis(Some(1), vec![(1, m), (1, m)]).build_storage();
}

#[test]
#[should_panic(expected = "`subchain.members` has more than MaxMembers entries")]
fn genesis_refuses_too_many_members() {
	let m = info(Role::Generator, false);
	let _ = genesis(Some(1), (1..=5).map(|n| (n, m)).collect()).build_storage();
}
