//! A runtime with the pallet alone, for the unit tests and the benchmarks' tests.

use crate::{self as pallet_subchain, *};
use dbm_primitives::dbsca::NodeAttributes;
use frame_support::derive_impl;
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Permill};

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
	type OnActiveSetChange = RecordChanges;
	type MaxMembers = frame_support::traits::ConstU32<4>;
	type WeightInfo = ();
}

std::thread_local! {
	static CHANGES: core::cell::RefCell<Vec<(u64, bool)>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Records what the pallet tells of changes of the active set.
pub struct RecordChanges;

impl OnActiveSetChange<u64> for RecordChanges {
	fn changed(who: &u64, joined: bool) {
		CHANGES.with(|c| c.borrow_mut().push((*who, joined)));
	}

	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// The changes told so far (and forgets them).
pub fn take_changes() -> Vec<(u64, bool)> {
	CHANGES.with(|c| c.take())
}

pub fn info(role: Role, suspended: bool) -> MemberInfo {
	let attested = NodeAttributes {
		renewable: true,
		environmental: Permill::from_percent(50),
		cost: Permill::from_percent(60),
		stability: Permill::from_percent(70),
	};
	MemberInfo { role, attested, suspended }
}

/// The key of meter `n`.
pub fn meter(n: u8) -> MeterKey {
	MeterKey::from_raw([n; 32])
}

/// The genesis of sub-chain `id` (none: no id) with `members` and `meters`.
pub fn genesis_with_meters(
	id: Option<u32>,
	members: Vec<(u64, MemberInfo)>,
	meters: Vec<(u64, MeterKey)>,
) -> RuntimeGenesisConfig {
	RuntimeGenesisConfig {
		subchain: pallet_subchain::GenesisConfig {
			subchain_id: id.map(SubchainId),
			members,
			meters,
		},
		..Default::default()
	}
}

/// The genesis of sub-chain `id` (none: no id) with `members` and no meters.
pub fn genesis(id: Option<u32>, members: Vec<(u64, MemberInfo)>) -> RuntimeGenesisConfig {
	genesis_with_meters(id, members, vec![])
}

/// Sub-chain `id` with members 1 (generator, meter 1) and 2 (consumer, suspended, no meter),
/// at block 1.
pub fn new_test_ext(id: Option<u32>) -> sp_io::TestExternalities {
	let members = vec![(1, info(Role::Generator, false)), (2, info(Role::Consumer, true))];
	let storage = genesis_with_meters(id, members, vec![(1, meter(1))])
		.build_storage()
		.expect("genesis builds");
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on sub-chain 1 and checks the invariants after it.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext(Some(1)).execute_with(|| {
		test();
		Subchain::do_try_state().expect("the invariants hold after the test");
	});
}
