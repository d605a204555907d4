//! A test runtime: system, GRANDPA and this pallet; voters are ed25519 keys from seeds.

use crate::{self as pallet_finality_recovery, *};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use sp_core::{ed25519, Pair};
use sp_runtime::{testing::TestXt, BuildStorage};

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(2)]
	pub type Recovery = pallet_finality_recovery;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_grandpa::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = frame_support::traits::ConstU32<32>;
	type MaxNominators = frame_support::traits::ConstU32<0>;
	type MaxSetIdSessionEntries = frame_support::traits::ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = TestXt<RuntimeCall, ()>;
}

impl<C> frame_system::offchain::CreateBare<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: Self::RuntimeCall) -> Self::Extrinsic {
		TestXt::new_bare(call)
	}
}

parameter_types! {
	pub const ForcedChangeDelay: u64 = 3;
	pub const ReportLifetime: u64 = 20;
	pub static ReportGrace: u64 = 0;
	pub const UnsignedPriority: u64 = 1 << 20;
}

thread_local! {
	/// What the handler was told: `(sidelined, returned)`, in order.
	pub static TOLD: RefCell<Vec<(bool, Vec<AuthorityId>)>> = const { RefCell::new(Vec::new()) };
}

/// Records what it is told.
pub struct Told;

impl RecoveryHandler for Told {
	fn sidelined(voters: &[AuthorityId]) {
		TOLD.with(|told| told.borrow_mut().push((true, voters.to_vec())));
	}
	fn returned(voters: &[AuthorityId]) {
		TOLD.with(|told| told.borrow_mut().push((false, voters.to_vec())));
	}
}

impl Config for Test {
	type ForcedChangeDelay = ForcedChangeDelay;
	type ReportLifetime = ReportLifetime;
	type ReportGrace = ReportGrace;
	type UnsignedPriority = UnsignedPriority;
	type Handler = Told;
	type WeightInfo = ();
}

/// The voter key pair of seed `i`.
pub fn pair(i: u8) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[i; 32])
}

/// The GRANDPA key of seed `i`.
pub fn voter(i: u8) -> AuthorityId {
	pair(i).public().into()
}

/// A chain whose genesis voters are seeds `1..=n`, at block 1 with the hooks run.
pub fn new_test_ext(n: u8) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_grandpa::GenesisConfig::<Test> {
		authorities: (1..=n).map(|i| (voter(i), 1)).collect(),
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		TOLD.with(|told| told.borrow_mut().clear());
		run_to(1);
	});
	ext
}

/// Runs blocks up to `n`: GRANDPA's finalization of each block and this pallet's
/// initialization of the next, as the executive would (events are of the last block only).
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let now = System::block_number();
		if now > 0 {
			Grandpa::on_finalize(now);
		}
		System::reset_events();
		System::set_block_number(now + 1);
		Recovery::on_initialize(now + 1);
	}
}

/// A test chain with a keystore, for the benchmarks (their keys sign through the host).
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
	let mut ext = new_test_ext(1);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext
}

/// Seed `i`'s signed stall report of set `set_id`, with `finalized` its last finalized block.
pub fn stall(i: u8, set_id: SetId, finalized: u64) -> (StallReport<u64>, AuthoritySignature) {
	let report = StallReport { set_id, finalized, voter: voter(i) };
	let genesis = System::block_hash(0);
	let signature = pair(i).sign(&stall_payload(&genesis, &report));
	(report, signature.into())
}

/// Seed `i`'s signed return report of set `set_id`.
pub fn back(i: u8, set_id: SetId) -> (ReturnReport, AuthoritySignature) {
	let report = ReturnReport { set_id, voter: voter(i) };
	let genesis = System::block_hash(0);
	let signature = pair(i).sign(&return_payload(&genesis, &report));
	(report, signature.into())
}

/// The events of this pallet so far in this block.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Recovery(event) => Some(event),
			_ => None,
		})
		.collect()
}
