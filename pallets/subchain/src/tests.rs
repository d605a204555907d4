use crate::{self as pallet_subchain, Id, SubchainId};
use frame_support::{derive_impl, traits::BuildGenesisConfig};
use sp_runtime::BuildStorage;

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

impl pallet_subchain::Config for Test {}

fn new_test_ext(id: Option<u32>) -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		subchain: pallet_subchain::GenesisConfig {
			subchain_id: id.map(SubchainId),
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	storage.into()
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
