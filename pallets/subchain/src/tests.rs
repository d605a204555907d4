use crate::{self as pallet_subchain, *};
use dbm_primitives::dbsca::NodeAttributes;
use frame_support::{assert_noop, assert_ok, derive_impl, traits::BuildGenesisConfig};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, DispatchError, Permill};

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Subchain = pallet_subchain;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_subchain::Config for Test {
	type MembershipOrigin = EnsureRoot<u64>;
	type MaxMembers = frame_support::traits::ConstU32<4>;
	type WeightInfo = ();
}

pub(crate) fn info(role: Role, suspended: bool) -> MemberInfo {
	let attested = NodeAttributes {
		renewable: true,
		environmental: Permill::from_percent(50),
		cost: Permill::from_percent(60),
		stability: Permill::from_percent(70),
	};
	MemberInfo { role, attested, suspended }
}

fn genesis(id: Option<u32>, members: Vec<(u64, MemberInfo)>) -> RuntimeGenesisConfig {
	RuntimeGenesisConfig {
		subchain: pallet_subchain::GenesisConfig { subchain_id: id.map(SubchainId), members },
		..Default::default()
	}
}

/// Sub-chain `id` with members 1 (generator) and 2 (consumer, suspended), at block 1.
pub(crate) fn new_test_ext(id: Option<u32>) -> sp_io::TestExternalities {
	let members = vec![(1, info(Role::Generator, false)), (2, info(Role::Consumer, true))];
	let storage = genesis(id, members).build_storage().expect("genesis builds");
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on sub-chain 1 and checks the invariants after it.
fn build_and_execute(test: impl FnOnce()) {
	new_test_ext(Some(1)).execute_with(|| {
		test();
		Subchain::do_try_state().expect("the invariants hold after the test");
	});
}

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
		System::assert_last_event(Event::MemberUpdated { who: 1, info: suspended }.into());
		assert_ok!(Subchain::update_member(RuntimeOrigin::root(), 2, info(Role::Consumer, false)));
		assert_eq!(Subchain::active_members(), 1);
		assert_eq!(Subchain::active_member(&2).map(|m| m.role), Some(Role::Consumer));
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
