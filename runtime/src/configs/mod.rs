//! Configuration of the parent runtime's pallets. What both layers share comes from
//! `dbm_runtime_common`; only what is the parent's own is set here.

use crate::{Aura, Balances, Block, Runtime, RuntimeEvent, System, VERSION};
use dbm_runtime_common::{LengthToFee, WeightToFee, MAX_AUTHORITIES};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use pallet_transaction_payment::FungibleAdapter;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

parameter_types! {
	/// The runtime's version, for `frame_system`.
	pub const Version: sp_version::RuntimeVersion = VERSION;
}

#[derive_impl(dbm_runtime_common::SystemDefaults)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type Version = Version;
}

#[derive_impl(dbm_runtime_common::TimestampDefaults)]
impl pallet_timestamp::Config for Runtime {
	type OnTimestampSet = Aura;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

#[derive_impl(dbm_runtime_common::BalancesDefaults)]
impl pallet_balances::Config for Runtime {
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
}

#[derive_impl(dbm_runtime_common::TransactionPaymentDefaults)]
impl pallet_transaction_payment::Config for Runtime {
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type WeightToFee = WeightToFee;
	type LengthToFee = LengthToFee;
}

#[derive_impl(pallet_sudo::config_preludes::TestDefaultConfig)]
impl pallet_sudo::Config for Runtime {
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
