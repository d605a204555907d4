//! Registering sub-chains, their boot nodes and status.

use crate::{mock::*, *};
use frame_support::dispatch::DispatchResult;
use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::Alice;
use sp_runtime::DispatchError;

fn register(id: u32) -> DispatchResult {
	Registry::register_subchain(
		RuntimeOrigin::root(),
		SubchainId(id),
		b"feeder".to_vec(),
		b"east".to_vec(),
		H256::repeat_byte(id as u8),
		H256::repeat_byte(0xcc),
		vec![b"/dns/sub.example/tcp/30333".to_vec()],
	)
}

#[test]
fn the_registry_origin_registers_a_sub_chain_with_its_discovery_information() {
	build_and_execute(|| {
		assert_ok!(register(3));
		System::assert_last_event(
			Event::<Test>::SubchainRegistered {
				subchain: SubchainId(3),
				genesis_hash: H256::repeat_byte(3),
			}
			.into(),
		);
		let info = Subchains::<Test>::get(SubchainId(3)).unwrap();
		assert_eq!(info.name.to_vec(), b"feeder".to_vec());
		assert_eq!(info.location.to_vec(), b"east".to_vec());
		assert_eq!(info.chain_spec_hash, H256::repeat_byte(0xcc));
		assert_eq!(info.boot_nodes.len(), 1);
		assert_eq!((info.status, info.registered_at), (SubchainStatus::Active, 1));
		assert_eq!(Registry::subchains().len(), 3);
	});
}

#[test]
fn register_fails_for_id_zero_or_a_taken_id() {
	build_and_execute(|| {
		assert_noop!(register(0), Error::<Test>::InvalidSubchainId);
		assert_noop!(register(1), Error::<Test>::AlreadyRegistered);
	});
}

#[test]
fn register_fails_past_the_limit() {
	build_and_execute(|| {
		assert_ok!(register(3));
		assert_ok!(register(4));
		assert_ok!(register(5));
		assert_noop!(register(6), Error::<Test>::TooManySubchains);
	});
}

#[test]
fn register_fails_with_oversized_fields() {
	build_and_execute(|| {
		let call = |name: usize, location: usize, nodes: usize, node_len: usize| {
			Registry::register_subchain(
				RuntimeOrigin::root(),
				SubchainId(3),
				vec![b'n'; name],
				vec![b'l'; location],
				H256::zero(),
				H256::zero(),
				vec![vec![b'b'; node_len]; nodes],
			)
		};
		assert_noop!(call(65, 1, 1, 1), Error::<Test>::NameTooLong);
		assert_noop!(call(1, 65, 1, 1), Error::<Test>::LocationTooLong);
		assert_noop!(call(1, 1, 9, 1), Error::<Test>::TooManyBootNodes);
		assert_noop!(call(1, 1, 1, 257), Error::<Test>::BootNodeTooLong);
		assert_ok!(call(64, 64, 8, 256));
	});
}

#[test]
fn registry_calls_need_the_registry_origin() {
	build_and_execute(|| {
		let signed = RuntimeOrigin::signed(acc(Alice));
		assert_noop!(
			Registry::register_subchain(
				signed.clone(),
				SubchainId(3),
				vec![],
				vec![],
				H256::zero(),
				H256::zero(),
				vec![]
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_boot_nodes(signed.clone(), ONE, vec![]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_status(signed, ONE, SubchainStatus::Paused),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn boot_nodes_are_replaced() {
	build_and_execute(|| {
		let nodes = vec![b"/ip4/10.0.0.1/tcp/1".to_vec(), b"/ip4/10.0.0.2/tcp/2".to_vec()];
		assert_ok!(Registry::set_boot_nodes(RuntimeOrigin::root(), ONE, nodes.clone()));
		System::assert_last_event(Event::<Test>::BootNodesSet { subchain: ONE }.into());
		let stored: Vec<Vec<u8>> =
			Subchains::<Test>::get(ONE).unwrap().boot_nodes.iter().map(|n| n.to_vec()).collect();
		assert_eq!(stored, nodes);
		assert_noop!(
			Registry::set_boot_nodes(RuntimeOrigin::root(), SubchainId(7), vec![]),
			Error::<Test>::UnknownSubchain
		);
		assert_noop!(
			Registry::set_boot_nodes(RuntimeOrigin::root(), ONE, vec![vec![0; 300]]),
			Error::<Test>::BootNodeTooLong
		);
		assert_noop!(
			Registry::set_boot_nodes(RuntimeOrigin::root(), ONE, vec![vec![0]; 9]),
			Error::<Test>::TooManyBootNodes
		);
	});
}

#[test]
fn a_sub_chain_is_paused_resumed_and_retired_for_good() {
	build_and_execute(|| {
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Paused));
		System::assert_last_event(
			Event::<Test>::StatusChanged { subchain: ONE, status: SubchainStatus::Paused }.into(),
		);
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Active));
		assert_ok!(Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Retired));
		assert_noop!(
			Registry::set_status(RuntimeOrigin::root(), ONE, SubchainStatus::Active),
			Error::<Test>::SubchainRetired
		);
		assert_noop!(
			Registry::set_boot_nodes(RuntimeOrigin::root(), ONE, vec![]),
			Error::<Test>::SubchainRetired
		);
		assert_noop!(
			Registry::set_status(RuntimeOrigin::root(), SubchainId(7), SubchainStatus::Active),
			Error::<Test>::UnknownSubchain
		);
	});
}

#[test]
fn the_config_passes_the_integrity_test() {
	build_and_execute(|| {
		<Registry as frame_support::traits::Hooks<u64>>::integrity_test();
	});
}
