//! The genesis config and its validation.

use crate::{mock::*, *};
use dbm_primitives::AccountId;
use sp_core::H256;
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::BuildStorage;

#[test]
fn genesis_registers_sub_chains_members_and_committees() {
	build_and_execute(|| {
		assert_eq!(Subchains::<Test>::count(), 2);
		assert_eq!(MemberCount::<Test>::get(ONE), (9, 8));
		assert_eq!(Registry::members(ONE).len(), 9);
		let election = Elections::<Test>::get(ONE).unwrap();
		assert_eq!((election.round, election.committee.to_vec()), (0, vec![acc(Alice), acc(Bob)]));
		assert!(Elections::<Test>::get(TWO).is_none());
		assert_eq!(Subchains::<Test>::get(ONE).unwrap().genesis_hash, genesis_hash());
	});
}

fn build_with(change: impl FnOnce(&mut Vec<GenesisSubchain<AccountId>>)) {
	let mut config = genesis();
	change(&mut config.registry.subchains);
	let _ = config.build_storage();
}

#[test]
#[should_panic(expected = "biller-registry genesis: sub-chain 1 cannot be registered")]
fn genesis_refuses_a_duplicate_sub_chain() {
	build_with(|s| s[1].id = ONE);
}

#[test]
#[should_panic(expected = "biller-registry genesis: sub-chain 0 cannot be registered")]
fn genesis_refuses_id_zero() {
	build_with(|s| s[1].id = SubchainId(0));
}

#[test]
#[should_panic(expected = "of sub-chain 2")]
fn genesis_refuses_a_node_in_two_sub_chains() {
	build_with(|s| s[1].members.push((acc(Alice), member(false))));
}

#[test]
#[should_panic(expected = "biller-registry genesis: committee of sub-chain 1")]
fn genesis_refuses_a_committee_of_non_members() {
	build_with(|s| s[0].committee.push(acc(FerdieStash)));
}

#[test]
#[should_panic(expected = "cannot be registered: Module")]
fn genesis_refuses_an_oversized_name() {
	build_with(|s| {
		s[0].name = vec![0; 65];
		s[0].genesis_hash = H256::zero();
	});
}
